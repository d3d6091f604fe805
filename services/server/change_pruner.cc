#include "services/server/change_pruner.h"

#include "services/common/log.h"

namespace torikumi::server {

ChangePruner::ChangePruner(domain::ChangeFeed& feed, absl::Duration retention, absl::Duration every)
    : feed_(feed), retention_(retention), every_(every), thread_([this] { Run(); }) {}

ChangePruner::~ChangePruner() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    stop_requested_.SignalAll();
  }
  thread_.join();
}

void ChangePruner::Run() {
  while (true) {
    {
      const absl::Time next = absl::Now() + every_;
      MutexLock lock(&mu_);
      while (!stopping_ && !stop_requested_.WaitWithDeadline(&mu_, next)) {
      }
      if (stopping_) return;
    }
    absl::StatusOr<int64_t> pruned = feed_.Prune(retention_);
    if (!pruned.ok()) {
      log::Error("change feed: pruning failed: ", pruned.status().ToString());
    } else if (*pruned > 0) {
      log::Info("change feed: pruned ", *pruned, " changes older than ",
                absl::FormatDuration(retention_));
    }
  }
}

}  // namespace torikumi::server
