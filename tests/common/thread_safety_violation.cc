// Not built: the thread-safety check compiles it with clang and expects it to be rejected,
// which shows that a member read without its mutex fails the check.
#include "absl/base/thread_annotations.h"
#include "services/common/mutex.h"

namespace torikumi {

class Counter {
 public:
  void Add() {
    MutexLock lock(&mu_);
    ++count_;
  }
  int Read() const { return count_; }  // the violation: count_ read without mu_

 private:
  mutable Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
};

int Use() {
  Counter counter;
  counter.Add();
  return counter.Read();
}

}  // namespace torikumi
