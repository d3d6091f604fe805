// One subscription's deliveries: which event is next (from the subscription's stored cursor)
// and one signed POST of it, with the delivery log written back to the store after each.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/webhook_target.h"
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
  Deliveries(store::Store& store, v1::Subscription subscription, WebhookTargetPolicy targets)
      : store_(store), subscription_(std::move(subscription)), targets_(std::move(targets)) {}

  // The first event after the subscription's cursor that passes its filter; nullopt when
  // there is none yet (the cursor then moves past what the filter skipped). When the cursor
  // was pruned, delivery goes on from the newest change and the log says what was lost.
  absl::StatusOr<std::optional<v1::ChangeEvent>> NextEvent();
  // POSTs `event` once, to the address the URL's host resolves to now when `targets` allows
  // it. true: accepted (2xx), the cursor moves past it; false: refused (by the receiver or
  // by `targets`) or unreachable, the attempt is logged. NOT_FOUND when the subscription was
  // deleted.
  absl::StatusOr<bool> Attempt(const v1::ChangeEvent& event, absl::Duration timeout);

 private:
  // Writes the delivery log back.
  absl::Status Save();

  store::Store& store_;
  v1::Subscription subscription_;
  const WebhookTargetPolicy targets_;
};

}  // namespace torikumi::server
