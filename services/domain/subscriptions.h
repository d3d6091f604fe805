// Domain logic for webhook subscriptions: validation of the URL, secret and filter, and the
// rule that a secret goes in but never comes back out.
#pragma once

#include "absl/status/statusor.h"
#include "services/store/store.h"
#include "torikumi/v1/subscription_service.pb.h"

namespace torikumi::domain {

class Subscriptions {
 public:
  explicit Subscriptions(store::Store& store) : store_(store) {}

  absl::StatusOr<v1::CreateSubscriptionResponse> Create(
      const v1::CreateSubscriptionRequest& request);
  absl::StatusOr<v1::GetSubscriptionResponse> Get(const v1::GetSubscriptionRequest& request);
  absl::StatusOr<v1::ListSubscriptionsResponse> List(const v1::ListSubscriptionsRequest& request);
  absl::StatusOr<v1::DeleteSubscriptionResponse> Delete(
      const v1::DeleteSubscriptionRequest& request);

 private:
  store::Store& store_;
};

}  // namespace torikumi::domain
