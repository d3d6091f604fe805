// Prunes what grows without bound in the background: every `every`, calls `prune`, which
// drops what is older than its retention and returns how many it dropped. One runs for the
// change feed (--change_retention, change_services.h) and one for the history tables and
// ended jobs (--history_retention, Server::EnableHistoryPruning).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/mutex.h"

namespace torikumi::server {

class Pruner {
 public:
  // `what` names what is pruned in the log ("change feed").
  Pruner(std::string what, std::function<absl::StatusOr<int64_t>()> prune, absl::Duration every);
  ~Pruner();
  Pruner(const Pruner&) = delete;
  Pruner& operator=(const Pruner&) = delete;

 private:
  void Run();

  const std::string what_;
  const std::function<absl::StatusOr<int64_t>()> prune_;
  const absl::Duration every_;
  Mutex mu_;
  CondVar stop_requested_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace torikumi::server
