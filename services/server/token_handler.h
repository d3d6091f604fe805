// gRPC handlers of torikumi.v1.TokenService and torikumi.v1.AuditService.
#pragma once

#include "services/domain/audit_events.h"
#include "services/domain/tokens.h"
#include "services/server/auth/gate.h"
#include "torikumi/v1/audit_service.grpc.pb.h"
#include "torikumi/v1/token_service.grpc.pb.h"

namespace torikumi::server {

class TokenHandler final : public v1::TokenService::CallbackService {
 public:
  TokenHandler(const auth::Gate& gate, domain::Tokens& tokens) : gate_(gate), tokens_(tokens) {}

  grpc::ServerUnaryReactor* CreateToken(grpc::CallbackServerContext* context,
                                        const v1::CreateTokenRequest* request,
                                        v1::CreateTokenResponse* response) override;
  grpc::ServerUnaryReactor* ListTokens(grpc::CallbackServerContext* context,
                                       const v1::ListTokensRequest* request,
                                       v1::ListTokensResponse* response) override;
  grpc::ServerUnaryReactor* DeleteToken(grpc::CallbackServerContext* context,
                                        const v1::DeleteTokenRequest* request,
                                        v1::DeleteTokenResponse* response) override;

 private:
  const auth::Gate& gate_;
  domain::Tokens& tokens_;
};

class AuditHandler final : public v1::AuditService::CallbackService {
 public:
  AuditHandler(const auth::Gate& gate, domain::AuditEvents& events)
      : gate_(gate), events_(events) {}

  grpc::ServerUnaryReactor* ListAuditEvents(grpc::CallbackServerContext* context,
                                            const v1::ListAuditEventsRequest* request,
                                            v1::ListAuditEventsResponse* response) override;

 private:
  const auth::Gate& gate_;
  domain::AuditEvents& events_;
};

}  // namespace torikumi::server
