// A fixed pool of threads with a bounded queue, for work that can block (a whole-plan
// evaluation, an import writing a plan in one transaction, a plugin call): such work must not
// run on gRPC's callback threads, which serve every call, nor start a thread per call, which
// any client could multiply without bound. When every thread is busy and the queue is full,
// TrySubmit refuses with RESOURCE_EXHAUSTED instead of queueing more.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "services/common/mutex.h"

namespace torikumi {

class BoundedExecutor {
 public:
  // `threads` workers run the work; up to `queue_capacity` more pieces wait for one.
  // `name` appears in the refusal and in the metrics (torikumi_executor_*{executor=name}).
  BoundedExecutor(std::string name, int threads, int queue_capacity);
  // Runs what is queued still, then joins the workers: work never outlives what it uses.
  ~BoundedExecutor();
  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // Queues `work` and returns OK, or RESOURCE_EXHAUSTED (work not run) when full.
  absl::Status TrySubmit(std::function<void()> work);

  int threads() const { return static_cast<int>(workers_.size()); }
  int queue_capacity() const { return queue_capacity_; }

 private:
  void WorkerLoop();
  void PublishLoad() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string name_;
  const int queue_capacity_;
  Mutex mu_;
  CondVar changed_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace torikumi
