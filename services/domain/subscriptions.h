// Domain logic for webhook subscriptions: validation of the URL, secret and filter, and the
// rule that a secret goes in but never comes back out.
#pragma once

#include "absl/status/statusor.h"
#include "services/common/webhook_target.h"
#include "services/store/store.h"
#include "torikumi/v1/subscription_service.pb.h"

namespace torikumi::domain {

class Subscriptions {
 public:
  // `targets`: which URLs Create accepts (webhook_target.h); deliveries check them again.
  explicit Subscriptions(store::Store& store, WebhookTargetPolicy targets = {})
      : store_(store), targets_(std::move(targets)) {}

  absl::StatusOr<v1::CreateSubscriptionResponse> Create(
      const v1::CreateSubscriptionRequest& request);
  absl::StatusOr<v1::GetSubscriptionResponse> Get(const v1::GetSubscriptionRequest& request);
  absl::StatusOr<v1::ListSubscriptionsResponse> List(const v1::ListSubscriptionsRequest& request);
  absl::StatusOr<v1::DeleteSubscriptionResponse> Delete(
      const v1::DeleteSubscriptionRequest& request);

 private:
  store::Store& store_;
  const WebhookTargetPolicy targets_;
};

}  // namespace torikumi::domain
