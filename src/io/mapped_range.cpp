#include "io/mapped_range.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <mutex>

namespace hapmat {

namespace {

// Where the SIGBUS handler finds the mappings: one slot a MappedRange that
// has mapped (a pipeline chunk keeps its slot), so runs of up to 2048
// threads (2 chunks a thread) map at once; past that, bytes are copied.
struct Slot {
  std::atomic<bool> taken{false};
  std::atomic<std::uintptr_t> begin{0};
  std::atomic<std::uintptr_t> end{0};  // 0: nothing mapped
  std::atomic<bool> lost{false};
};
constexpr std::size_t kSlots = 4096;
std::array<Slot, kSlots> gSlots;

struct sigaction gPrevious {};
std::uintptr_t gPageSize = 0;
bool gInstalled = false;

// A page of a mapping beyond the file's end (it was cut short while
// mapped): zeros are mapped from there to the mapping's end, the mapping
// is marked lost, and the read that faulted runs again, on the zeros. Only
// async-signal-safe calls (mmap is one system call). A fault elsewhere goes
// to the handler before this one, or ends the process as it would have.
void onBusError(int signal, siginfo_t* info, void* context) {
  const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  for (Slot& slot : gSlots) {
    const std::uintptr_t end = slot.end.load(std::memory_order_acquire);
    if (address >= end ||
        address < slot.begin.load(std::memory_order_acquire)) {
      continue;
    }
    const std::uintptr_t page = address & ~(gPageSize - 1);
    if (::mmap(reinterpret_cast<void*>(page), end - page, PROT_READ,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
      slot.lost.store(true, std::memory_order_release);
      return;
    }
    break;
  }
  if ((gPrevious.sa_flags & SA_SIGINFO) != 0) {
    gPrevious.sa_sigaction(signal, info, context);
  } else if (gPrevious.sa_handler != SIG_DFL &&
             gPrevious.sa_handler != SIG_IGN) {
    gPrevious.sa_handler(signal);
  } else {
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    ::sigaction(SIGBUS, &fallback, nullptr);  // the read faults again: ends
  }
}

bool installHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    gPageSize = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    struct sigaction action {};
    action.sa_sigaction = onBusError;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    gInstalled = ::sigaction(SIGBUS, &action, &gPrevious) == 0;
  });
  return gInstalled;
}

int claimSlot() {
  for (std::size_t i = 0; i < kSlots; ++i) {
    bool free = false;
    if (gSlots[i].taken.compare_exchange_strong(free, true)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

MappedRange::~MappedRange() {
  unmap();
  if (slot_ >= 0) gSlots[slot_].taken.store(false);
}

bool MappedRange::map(int fd, std::uint64_t offset, std::size_t size,
                      std::uint64_t fileSize) {
  unmap();
  if (!installHandler()) return false;
  if (slot_ < 0 && (slot_ = claimSlot()) < 0) return false;
  const std::uint64_t start = offset & ~std::uint64_t{gPageSize - 1};
  const std::uint64_t last = std::min<std::uint64_t>(offset + size, fileSize);
  if (last <= offset) return false;
  const std::uint64_t end =
      (last + gPageSize - 1) & ~std::uint64_t{gPageSize - 1};
  void* base = ::mmap(nullptr, end - start, PROT_READ, MAP_PRIVATE, fd,
                      static_cast<off_t>(start));
  if (base == MAP_FAILED) return false;
  base_ = base;
  length_ = end - start;
  data_ = static_cast<const char*>(base) + (offset - start);
  offset_ = offset;
  size_ = end - offset;
  Slot& slot = gSlots[slot_];
  slot.lost.store(false, std::memory_order_relaxed);
  slot.begin.store(reinterpret_cast<std::uintptr_t>(base),
                   std::memory_order_release);
  slot.end.store(reinterpret_cast<std::uintptr_t>(base) + length_,
                 std::memory_order_release);
  return true;
}

void MappedRange::unmap() {
  if (base_ == nullptr) return;
  Slot& slot = gSlots[slot_];
  slot.end.store(0, std::memory_order_release);
  slot.begin.store(0, std::memory_order_release);
  ::munmap(base_, length_);
  base_ = nullptr;
  data_ = nullptr;
  offset_ = 0;
  length_ = size_ = 0;
}

bool MappedRange::lost() const {
  return slot_ >= 0 && gSlots[slot_].lost.load(std::memory_order_acquire);
}

}  // namespace hapmat
