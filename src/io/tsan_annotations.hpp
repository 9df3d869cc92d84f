#pragma once
// ThreadSanitizer sees the atomics of the code it compiles, not those inside
// the prebuilt oneTBB library, so it cannot know that TBB runs a serial
// pipeline stage one call after another, or hands a token from one stage
// to the next. These marks state those orderings, which TBB guarantees;
// outside a ThreadSanitizer build they are nothing.

#if defined(__SANITIZE_THREAD__)
#define HAPMAT_TSAN_ENABLED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HAPMAT_TSAN_ENABLED 1
#endif
#endif

#ifdef HAPMAT_TSAN_ENABLED
extern "C" void __tsan_acquire(void* address);
extern "C" void __tsan_release(void* address);
extern "C" void AnnotateIgnoreWritesBegin(const char* file, int line);
extern "C" void AnnotateIgnoreWritesEnd(const char* file, int line);
#endif

namespace hapmat {

/** What happened before happensBefore(x) happens before afterThat(x). */
inline void happensBefore([[maybe_unused]] const void* address) {
#ifdef HAPMAT_TSAN_ENABLED
  __tsan_release(const_cast<void*>(address));
#endif
}

inline void afterThat([[maybe_unused]] const void* address) {
#ifdef HAPMAT_TSAN_ENABLED
  __tsan_acquire(const_cast<void*>(address));
#endif
}

/** One call of a pipeline stage: ordered after the calls before it that
 * named the same address, and before those after it, however it ends. */
class StageCall {
 public:
  explicit StageCall(const void* address) : address_(address) {
    afterThat(address_);
  }
  ~StageCall() { happensBefore(address_); }
  StageCall(const StageCall&) = delete;
  StageCall& operator=(const StageCall&) = delete;

 private:
  const void* address_;
};

/**
 * While one lives, this thread's writes are not recorded. For spawning a
 * oneTBB task: its copy of the function is written in TBB's header code and
 * read by the worker that runs it, ordered by TBB's uninstrumented library
 * alone. The task's body then starts with afterThat() before it touches
 * anything else of the spawner's.
 */
class UnrecordedWrites {
 public:
  UnrecordedWrites() {
#ifdef HAPMAT_TSAN_ENABLED
    AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
#endif
  }
  ~UnrecordedWrites() {
#ifdef HAPMAT_TSAN_ENABLED
    AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
#endif
  }
  UnrecordedWrites(const UnrecordedWrites&) = delete;
  UnrecordedWrites& operator=(const UnrecordedWrites&) = delete;
};

}  // namespace hapmat
