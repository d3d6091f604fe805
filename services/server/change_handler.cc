#include "services/server/change_handler.h"

#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerWriteReactor<v1::WatchChangesResponse>* ChangeHandler::WatchChanges(
    grpc::CallbackServerContext* /*context*/, const v1::WatchChangesRequest* request) {
  return hub_.Watch(*request);
}

grpc::ServerUnaryReactor* SubscriptionHandler::CreateSubscription(
    grpc::CallbackServerContext* context, const v1::CreateSubscriptionRequest* request,
    v1::CreateSubscriptionResponse* response) {
  return FinishUnary(context, "CreateSubscription", subscriptions_.Create(*request), response);
}

grpc::ServerUnaryReactor* SubscriptionHandler::GetSubscription(
    grpc::CallbackServerContext* context, const v1::GetSubscriptionRequest* request,
    v1::GetSubscriptionResponse* response) {
  return FinishUnary(context, "GetSubscription", subscriptions_.Get(*request), response);
}

grpc::ServerUnaryReactor* SubscriptionHandler::ListSubscriptions(
    grpc::CallbackServerContext* context, const v1::ListSubscriptionsRequest* request,
    v1::ListSubscriptionsResponse* response) {
  return FinishUnary(context, "ListSubscriptions", subscriptions_.List(*request), response);
}

grpc::ServerUnaryReactor* SubscriptionHandler::DeleteSubscription(
    grpc::CallbackServerContext* context, const v1::DeleteSubscriptionRequest* request,
    v1::DeleteSubscriptionResponse* response) {
  return FinishUnary(context, "DeleteSubscription", subscriptions_.Delete(*request), response);
}

}  // namespace torikumi::server
