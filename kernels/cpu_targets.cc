// The functions of Highway's runtime library that the kernels call
// (kernel_set.cc, the HWY_EXPORT tables, and HWY_DASSERT in the sanitizer
// and fuzz builds), defined here so that a hapmat process does not load
// libhwy.so: that library's load-time set-up measures its timer's
// resolution with 65536 pairs of time stamp reads, 5 to 12 ms of every run
// on the machines measured, more than converting a 1 Mb region costs
// (docs/BENCHMARKS.md). The x86 feature groups of each target are
// Highway 1.0.3's (the Debian version); kernel_set_test compares the result
// with libhwy's own SupportedTargets().

#include <cpuid.h>
#include <hwy/base.h>
#include <hwy/targets.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace hwy {
namespace {

struct CpuidWords {
  std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

CpuidWords cpuid(std::uint32_t leaf, std::uint32_t subleaf = 0) {
  CpuidWords words;
  // GCC's cpuid.h returns unsigned, clang's int.
  const auto highest =
      static_cast<std::uint32_t>(__get_cpuid_max(leaf & 0x80000000u, nullptr));
  if (highest < leaf) return words;
  __cpuid_count(leaf, subleaf, words.eax, words.ebx, words.ecx, words.edx);
  return words;
}

constexpr bool has(std::uint32_t word, std::uint32_t bits) {
  return (word & bits) == bits;
}

constexpr std::uint32_t bit(unsigned index) { return 1u << index; }

// The register state the OS saves on a context switch (XCR0): a target's
// registers are usable only if it saves them.
std::uint32_t savedState() {
  std::uint32_t eax = 0, edx = 0;
  __asm__("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return eax;
}

std::int64_t detectX86() {
  const CpuidWords one = cpuid(1);
  const CpuidWords seven = cpuid(7);
  const CpuidWords extended = cpuid(0x80000001u);
  // SSE, SSE2; SSE3, SSSE3.
  const bool ssse3 =
      has(one.edx, bit(25) | bit(26)) && has(one.ecx, bit(0) | bit(9));
  // SSE4.1, SSE4.2, CLMUL, AES.
  const bool sse4 = ssse3 && has(one.ecx, bit(19) | bit(20) | bit(1) | bit(25));
  // AVX, F16C, FMA; LZCNT; BMI, AVX2, BMI2.
  const bool avx2 = sse4 && has(one.ecx, bit(28) | bit(29) | bit(12)) &&
                    has(extended.ecx, bit(5)) &&
                    has(seven.ebx, bit(3) | bit(5) | bit(8));
  // AVX512 F, DQ, BW, VL.
  const bool avx3 =
      avx2 && has(seven.ebx, bit(16) | bit(17) | bit(30) | bit(31));
  // VBMI, VBMI2, VAES, VPCLMULQDQ, VNNI, BITALG, VPOPCNTDQ.
  const bool avx3Dl =
      avx3 && has(seven.ecx, bit(1) | bit(6) | bit(9) | bit(10) | bit(11) |
                                 bit(12) | bit(14));
  std::int64_t targets = HWY_SCALAR | HWY_EMU128;
  if (ssse3) targets |= HWY_SSSE3;
  if (sse4) targets |= HWY_SSE4;
  // OSXSAVE: xgetbv is there. The OS saves XMM and YMM for AVX2; the
  // opmasks and both halves of ZMM besides for AVX3.
  const std::uint32_t state = has(one.ecx, bit(27)) ? savedState() : 0;
  if (avx2 && has(state, 0x6)) targets |= HWY_AVX2;
  if (avx3 && has(state, 0xE6)) targets |= HWY_AVX3;
  if (avx3Dl && has(state, 0xE6)) targets |= HWY_AVX3_DL;
  return targets;
}

}  // namespace

std::int64_t SupportedTargets() {
  static const std::int64_t targets = detectX86();
  return targets;
}

ChosenTarget& GetChosenTarget() {
  static ChosenTarget chosen;
  return chosen;
}

// A failed HWY_DASSERT (or HWY_ASSERT): says where, then aborts.
void Abort(const char* file, int line, const char* format, ...) {
  std::fprintf(stderr, "Abort at %s:%d: ", file, line);
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fputc('\n', stderr);
  std::abort();
}

}  // namespace hwy
