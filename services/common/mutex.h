// A mutex and condition variable that both ThreadSanitizer and clang's -Wthread-safety
// understand.
//
// absl::Mutex carries the thread-safety annotations, but Debian's Abseil is not built for
// ThreadSanitizer, so TSan cannot see its locking and reports the state it guards as
// races. std::mutex is seen by TSan (through pthread) but libstdc++ does not annotate it,
// so clang cannot check ABSL_GUARDED_BY against it. These wrappers are std::mutex and
// std::condition_variable with the annotations added:
//
//   mutable torikumi::Mutex mu_;
//   int count_ ABSL_GUARDED_BY(mu_) = 0;
//   ...
//   torikumi::MutexLock lock(&mu_);
//   while (count_ == 0) ready_.Wait(&mu_);
//
// Conditions are written as loops at the call site (not as predicates passed in), so the
// analysis sees every read of guarded state under the lock.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace torikumi {

class ABSL_LOCKABLE Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mu_.lock(); }
  void Unlock() ABSL_UNLOCK_FUNCTION() { mu_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds a Mutex for its scope.
class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

class CondVar {
 public:
  // Releases *mu, waits for a notification (or a spurious wake-up), takes *mu again.
  void Wait(Mutex* mu) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();  // still held: the caller's MutexLock releases it
  }
  // The same, giving up at `deadline`; true if the deadline has passed.
  bool WaitWithDeadline(Mutex* mu, absl::Time deadline) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (deadline == absl::InfiniteFuture()) {
      Wait(mu);
      return false;
    }
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    // A steady clock, so that changing the wall clock neither shortens nor stretches it.
    // Capped, so a far deadline cannot overflow the clock arithmetic; the caller's loop
    // waits again.
    const absl::Duration left =
        std::clamp(deadline - absl::Now(), absl::ZeroDuration(), absl::Hours(1));
    cv_.wait_for(lock, absl::ToChronoNanoseconds(left));
    lock.release();
    return absl::Now() >= deadline;
  }
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace torikumi
