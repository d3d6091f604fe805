// Work that must not run on a gRPC callback thread (those threads serve every call, so a
// call that blocks one for long stalls others): each piece of work gets a thread of its own.
// The owner's destructor waits until every piece has finished, so work never outlives what
// it uses.
#pragma once

#include <functional>

#include "absl/base/thread_annotations.h"
#include "services/common/mutex.h"

namespace torikumi::server {

class BackgroundCalls {
 public:
  BackgroundCalls() = default;
  // Waits for every piece of work started by Run.
  ~BackgroundCalls();
  BackgroundCalls(const BackgroundCalls&) = delete;
  BackgroundCalls& operator=(const BackgroundCalls&) = delete;

  // Runs `work` on a new thread and returns at once.
  void Run(std::function<void()> work);

 private:
  Mutex mu_;
  CondVar idle_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace torikumi::server
