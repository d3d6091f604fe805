#include "services/evaluators/time_limit.h"

namespace torikumi::evaluators {

TimedCallRunner::TimedCallRunner(int max_idle) {
  absl::MutexLock lock(&shared_->mu);
  shared_->max_idle = max_idle;
}

TimedCallRunner::~TimedCallRunner() {
  absl::MutexLock lock(&shared_->mu);
  shared_->stopping = true;  // idle workers wake up and leave; busy ones leave when done
}

absl::Status TimedCallRunner::Submit(std::function<void()> task) {
  {
    absl::MutexLock lock(&shared_->mu);
    // Every queued task needs an idle worker of its own, or it would wait behind a call
    // that may never return.
    if (shared_->idle + shared_->finishing > static_cast<int>(shared_->tasks.size())) {
      shared_->tasks.push_back(std::move(task));
      return absl::OkStatus();
    }
  }
  try {
    std::thread(&TimedCallRunner::WorkerLoop, shared_, std::move(task)).detach();
  } catch (const std::system_error& e) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot start a worker thread for a plugin call: ", e.what()));
  }
  return absl::OkStatus();
}

void TimedCallRunner::WorkerLoop(std::shared_ptr<Shared> shared, std::function<void()> task) {
  while (true) {
    task();  // every task counts its worker as finishing once its call has returned
    task = nullptr;
    absl::MutexLock lock(&shared->mu);
    --shared->finishing;
    // A task queued while this worker was finishing is taken at once; otherwise it waits
    // as an idle worker, unless enough wait already.
    if (shared->tasks.empty()) {
      if (shared->stopping || shared->idle >= shared->max_idle) return;
      ++shared->idle;
      auto ready = [&shared]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared->mu) {
        return !shared->tasks.empty() || shared->stopping;
      };
      shared->mu.Await(absl::Condition(&ready));
      --shared->idle;
      if (shared->tasks.empty()) return;  // stopping
    }
    task = std::move(shared->tasks.front());
    shared->tasks.pop_front();
  }
}

int TimedCallRunner::abandoned() const {
  absl::MutexLock lock(&shared_->mu);
  return shared_->abandoned;
}

bool TimedCallRunner::WaitForNoAbandoned(absl::Duration timeout) const {
  absl::MutexLock lock(&shared_->mu);
  Shared* shared = shared_.get();
  auto none = [shared]()
                  ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared->mu) { return shared->abandoned == 0; };
  return shared_->mu.AwaitWithTimeout(absl::Condition(&none), timeout);
}

}  // namespace torikumi::evaluators
