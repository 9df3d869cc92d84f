// Kernel sets: every target this CPU runs has one, each holding that
// target's own code, resolved without Highway's process-wide state.

#include "kernels/kernel_set.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <hwy/highway.h>

#include <cctype>
#include <cstdio>

#include "kernels/test_support.h"

namespace hapmat::kernels {
namespace {

std::int64_t targetBit(const std::string& name) {
  for (std::int64_t targets = HWY_TARGETS; targets != 0;
       targets &= targets - 1) {
    const std::int64_t bit = targets & -targets;
    if (name == hwy::TargetName(bit)) return bit;
  }
  return 0;
}

#if HWY_ARCH_X86
// hapmat answers Highway's SupportedTargets() itself (cpu_targets.cc),
// without loading libhwy.so; libhwy's own answer, loaded here, is the same.
TEST(KernelSet, TargetsFoundAsLibhwyFindsThem) {
  void* libhwy = dlopen("libhwy.so.1", RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(libhwy, nullptr) << dlerror();
  using Supported = std::int64_t (*)();
  const auto theirs =
      reinterpret_cast<Supported>(dlsym(libhwy, "_ZN3hwy16SupportedTargetsEv"));
  ASSERT_NE(theirs, nullptr) << dlerror();
  EXPECT_EQ(hwy::SupportedTargets(), theirs());
  EXPECT_NE(&hwy::SupportedTargets, theirs);  // ours, not libhwy's
  dlclose(libhwy);
}

// HWY_DASSERT's failure (sanitizer and fuzz builds) says where, and aborts.
TEST(KernelSet, AFailedAssertionSaysWhere) {
  EXPECT_DEATH(hwy::Abort("pack.cc", 12, "size %d", 7),
               "^Abort at pack\\.cc:12: size 7\n$");
}
#endif

TEST(KernelSet, EveryTargetHasItsOwnCode) {
  const std::vector<std::string> names = availableTargets();
  std::string ran;
  for (const std::string& name : names) ran += name + " ";
  std::printf("[ kernels  ] targets: %s\n", ran.c_str());
  ASSERT_GT(names.size(), 1u);
  EXPECT_EQ(names.back(), "SCALAR");
#if HWY_ARCH_X86
  if (__builtin_cpu_supports("avx2")) {
    EXPECT_NE(std::find(names.begin(), names.end(), "AVX2"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "SSE4"), names.end());
  }
#endif
  std::vector<PackAllelesFunction> seen;
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    std::optional<KernelSet> set = kernelSet(name);
    ASSERT_TRUE(set.has_value());
    EXPECT_EQ(set->target, name);
    const std::int64_t bit = targetBit(name);
    EXPECT_EQ(set->packAlleles, packAllelesFor(bit));
    EXPECT_EQ(set->newlineMasks, newlineMasksFor(bit));
    EXPECT_EQ(set->firstIndexOf, firstIndexOfFor(bit));
    EXPECT_EQ(set->planLetters, planLettersFor(bit));
    EXPECT_EQ(set->writeLetters, writeLettersFor(bit));
    EXPECT_EQ(set->countBytes, countBytesFor(bit));
    EXPECT_EQ(set->countLetters, countLettersFor(bit));
    EXPECT_EQ(std::find(seen.begin(), seen.end(), set->packAlleles),
              seen.end());
    seen.push_back(set->packAlleles);
  }
  // Nothing was forced: Highway still reports every target this CPU runs.
  EXPECT_EQ(availableTargets(), names);
}

TEST(KernelSet, TheBestByDefaultAndNamesInAnyCase) {
  const std::vector<std::string> names = availableTargets();
  EXPECT_EQ(kernelSet()->target, names.front());
  std::string lower = names.back();
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  EXPECT_EQ(kernelSet(lower)->target, names.back());
  EXPECT_FALSE(kernelSet("no-such-target").has_value());
  EXPECT_FALSE(kernelSet("EMU128").has_value());  // not compiled with g++ 12
  EXPECT_FALSE(kernelSet(names.front() + " ").has_value());
}

TEST(KernelSet, ScalarTwinsHoldEveryTwin) {
  const KernelSet& twins = scalarTwins();
  EXPECT_EQ(twins.target, "scalar twin");
  EXPECT_EQ(twins.newlineMasks, newlineMasksScalar);
  EXPECT_EQ(twins.packAlleles, packAllelesScalar);
  EXPECT_EQ(twins.firstIndexOf, firstIndexOfScalar);
  EXPECT_EQ(twins.planLetters, planLettersScalar);
  EXPECT_EQ(twins.writeLetters, writeLettersScalar);
  EXPECT_EQ(twins.countBytes, countBytesScalar);
  EXPECT_EQ(twins.countLetters, countLettersScalar);
}

}  // namespace
}  // namespace hapmat::kernels
