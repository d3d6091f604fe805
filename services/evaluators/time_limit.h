// Running plugin code with a time limit, on a small pool of long-lived worker threads.
//
// C code cannot be interrupted safely, so a call that runs past its limit is abandoned,
// not stopped: the caller gets DEADLINE_EXCEEDED at once, and the call keeps running on
// its worker. Everything the call needs (the plugin library, the evaluator instance, the
// request bytes) is owned by the call's closure, so nothing is freed or unloaded under
// it; when the call finally returns, its result is dropped and so are those references
// (the last one unloads an old plugin), and the worker goes back to the pool. A call that
// never returns keeps its worker thread and its plugin library for the life of the
// process; later calls get other workers.
//
// Workers are reused because a fresh thread per call (its stack, its malloc arena, cold
// caches) cost a fifth of a batch evaluation in the benchmark.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/metrics.h"
#include "services/common/mutex.h"

namespace torikumi::evaluators {

// Times one plugin call, as its caller waited for it, in torikumi_plugin_call_seconds{call}.
// `what` begins with the plugin function's name ("evaluate() of evaluator …"): the label.
metrics::ScopedTimer PluginCallTimer(absl::string_view what);

class TimedCallRunner {
 public:
  // At most `max_idle` workers wait for work; more are started when calls overlap.
  explicit TimedCallRunner(int max_idle = 4);
  // Idle workers exit; busy ones (abandoned calls) exit when their call returns.
  ~TimedCallRunner();
  TimedCallRunner(const TimedCallRunner&) = delete;
  TimedCallRunner& operator=(const TimedCallRunner&) = delete;

  // Runs fn() on a worker and waits at most `limit` for it (InfiniteDuration: runs fn()
  // on the calling thread). `what` names the call in the DEADLINE_EXCEEDED message.
  template <typename T>
  absl::StatusOr<T> Run(std::function<absl::StatusOr<T>()> fn, absl::Duration limit,
                        absl::string_view what);

  // Abandoned calls still running, and a wait until there are none (false on timeout).
  int abandoned() const;
  bool WaitForNoAbandoned(absl::Duration timeout) const;

 private:
  // State shared with the workers; it outlives the runner while any worker runs.
  struct Shared {
    Mutex mu;
    CondVar work_or_stop;     // a task was queued, or the runner is stopping
    CondVar abandoned_ended;  // an abandoned call returned
    std::deque<std::function<void()>> tasks ABSL_GUARDED_BY(mu);
    int idle ABSL_GUARDED_BY(mu) = 0;
    // Workers whose call has returned, on their way back to idle: a task queued now
    // waits for nothing that could hang.
    int finishing ABSL_GUARDED_BY(mu) = 0;
    int max_idle ABSL_GUARDED_BY(mu) = 4;
    bool stopping ABSL_GUARDED_BY(mu) = false;
    int abandoned ABSL_GUARDED_BY(mu) = 0;
  };

  // Hands `task` to an idle worker, or starts a worker for it.
  absl::Status Submit(std::function<void()> task);
  static void WorkerLoop(std::shared_ptr<Shared> shared, std::function<void()> task);

  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

template <typename T>
absl::StatusOr<T> TimedCallRunner::Run(std::function<absl::StatusOr<T>()> fn, absl::Duration limit,
                                       absl::string_view what) {
  metrics::ScopedTimer timer = PluginCallTimer(what);
  if (limit == absl::InfiniteDuration()) return fn();
  struct State {
    Mutex mu;
    CondVar finished;
    bool done ABSL_GUARDED_BY(mu) = false;
    bool abandoned ABSL_GUARDED_BY(mu) = false;
    absl::StatusOr<T> result ABSL_GUARDED_BY(mu) = absl::UnknownError("no result");
  };
  auto state = std::make_shared<State>();
  std::shared_ptr<Shared> shared = shared_;
  absl::Status submitted = Submit([state, shared, fn = std::move(fn)]() mutable {
    absl::StatusOr<T> result = absl::UnknownError("no result");
    {
      // Moved into a scope of its own, so whatever fn holds (the plugin library, the
      // instance) is released before anyone can learn that the call finished.
      std::function<absl::StatusOr<T>()> call = std::move(fn);
      result = call();
    }
    {
      // Counted as back before the caller learns of the result, so that the caller's next
      // call goes to this worker instead of starting another one.
      MutexLock shared_lock(&shared->mu);
      ++shared->finishing;
    }
    MutexLock lock(&state->mu);
    state->done = true;
    if (state->abandoned) {
      result = absl::CancelledError("abandoned");  // nobody waits for it: drop it here
      MutexLock shared_lock(&shared->mu);
      --shared->abandoned;
      shared->abandoned_ended.SignalAll();
      return;
    }
    state->result = std::move(result);
    state->finished.Signal();
  });
  if (!submitted.ok()) return submitted;
  const absl::Time deadline = absl::Now() + limit;
  MutexLock lock(&state->mu);
  while (!state->done && !state->finished.WaitWithDeadline(&state->mu, deadline)) {
  }
  if (!state->done) {
    state->abandoned = true;
    MutexLock shared_lock(&shared_->mu);
    ++shared_->abandoned;
    return absl::DeadlineExceededError(
        absl::StrCat(what, " did not finish within ", absl::FormatDuration(limit),
                     "; it was abandoned and keeps running on its own thread"));
  }
  return std::move(state->result);
}

}  // namespace torikumi::evaluators
