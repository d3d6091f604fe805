#include "services/server/initiative_handler.h"

#include "absl/strings/str_cat.h"
#include "services/server/unary.h"

namespace torikumi::server {
namespace {

// The rater of a human rating is who is calling; what the client typed as rater is kept
// after it as a display name ("organizations/aizu/tokens/hr (山田)"). Where authentication
// is off every caller is "local", so the typed name is all there is.
v1::RateInitiativeRequest RatedBy(const auth::Principal& principal,
                                  const v1::RateInitiativeRequest& request) {
  v1::RateInitiativeRequest rated = request;
  if (principal.name == auth::kLocalPrincipal) return rated;
  rated.set_rater(request.rater().empty()
                      ? principal.name
                      : absl::StrCat(principal.name, " (", request.rater(), ")"));
  return rated;
}

}  // namespace

grpc::ServerUnaryReactor* InitiativeHandler::GetInitiative(grpc::CallbackServerContext* context,
                                                           const v1::GetInitiativeRequest* request,
                                                           v1::GetInitiativeResponse* response) {
  return ServeUnary(gate_, context, "GetInitiative", *request, response,
                    [&] { return initiatives_.Get(*request); });
}

grpc::ServerUnaryReactor* InitiativeHandler::ListInitiatives(
    grpc::CallbackServerContext* context, const v1::ListInitiativesRequest* request,
    v1::ListInitiativesResponse* response) {
  return ServeUnary(gate_, context, "ListInitiatives", *request, response,
                    [&] { return initiatives_.List(*request); });
}

grpc::ServerUnaryReactor* InitiativeHandler::CreateInitiative(
    grpc::CallbackServerContext* context, const v1::CreateInitiativeRequest* request,
    v1::CreateInitiativeResponse* response) {
  return ServeUnary(gate_, context, "CreateInitiative", *request, response,
                    [&] { return initiatives_.Create(*request); });
}

grpc::ServerUnaryReactor* InitiativeHandler::BatchCreateInitiatives(
    grpc::CallbackServerContext* context, const v1::BatchCreateInitiativesRequest* request,
    v1::BatchCreateInitiativesResponse* response) {
  return ServeUnary(gate_, context, "BatchCreateInitiatives", *request, response,
                    [&] { return initiatives_.BatchCreate(*request); });
}

grpc::ServerUnaryReactor* InitiativeHandler::UpdateInitiative(
    grpc::CallbackServerContext* context, const v1::UpdateInitiativeRequest* request,
    v1::UpdateInitiativeResponse* response) {
  return ServeUnary(gate_, context, "UpdateInitiative", *request, response,
                    [&] { return initiatives_.Update(*request); });
}

grpc::ServerUnaryReactor* InitiativeHandler::DeleteInitiative(
    grpc::CallbackServerContext* context, const v1::DeleteInitiativeRequest* request,
    v1::DeleteInitiativeResponse* response) {
  return ServeUnary(gate_, context, "DeleteInitiative", *request, response,
                    [&] { return initiatives_.Delete(*request); });
}

grpc::ServerUnaryReactor* InitiativeHandler::RateInitiative(
    grpc::CallbackServerContext* context, const v1::RateInitiativeRequest* request,
    v1::RateInitiativeResponse* response) {
  return ServeUnary(gate_, context, "RateInitiative", *request, response,
                    [&](const auth::Principal& principal) {
                      return initiatives_.Rate(RatedBy(principal, *request));
                    });
}

}  // namespace torikumi::server
