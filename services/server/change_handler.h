// gRPC handlers of torikumi.v1.ChangeService (served by the WatchHub) and
// torikumi.v1.SubscriptionService.
#pragma once

#include "services/domain/subscriptions.h"
#include "services/server/auth/gate.h"
#include "services/server/watch_hub.h"
#include "torikumi/v1/change_service.grpc.pb.h"
#include "torikumi/v1/subscription_service.grpc.pb.h"

namespace torikumi::server {

class ChangeHandler final : public v1::ChangeService::CallbackService {
 public:
  ChangeHandler(const auth::Gate& gate, WatchHub& hub) : gate_(gate), hub_(hub) {}

  grpc::ServerWriteReactor<v1::WatchChangesResponse>* WatchChanges(
      grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) override;

 private:
  const auth::Gate& gate_;
  WatchHub& hub_;
};

class SubscriptionHandler final : public v1::SubscriptionService::CallbackService {
 public:
  SubscriptionHandler(const auth::Gate& gate, domain::Subscriptions& subscriptions)
      : gate_(gate), subscriptions_(subscriptions) {}

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
  const auth::Gate& gate_;
  domain::Subscriptions& subscriptions_;
};

}  // namespace torikumi::server
