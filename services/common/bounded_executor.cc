#include "services/common/bounded_executor.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/metrics.h"

namespace torikumi {
namespace {

metrics::Family& QueuedGauge() {
  return metrics::Gauge("torikumi_executor_queued", "Work waiting for a thread of the executor.");
}
metrics::Family& RunningGauge() {
  return metrics::Gauge("torikumi_executor_running", "Work running on the executor's threads.");
}
metrics::Family& RejectedCounter() {
  return metrics::Counter("torikumi_executor_rejected_total",
                          "Work refused with RESOURCE_EXHAUSTED because the executor was full.");
}

}  // namespace

BoundedExecutor::BoundedExecutor(std::string name, int threads, int queue_capacity)
    : name_(std::move(name)), queue_capacity_(queue_capacity) {
  workers_.reserve(threads);
  for (int i = 0; i < threads; ++i) workers_.emplace_back(&BoundedExecutor::WorkerLoop, this);
}

BoundedExecutor::~BoundedExecutor() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    changed_.SignalAll();
  }
  for (std::thread& worker : workers_) worker.join();
}

absl::Status BoundedExecutor::TrySubmit(std::function<void()> work) {
  MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError(absl::StrCat(name_, ": the server is stopping"));
  if (static_cast<int>(queue_.size()) >= queue_capacity_) {
    RejectedCounter().Add({{"executor", name_}});
    return absl::ResourceExhaustedError(
        absl::StrCat("the server is busy: ", running_, " ", name_, " calls are running and ",
                     queue_.size(), " waiting, the most it takes (", workers_.size(),
                     " threads, a queue of ", queue_capacity_, "); retry later"));
  }
  queue_.push_back(std::move(work));
  PublishLoad();
  changed_.Signal();
  return absl::OkStatus();
}

void BoundedExecutor::WorkerLoop() {
  for (;;) {
    std::function<void()> work;
    {
      MutexLock lock(&mu_);
      while (queue_.empty() && !stopping_) changed_.Wait(&mu_);
      if (queue_.empty()) return;  // stopping, and nothing left to run
      work = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
      PublishLoad();
    }
    work();
    work = nullptr;  // what the work captured goes before the count drops
    MutexLock lock(&mu_);
    --running_;
    PublishLoad();
  }
}

void BoundedExecutor::PublishLoad() {
  QueuedGauge().Set({{"executor", name_}}, static_cast<double>(queue_.size()));
  RunningGauge().Set({{"executor", name_}}, running_);
}

}  // namespace torikumi
