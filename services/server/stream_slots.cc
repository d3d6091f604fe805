#include "services/server/stream_slots.h"

#include "absl/strings/str_cat.h"
#include "services/common/metrics.h"

namespace torikumi::server {

absl::Status StreamSlots::Acquire() {
  MutexLock lock(&mu_);
  if (used_ >= capacity_) {
    metrics::Counter("torikumi_streams_refused_total",
                     "Streams refused with RESOURCE_EXHAUSTED because every slot was in use.")
        .Add({{"streams", what_}});
    return absl::ResourceExhaustedError(
        absl::StrCat(used_, " ", what_, " streams are open, the most the server serves at once (",
                     capacity_, "); retry when one has ended"));
  }
  ++used_;
  Publish();
  return absl::OkStatus();
}

void StreamSlots::Release() {
  MutexLock lock(&mu_);
  --used_;
  Publish();
}

void StreamSlots::Publish() {
  metrics::Gauge("torikumi_streams_open", "Long-lived streams open now.")
      .Set({{"streams", what_}}, used_);
}

}  // namespace torikumi::server
