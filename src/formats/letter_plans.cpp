#include "formats/letter_plans.hpp"

namespace hapmat {

SharedLetterPlans::Plan SharedLetterPlans::get(
    const kernels::KernelSet& kernels, std::size_t count, std::size_t shape,
    const std::function<kernels::LetterLayout()>& layout) {
  std::lock_guard lock(mutex_);
  for (const Entry& entry : entries_) {
    if (entry.planLetters == kernels.planLetters && entry.count == count &&
        entry.shape == shape) {
      return entry.plan;
    }
  }
  // Planned under the lock: rare (a new layout), and a thread that needs the
  // same plan meanwhile had better wait than plan it twice.
  auto plan = std::make_shared<kernels::LetterPlan>();
  kernels.planLetters(layout(), *plan);
  if (entries_.size() == kKept) entries_.erase(entries_.begin());
  entries_.push_back({kernels.planLetters, count, shape, plan});
  return plan;
}

}  // namespace hapmat
