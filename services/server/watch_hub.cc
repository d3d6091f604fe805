#include "services/server/watch_hub.h"

#include <algorithm>
#include <atomic>

#include "services/server/call_log.h"
#include "services/server/grpc_status.h"

namespace torikumi::server {

class WatchReactor final : public grpc::ServerWriteReactor<v1::WatchChangesResponse> {
 private:
  WatchHub& hub_;

 public:
  WatchReactor(WatchHub& hub, store::ChangeQuery query, WatchAdmission admission,
               absl::Time next_check)
      : hub_(hub),
        query(std::move(query)),
        admission(std::move(admission)),
        next_check(next_check) {
    // The first response tells the client where its watch starts.
    response.set_cursor(domain::FormatCursor(this->query.after));
    writing = true;
    StartWrite(&response);
  }
  // A watch refused before it started.
  explicit WatchReactor(WatchHub& hub, const absl::Status& refused) : hub_(hub) {
    LogCallResult("WatchChanges", refused);
    Finish(ToGrpcStatus(refused));
  }

  void OnWriteDone(bool ok) override {
    if (!ok) broken = true;
    writing = false;
    hub_.Wake();
  }
  void OnCancel() override {
    broken = true;
    hub_.Wake();
  }
  void OnDone() override { delete this; }

  // Set here and on gRPC's threads.
  std::atomic<bool> writing{false};
  std::atomic<bool> broken{false};
  // The hub thread's alone once the watch is registered.
  store::ChangeQuery query;
  v1::WatchChangesResponse response;
  const WatchAdmission admission;
  absl::Time next_check;
};

WatchHub::WatchHub(domain::ChangeFeed& feed, store::ChangeNotifier& notifier,
                   absl::Duration recheck)
    : feed_(feed), notifier_(notifier), recheck_(recheck) {
  listener_id_ = notifier_.AddListener([this](int64_t) { Wake(); });
  thread_ = std::thread([this] { Run(); });
}

WatchHub::~WatchHub() {
  notifier_.RemoveListener(listener_id_);
  StopAll();
  thread_.join();
}

grpc::ServerWriteReactor<v1::WatchChangesResponse>* WatchHub::Refuse(const absl::Status& refused) {
  return new WatchReactor(*this, refused);
}

grpc::ServerWriteReactor<v1::WatchChangesResponse>* WatchHub::Watch(
    const v1::WatchChangesRequest& request, WatchAdmission admission) {
  {
    MutexLock lock(&mu_);
    if (stopping_) {
      return new WatchReactor(*this, absl::UnavailableError("the server is shutting down"));
    }
  }
  absl::StatusOr<store::ChangeQuery> query = feed_.StartWatch(request);
  if (!query.ok()) return new WatchReactor(*this, query.status());
  auto* watch =
      new WatchReactor(*this, *std::move(query), std::move(admission), absl::Now() + recheck_);
  MutexLock lock(&mu_);
  watches_.push_back(watch);
  dirty_ = true;
  wake_.Signal();
  return watch;
}

void WatchHub::StopAll() {
  MutexLock lock(&mu_);
  stopping_ = true;
  wake_.Signal();
}

void WatchHub::Wake() {
  MutexLock lock(&mu_);
  dirty_ = true;
  wake_.Signal();
}

void WatchHub::Run() {
  // After the first pass that saw stopping_, only a finished write (dirty_) is worth a pass.
  bool stopping = false;
  while (true) {
    std::vector<WatchReactor*> watches;
    {
      MutexLock lock(&mu_);
      while (true) {
        // Checked before every wait: the last watch may have been finished by the pass before.
        if (stopping_ && watches_.empty()) return;
        if (dirty_ || (stopping_ && !stopping)) break;
        // Woken at least every recheck_, so a watch's admission is asked again in time.
        if (wake_.WaitWithDeadline(&mu_, absl::Now() + recheck_)) break;
      }
      dirty_ = false;
      stopping = stopping_;
      watches = watches_;
    }
    for (WatchReactor* watch : watches) {
      if (stopping && !watch->writing) {
        Remove(watch);
        LogCallResult("WatchChanges", absl::UnavailableError("the server is shutting down"));
        watch->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
      } else if (!stopping) {
        Serve(watch);
      }
    }
  }
}

void WatchHub::Serve(WatchReactor* watch) {
  if (watch->writing) return;
  if (watch->broken) {
    Remove(watch);
    watch->Finish(grpc::Status::CANCELLED);
    return;
  }
  if (absl::Now() >= watch->next_check) {
    watch->next_check = absl::Now() + recheck_;
    if (absl::Status admitted = watch->admission(); !admitted.ok()) return End(watch, admitted);
  }
  absl::StatusOr<store::ChangePage> page = feed_.NextPage(watch->query);
  if (!page.ok()) return End(watch, page.status());
  watch->query.after = page->next;
  if (page->full) Wake();
  if (page->events.empty()) return;
  watch->response.Clear();
  for (v1::ChangeEvent& event : page->events) *watch->response.add_events() = std::move(event);
  watch->response.set_cursor(domain::FormatCursor(page->next));
  watch->writing = true;
  watch->StartWrite(&watch->response);
}

void WatchHub::End(WatchReactor* watch, const absl::Status& status) {
  Remove(watch);
  LogCallResult("WatchChanges", status);
  watch->Finish(ToGrpcStatus(status));
}

void WatchHub::Remove(WatchReactor* watch) {
  MutexLock lock(&mu_);
  watches_.erase(std::remove(watches_.begin(), watches_.end(), watch), watches_.end());
}

}  // namespace torikumi::server
