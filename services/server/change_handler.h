// gRPC handlers of torikumi.v1.ChangeService (served by the WatchHub) and
// torikumi.v1.SubscriptionService.
#pragma once

#include "services/domain/subscriptions.h"
#include "services/server/watch_hub.h"
#include "torikumi/v1/change_service.grpc.pb.h"
#include "torikumi/v1/subscription_service.grpc.pb.h"

namespace torikumi::server {

class ChangeHandler final : public v1::ChangeService::CallbackService {
 public:
  explicit ChangeHandler(WatchHub& hub) : hub_(hub) {}

  grpc::ServerWriteReactor<v1::WatchChangesResponse>* WatchChanges(
      grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) override;

 private:
  WatchHub& hub_;
};

class SubscriptionHandler final : public v1::SubscriptionService::CallbackService {
 public:
  explicit SubscriptionHandler(domain::Subscriptions& subscriptions)
      : subscriptions_(subscriptions) {}

  grpc::ServerUnaryReactor* CreateSubscription(grpc::CallbackServerContext* context,
                                               const v1::CreateSubscriptionRequest* request,
                                               v1::CreateSubscriptionResponse* response) override;
  grpc::ServerUnaryReactor* GetSubscription(grpc::CallbackServerContext* context,
                                            const v1::GetSubscriptionRequest* request,
                                            v1::GetSubscriptionResponse* response) override;
  grpc::ServerUnaryReactor* ListSubscriptions(grpc::CallbackServerContext* context,
                                              const v1::ListSubscriptionsRequest* request,
                                              v1::ListSubscriptionsResponse* response) override;
  grpc::ServerUnaryReactor* DeleteSubscription(grpc::CallbackServerContext* context,
                                               const v1::DeleteSubscriptionRequest* request,
                                               v1::DeleteSubscriptionResponse* response) override;

 private:
  domain::Subscriptions& subscriptions_;
};

}  // namespace torikumi::server
