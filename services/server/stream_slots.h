// A count of long-lived streams (table imports and exports) with a ceiling. Each holds up to
// 32 MiB while it runs, so without a ceiling a few hundred clients could exhaust memory;
// one over it is refused with RESOURCE_EXHAUSTED before it reads anything.
#pragma once

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "services/common/mutex.h"

namespace torikumi::server {

class StreamSlots {
 public:
  // `what` names the streams in the refusal and the metric label ("table").
  StreamSlots(std::string what, int capacity) : what_(std::move(what)), capacity_(capacity) {}

  // OK and one slot taken, or RESOURCE_EXHAUSTED when all `capacity` are in use.
  absl::Status Acquire();
  // Gives back a slot Acquire took.
  void Release();

 private:
  void Publish() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string what_;
  const int capacity_;
  Mutex mu_;
  int used_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace torikumi::server
