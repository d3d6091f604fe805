#include "services/server/pruner.h"

#include <utility>

#include "services/common/log.h"

namespace torikumi::server {

Pruner::Pruner(std::string what, std::function<absl::StatusOr<int64_t>()> prune,
               absl::Duration every)
    : what_(std::move(what)), prune_(std::move(prune)), every_(every), thread_([this] { Run(); }) {}

Pruner::~Pruner() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    stop_requested_.SignalAll();
  }
  thread_.join();
}

void Pruner::Run() {
  while (true) {
    {
      const absl::Time next = absl::Now() + every_;
      MutexLock lock(&mu_);
      while (!stopping_ && !stop_requested_.WaitWithDeadline(&mu_, next)) {
      }
      if (stopping_) return;
    }
    absl::StatusOr<int64_t> pruned = prune_();
    if (!pruned.ok()) {
      log::Error(what_, ": pruning failed: ", pruned.status().ToString());
    } else if (*pruned > 0) {
      log::Info(what_, ": pruned ", *pruned, " past their retention");
    }
  }
}

}  // namespace torikumi::server
