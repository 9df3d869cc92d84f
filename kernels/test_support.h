#pragma once
// What the kernel tests share: rows placed against PROT_NONE guard pages,
// and a run of a test body with every compiled target's kernels.

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/kernel_set.h"

namespace hapmat::kernels::test {

using Bytes = std::vector<std::uint8_t>;

inline Bytes bytesOf(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

// Pages [guard][data ...][guard], the guards PROT_NONE: data placed at the
// end (or start) of the data pages faults on any read past (or before) it.
class GuardedPages {
 public:
  explicit GuardedPages(std::size_t bytes)
      : page_(static_cast<std::size_t>(sysconf(_SC_PAGESIZE))),
        pages_(std::max<std::size_t>(1, (bytes + page_ - 1) / page_)) {
    void* map = mmap(nullptr, (pages_ + 2) * page_, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) std::abort();
    base_ = static_cast<std::uint8_t*>(map);
    if (mprotect(base_, page_, PROT_NONE) != 0 ||
        mprotect(base_ + (pages_ + 1) * page_, page_, PROT_NONE) != 0) {
      std::abort();
    }
  }
  ~GuardedPages() { munmap(base_, (pages_ + 2) * page_); }
  GuardedPages(const GuardedPages&) = delete;
  GuardedPages& operator=(const GuardedPages&) = delete;

  std::size_t capacity() const { return pages_ * page_; }
  // A copy of `bytes` whose last byte is the last before the trailing guard.
  const std::uint8_t* atEnd(const Bytes& bytes) {
    std::uint8_t* at = base_ + (pages_ + 1) * page_ - bytes.size();
    if (!bytes.empty()) std::memcpy(at, bytes.data(), bytes.size());
    return at;
  }
  // Room for `size` bytes to be written, ending at the trailing guard.
  std::uint8_t* spaceAtEnd(std::size_t size) {
    return base_ + (pages_ + 1) * page_ - size;
  }
  // A copy of `bytes` whose first byte is the first after the leading guard.
  const std::uint8_t* atStart(const Bytes& bytes) {
    std::uint8_t* at = base_ + page_;
    if (!bytes.empty()) std::memcpy(at, bytes.data(), bytes.size());
    return at;
  }

 private:
  std::size_t page_;
  std::size_t pages_;
  std::uint8_t* base_ = nullptr;
};

/**
 * Runs `body(kernels)` once per compiled target this CPU supports, with
 * that target's kernel set; stops at the first fatal failure.
 */
template <class Body>
void forEachTarget(const Body& body) {
  std::vector<std::string> names = availableTargets();
  ASSERT_FALSE(names.empty());
  for (const std::string& name : names) {
    SCOPED_TRACE("target " + name);
    std::optional<KernelSet> kernels = kernelSet(name);
    ASSERT_TRUE(kernels.has_value());
    body(*kernels);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

/**
 * Runs `check(kernels, data, size)` on every target for inputs of 0 to 300
 * bytes from `make(rng, size)`, each placed against the trailing guard page
 * and after the leading one: a kernel that reads outside its bytes faults.
 */
template <class MakeInput, class Check>
void checkAgainstGuardPages(std::uint64_t seed, const MakeInput& make,
                            const Check& check) {
  GuardedPages pages(4096);
  forEachTarget([&](const KernelSet& kernels) {
    std::mt19937_64 rng(seed);
    for (std::size_t size = 0; size <= 300; ++size) {
      const Bytes input = make(rng, size);
      check(kernels, pages.atEnd(input), size);
      check(kernels, pages.atStart(input), size);
      if (::testing::Test::HasFatalFailure()) return;
    }
  });
}

}  // namespace hapmat::kernels::test
