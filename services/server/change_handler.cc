#include "services/server/change_handler.h"

#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerWriteReactor<v1::WatchChangesResponse>* ChangeHandler::WatchChanges(
    grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) {
  if (absl::StatusOr<auth::Admission> admitted = gate_.Admit(*context, *request); !admitted.ok()) {
    return hub_.Refuse(admitted.status());
  }
  // Asked again by the hub while the watch is open; the context and request live until then.
  return hub_.Watch(*request,
                    [this, context, request] { return gate_.Admit(*context, *request).status(); });
}

grpc::ServerUnaryReactor* SubscriptionHandler::CreateSubscription(
    grpc::CallbackServerContext* context, const v1::CreateSubscriptionRequest* request,
    v1::CreateSubscriptionResponse* response) {
  return ServeUnary(gate_, context, "CreateSubscription", *request, response,
                    [&] { return subscriptions_.Create(*request); });
}

grpc::ServerUnaryReactor* SubscriptionHandler::GetSubscription(
    grpc::CallbackServerContext* context, const v1::GetSubscriptionRequest* request,
    v1::GetSubscriptionResponse* response) {
  return ServeUnary(gate_, context, "GetSubscription", *request, response,
                    [&] { return subscriptions_.Get(*request); });
}

grpc::ServerUnaryReactor* SubscriptionHandler::ListSubscriptions(
    grpc::CallbackServerContext* context, const v1::ListSubscriptionsRequest* request,
    v1::ListSubscriptionsResponse* response) {
  return ServeUnary(gate_, context, "ListSubscriptions", *request, response,
                    [&] { return subscriptions_.List(*request); });
}

grpc::ServerUnaryReactor* SubscriptionHandler::DeleteSubscription(
    grpc::CallbackServerContext* context, const v1::DeleteSubscriptionRequest* request,
    v1::DeleteSubscriptionResponse* response) {
  return ServeUnary(gate_, context, "DeleteSubscription", *request, response,
                    [&] { return subscriptions_.Delete(*request); });
}

}  // namespace torikumi::server
