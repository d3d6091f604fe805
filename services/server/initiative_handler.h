// gRPC handlers of torikumi.v1.InitiativeService: each calls the domain and maps the status.
#pragma once

#include "services/domain/initiatives.h"
#include "services/server/auth/gate.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"

namespace torikumi::server {

class InitiativeHandler final : public v1::InitiativeService::CallbackService {
 public:
  InitiativeHandler(const auth::Gate& gate, domain::Initiatives& initiatives)
      : gate_(gate), initiatives_(initiatives) {}

  grpc::ServerUnaryReactor* GetInitiative(grpc::CallbackServerContext* context,
                                          const v1::GetInitiativeRequest* request,
                                          v1::GetInitiativeResponse* response) override;
  grpc::ServerUnaryReactor* ListInitiatives(grpc::CallbackServerContext* context,
                                            const v1::ListInitiativesRequest* request,
                                            v1::ListInitiativesResponse* response) override;
  grpc::ServerUnaryReactor* CreateInitiative(grpc::CallbackServerContext* context,
                                             const v1::CreateInitiativeRequest* request,
                                             v1::CreateInitiativeResponse* response) override;
  grpc::ServerUnaryReactor* BatchCreateInitiatives(
      grpc::CallbackServerContext* context, const v1::BatchCreateInitiativesRequest* request,
      v1::BatchCreateInitiativesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateInitiative(grpc::CallbackServerContext* context,
                                             const v1::UpdateInitiativeRequest* request,
                                             v1::UpdateInitiativeResponse* response) override;
  grpc::ServerUnaryReactor* DeleteInitiative(grpc::CallbackServerContext* context,
                                             const v1::DeleteInitiativeRequest* request,
                                             v1::DeleteInitiativeResponse* response) override;
  grpc::ServerUnaryReactor* RateInitiative(grpc::CallbackServerContext* context,
                                           const v1::RateInitiativeRequest* request,
                                           v1::RateInitiativeResponse* response) override;

 private:
  const auth::Gate& gate_;
  domain::Initiatives& initiatives_;
};

}  // namespace torikumi::server
