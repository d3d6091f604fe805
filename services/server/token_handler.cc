#include "services/server/token_handler.h"

#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerUnaryReactor* TokenHandler::CreateToken(grpc::CallbackServerContext* context,
                                                    const v1::CreateTokenRequest* request,
                                                    v1::CreateTokenResponse* response) {
  return ServeUnary(
      gate_, context, "CreateToken", *request, response,
      [&](const auth::Principal& principal) { return tokens_.Create(*request, principal.name); });
}

grpc::ServerUnaryReactor* TokenHandler::ListTokens(grpc::CallbackServerContext* context,
                                                   const v1::ListTokensRequest* request,
                                                   v1::ListTokensResponse* response) {
  return ServeUnary(gate_, context, "ListTokens", *request, response,
                    [&] { return tokens_.List(*request); });
}

grpc::ServerUnaryReactor* TokenHandler::DeleteToken(grpc::CallbackServerContext* context,
                                                    const v1::DeleteTokenRequest* request,
                                                    v1::DeleteTokenResponse* response) {
  return ServeUnary(gate_, context, "DeleteToken", *request, response,
                    [&] { return tokens_.Delete(*request); });
}

grpc::ServerUnaryReactor* AuditHandler::ListAuditEvents(grpc::CallbackServerContext* context,
                                                        const v1::ListAuditEventsRequest* request,
                                                        v1::ListAuditEventsResponse* response) {
  return ServeUnary(gate_, context, "ListAuditEvents", *request, response,
                    [&] { return events_.List(*request); });
}

}  // namespace torikumi::server
