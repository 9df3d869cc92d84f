#pragma once
// The sample-part plans of a writer (kernels/letters.h), shared by its
// threads: a plan is built once per layout shape and target, not once per
// converting thread, so that wide rows, whose plans are large, do not
// multiply them.

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "kernels/kernel_set.h"

namespace hapmat {

class SharedLetterPlans {
 public:
  using Plan = std::shared_ptr<const kernels::LetterPlan>;

  /**
   * The plan, by `kernels`' target, of the layouts of rows with `count`
   * haplotypes and the writer's `shape` (e.g. the CHROM length); `layout`
   * makes one of them when no plan is kept. Safe from any thread.
   */
  Plan get(const kernels::KernelSet& kernels, std::size_t count,
           std::size_t shape,
           const std::function<kernels::LetterLayout()>& layout);

 private:
  // Plans kept: rows of a few CHROM lengths on a target or two reuse
  // theirs; a thread keeps the plan it uses when one is dropped.
  static constexpr std::size_t kKept = 8;

  struct Entry {
    kernels::PlanLettersFunction planLetters;
    std::size_t count;
    std::size_t shape;
    Plan plan;
  };

  std::mutex mutex_;
  std::vector<Entry> entries_;  // oldest first
};

}  // namespace hapmat
