// The change feed at the storage boundary: what a watch or the webhook dispatcher asks the
// store for, and the notifier that tells them a write with changes was committed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "services/common/mutex.h"
#include "torikumi/v1/change_service.pb.h"

namespace torikumi::store {

// Changes below `organization` (and `plan` when not empty, plus the organization's changes
// that are below no plan: rule sets) after sequence `after`.
struct ChangeQuery {
  std::string organization;
  std::string plan;
  // Empty: every kind.
  std::vector<v1::ResourceKind> kinds;
  int64_t after = 0;
  // At most this many events.
  int limit = 100;
};

struct ChangePage {
  // In commit order; each event's cursor is its sequence number in decimal.
  std::vector<v1::ChangeEvent> events;
  // Where the next query goes on from: the last event's sequence when the page is full, else
  // the newest sequence the store had (so changes outside the filter are not scanned again).
  int64_t next = 0;
  bool full = false;
};

// A change recorded below a plan that its name does not show (a job's name is "jobs/{n}").
struct PlanChange {
  v1::ChangeEvent event;
  // organizations/{o}/plans/{p}
  std::string plan;
};

// Tells listeners that changes were committed. Listeners must be quick (wake a thread): they
// run on the thread that committed, under the notifier's lock.
class ChangeNotifier {
 public:
  using Listener = std::function<void(int64_t last_seq)>;
  // Returns an id for RemoveListener.
  int AddListener(Listener listener) {
    MutexLock lock(&mu_);
    listeners_.emplace(next_id_, std::move(listener));
    return next_id_++;
  }
  // Once it returns, the listener is not called again.
  void RemoveListener(int id) {
    MutexLock lock(&mu_);
    listeners_.erase(id);
  }
  // After a commit that recorded changes up to `last_seq`.
  void Notify(int64_t last_seq) {
    MutexLock lock(&mu_);
    for (auto& [id, listener] : listeners_) listener(last_seq);
  }

 private:
  Mutex mu_;
  int next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<int, Listener> listeners_ ABSL_GUARDED_BY(mu_);
};

}  // namespace torikumi::store
