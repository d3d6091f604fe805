#include "services/evaluators/time_limit.h"

namespace torikumi::evaluators {

metrics::ScopedTimer PluginCallTimer(absl::string_view what) {
  return metrics::ScopedTimer(
      metrics::Histogram("torikumi_plugin_call_seconds",
                         "Time a plugin call (create, validate, evaluate…) took, as its caller "
                         "waited."),
      {{"call", std::string(what.substr(0, what.find("()")))}});
}

TimedCallRunner::TimedCallRunner(int max_idle) {
  MutexLock lock(&shared_->mu);
  shared_->max_idle = max_idle;
}

TimedCallRunner::~TimedCallRunner() {
  MutexLock lock(&shared_->mu);
  shared_->stopping = true;  // idle workers wake up and leave; busy ones leave when done
  shared_->work_or_stop.SignalAll();
}

absl::Status TimedCallRunner::Submit(std::function<void()> task) {
  {
    MutexLock lock(&shared_->mu);
    // Every queued task needs an idle worker of its own, or it would wait behind a call
    // that may never return.
    if (shared_->idle + shared_->finishing > static_cast<int>(shared_->tasks.size())) {
      shared_->tasks.push_back(std::move(task));
      shared_->work_or_stop.Signal();
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
    MutexLock lock(&shared->mu);
    --shared->finishing;
    // A task queued while this worker was finishing is taken at once; otherwise it waits
    // as an idle worker, unless enough wait already.
    if (shared->tasks.empty()) {
      if (shared->stopping || shared->idle >= shared->max_idle) return;
      ++shared->idle;
      while (shared->tasks.empty() && !shared->stopping) shared->work_or_stop.Wait(&shared->mu);
      --shared->idle;
      if (shared->tasks.empty()) return;  // stopping
    }
    task = std::move(shared->tasks.front());
    shared->tasks.pop_front();
  }
}

int TimedCallRunner::abandoned() const {
  MutexLock lock(&shared_->mu);
  return shared_->abandoned;
}

bool TimedCallRunner::WaitForNoAbandoned(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  MutexLock lock(&shared_->mu);
  while (shared_->abandoned > 0 &&
         !shared_->abandoned_ended.WaitWithDeadline(&shared_->mu, deadline)) {
  }
  return shared_->abandoned == 0;
}

}  // namespace torikumi::evaluators
