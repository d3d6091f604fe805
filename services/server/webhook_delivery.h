// One subscription's deliveries: which event is next (from the subscription's stored cursor)
// and one signed POST of it, with the delivery log written back to the store after each.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/store/store.h"
#include "torikumi/v1/subscription_service.pb.h"

namespace torikumi::server {

// The headers of a delivery.
inline constexpr char kEventIdHeader[] = "X-Torikumi-Event-Id";
inline constexpr char kTimestampHeader[] = "X-Torikumi-Timestamp";
inline constexpr char kSignatureHeader[] = "X-Torikumi-Signature";
inline constexpr char kSubscriptionHeader[] = "X-Torikumi-Subscription";

class Deliveries {
 public:
  Deliveries(store::Store& store, v1::Subscription subscription)
      : store_(store), subscription_(std::move(subscription)) {}

  // The first event after the subscription's cursor that passes its filter; nullopt when
  // there is none yet (the cursor then moves past what the filter skipped). When the cursor
  // was pruned, delivery goes on from the newest change and the log says what was lost.
  absl::StatusOr<std::optional<v1::ChangeEvent>> NextEvent();
  // POSTs `event` once. true: accepted (2xx), the cursor moves past it; false: refused or
  // unreachable, the attempt is logged. NOT_FOUND when the subscription was deleted.
  absl::StatusOr<bool> Attempt(const v1::ChangeEvent& event, absl::Duration timeout);

 private:
  // Writes the delivery log back.
  absl::Status Save();

  store::Store& store_;
  v1::Subscription subscription_;
};

}  // namespace torikumi::server
