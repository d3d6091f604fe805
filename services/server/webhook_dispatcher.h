// Delivers the change feed to webhook subscriptions: one worker thread per subscription reads
// the feed from the subscription's own stored cursor and POSTs each matching event, signed,
// until the receiver answers 2xx (retrying with exponential backoff), then stores the cursor
// after it. So delivery is at least once and in order, survives restarts, and never holds up
// the write that made the change: the writer only wakes the workers.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "services/common/mutex.h"
#include "services/common/webhook_target.h"
#include "services/store/store.h"

namespace torikumi::server {

struct WebhookOptions {
  // The wait after the first failed attempt; it doubles with each further failure…
  absl::Duration first_retry = absl::Seconds(1);
  // …up to this.
  absl::Duration max_retry = absl::Minutes(5);
  // One POST's time limit (connect, send, answer).
  absl::Duration request_timeout = absl::Seconds(10);
  // How often subscriptions are listed again and idle workers look at the feed without
  // being woken (a safety net: commits wake them at once).
  absl::Duration rescan = absl::Seconds(5);
  // Which hosts may be delivered to (webhook_target.h); checked again on every attempt.
  WebhookTargetPolicy targets;
};

class WebhookDispatcher {
 public:
  WebhookDispatcher(store::Store& store, WebhookOptions options);
  // Stops every worker (an attempt in flight ends within request_timeout) and joins them.
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

 private:
  class Worker;  // webhook_dispatcher.cc
  friend class Worker;

  void Run();
  // Starts a worker for every new subscription and stops those of deleted ones.
  void Reconcile();
  // Waits until a commit with changes after generation `seen`, `timeout`, or a stop (of the
  // dispatcher or, when given, of one worker); returns the generation then.
  int64_t WaitForChange(int64_t seen, absl::Duration timeout,
                        const std::atomic<bool>* worker_stop = nullptr);
  // Sleeps `duration` unless stopped first; false when stopped.
  bool Sleep(absl::Duration duration, const std::atomic<bool>& worker_stop);
  bool Stopped(const std::atomic<bool>& worker_stop);
  // Wakes every waiting thread (after a stop flag was set).
  void WakeAll();

  store::Store& store_;
  const WebhookOptions options_;
  int listener_id_ = 0;
  Mutex mu_;
  CondVar changed_;
  int64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The dispatcher thread's alone.
  std::map<std::string, std::unique_ptr<Worker>> workers_;
  std::thread thread_;
};

}  // namespace torikumi::server
