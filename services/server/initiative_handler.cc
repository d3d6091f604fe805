#include "services/server/initiative_handler.h"

#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerUnaryReactor* InitiativeHandler::GetInitiative(grpc::CallbackServerContext* context,
                                                           const v1::GetInitiativeRequest* request,
                                                           v1::GetInitiativeResponse* response) {
  return FinishUnary(context, "GetInitiative", initiatives_.Get(*request), response);
}

grpc::ServerUnaryReactor* InitiativeHandler::ListInitiatives(
    grpc::CallbackServerContext* context, const v1::ListInitiativesRequest* request,
    v1::ListInitiativesResponse* response) {
  return FinishUnary(context, "ListInitiatives", initiatives_.List(*request), response);
}

grpc::ServerUnaryReactor* InitiativeHandler::CreateInitiative(
    grpc::CallbackServerContext* context, const v1::CreateInitiativeRequest* request,
    v1::CreateInitiativeResponse* response) {
  return FinishUnary(context, "CreateInitiative", initiatives_.Create(*request), response);
}

grpc::ServerUnaryReactor* InitiativeHandler::BatchCreateInitiatives(
    grpc::CallbackServerContext* context, const v1::BatchCreateInitiativesRequest* request,
    v1::BatchCreateInitiativesResponse* response) {
  return FinishUnary(context, "BatchCreateInitiatives", initiatives_.BatchCreate(*request),
                     response);
}

grpc::ServerUnaryReactor* InitiativeHandler::UpdateInitiative(
    grpc::CallbackServerContext* context, const v1::UpdateInitiativeRequest* request,
    v1::UpdateInitiativeResponse* response) {
  return FinishUnary(context, "UpdateInitiative", initiatives_.Update(*request), response);
}

grpc::ServerUnaryReactor* InitiativeHandler::DeleteInitiative(
    grpc::CallbackServerContext* context, const v1::DeleteInitiativeRequest* request,
    v1::DeleteInitiativeResponse* response) {
  return FinishUnary(context, "DeleteInitiative", initiatives_.Delete(*request), response);
}

grpc::ServerUnaryReactor* InitiativeHandler::RateInitiative(
    grpc::CallbackServerContext* context, const v1::RateInitiativeRequest* request,
    v1::RateInitiativeResponse* response) {
  return FinishUnary(context, "RateInitiative", initiatives_.Rate(*request), response);
}

}  // namespace torikumi::server
