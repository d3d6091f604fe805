// Prunes the change feed in the background: every `every`, the changes committed more than
// `retention` ago are dropped. A watch or webhook cursor older than that then gets
// FAILED_PRECONDITION (or, for a webhook, a gap noted in its delivery log).
#pragma once

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "services/common/mutex.h"
#include "services/domain/change_feed.h"

namespace torikumi::server {

class ChangePruner {
 public:
  ChangePruner(domain::ChangeFeed& feed, absl::Duration retention, absl::Duration every);
  ~ChangePruner();
  ChangePruner(const ChangePruner&) = delete;
  ChangePruner& operator=(const ChangePruner&) = delete;

 private:
  void Run();

  domain::ChangeFeed& feed_;
  const absl::Duration retention_;
  const absl::Duration every_;
  Mutex mu_;
  CondVar stop_requested_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace torikumi::server
