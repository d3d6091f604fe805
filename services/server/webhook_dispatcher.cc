#include "services/server/webhook_dispatcher.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/server/webhook_delivery.h"

namespace torikumi::server {

// Delivers one subscription's events, one at a time, in order.
class WebhookDispatcher::Worker {
 public:
  Worker(WebhookDispatcher& dispatcher, std::string name)
      : dispatcher_(dispatcher), name_(std::move(name)), thread_([this] { Run(); }) {}
  ~Worker() {
    stop_ = true;
    dispatcher_.WakeAll();
    thread_.join();
  }

 private:
  void Run() {
    int64_t seen = dispatcher_.WaitForChange(-1, absl::ZeroDuration(), &stop_);
    while (!dispatcher_.Stopped(stop_)) {
      absl::StatusOr<v1::Subscription> subscription = dispatcher_.store_.GetSubscription(name_);
      if (!subscription.ok()) {
        if (absl::IsNotFound(subscription.status())) return;  // deleted: nothing left to do
        log::Error("webhook ", name_, ": ", subscription.status().ToString());
        seen = dispatcher_.WaitForChange(seen, dispatcher_.options_.rescan, &stop_);
        continue;
      }
      Deliveries deliveries(dispatcher_.store_, *std::move(subscription),
                            dispatcher_.options_.targets);
      absl::StatusOr<std::optional<v1::ChangeEvent>> next = deliveries.NextEvent();
      if (!next.ok()) {
        log::Error("webhook ", name_, ": ", next.status().ToString());
      } else if (next->has_value()) {
        DeliverUntilAccepted(deliveries, **next);
        continue;
      }
      seen = dispatcher_.WaitForChange(seen, dispatcher_.options_.rescan, &stop_);
    }
  }

  // Retries with exponential backoff until the receiver accepts, the subscription is deleted
  // or the dispatcher stops.
  void DeliverUntilAccepted(Deliveries& deliveries, const v1::ChangeEvent& event) {
    const WebhookOptions& options = dispatcher_.options_;
    absl::Duration wait = options.first_retry;
    while (!dispatcher_.Stopped(stop_)) {
      absl::StatusOr<bool> accepted = deliveries.Attempt(event, options.request_timeout);
      if (!accepted.ok()) {
        if (!absl::IsNotFound(accepted.status())) {
          log::Error("webhook ", name_, ": ", accepted.status().ToString());
        }
        return;
      }
      if (*accepted) return;
      if (!dispatcher_.Sleep(wait, stop_)) return;
      wait = std::min(wait * 2, options.max_retry);
    }
  }

  WebhookDispatcher& dispatcher_;
  const std::string name_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

WebhookDispatcher::WebhookDispatcher(store::Store& store, WebhookOptions options)
    : store_(store), options_(options) {
  listener_id_ = store_.change_notifier().AddListener([this](int64_t) {
    MutexLock lock(&mu_);
    ++generation_;
    changed_.SignalAll();
  });
  thread_ = std::thread([this] { Run(); });
}

WebhookDispatcher::~WebhookDispatcher() {
  store_.change_notifier().RemoveListener(listener_id_);
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    changed_.SignalAll();
  }
  thread_.join();
}

void WebhookDispatcher::Run() {
  const std::atomic<bool> never{false};
  int64_t seen = -1;
  while (!Stopped(never)) {
    Reconcile();
    seen = WaitForChange(seen, options_.rescan);
  }
  workers_.clear();
}

void WebhookDispatcher::Reconcile() {
  absl::StatusOr<std::vector<v1::Subscription>> subscriptions =
      store_.ListSubscriptions("organizations/-");
  if (!subscriptions.ok()) {
    log::Error("webhooks: cannot list subscriptions: ", subscriptions.status().ToString());
    return;
  }
  std::map<std::string, std::unique_ptr<Worker>> kept;
  for (const v1::Subscription& subscription : *subscriptions) {
    auto found = workers_.find(subscription.name());
    if (found != workers_.end()) {
      kept.emplace(subscription.name(), std::move(found->second));
    } else {
      kept.emplace(subscription.name(), std::make_unique<Worker>(*this, subscription.name()));
    }
  }
  workers_.swap(kept);
  // `kept` now holds the workers of deleted subscriptions: destroying them stops them.
}

int64_t WebhookDispatcher::WaitForChange(int64_t seen, absl::Duration timeout,
                                         const std::atomic<bool>* worker_stop) {
  const absl::Time deadline = absl::Now() + timeout;
  MutexLock lock(&mu_);
  while (generation_ == seen && !stopping_ && !(worker_stop != nullptr && *worker_stop) &&
         !changed_.WaitWithDeadline(&mu_, deadline)) {
  }
  return generation_;
}

bool WebhookDispatcher::Sleep(absl::Duration duration, const std::atomic<bool>& worker_stop) {
  const absl::Time deadline = absl::Now() + duration;
  MutexLock lock(&mu_);
  while (!stopping_ && !worker_stop && !changed_.WaitWithDeadline(&mu_, deadline)) {
  }
  return !stopping_ && !worker_stop;
}

bool WebhookDispatcher::Stopped(const std::atomic<bool>& worker_stop) {
  MutexLock lock(&mu_);
  return stopping_ || worker_stop;
}

void WebhookDispatcher::WakeAll() {
  MutexLock lock(&mu_);
  changed_.SignalAll();
}

}  // namespace torikumi::server
