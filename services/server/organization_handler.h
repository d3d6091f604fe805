// gRPC handlers of torikumi.v1.OrganizationService: each calls the domain and maps the status.
#pragma once

#include "services/domain/organizations.h"
#include "services/server/auth/gate.h"
#include "torikumi/v1/organization_service.grpc.pb.h"

namespace torikumi::server {

class OrganizationHandler final : public v1::OrganizationService::CallbackService {
 public:
  OrganizationHandler(const auth::Gate& gate, domain::Organizations& organizations)
      : gate_(gate), organizations_(organizations) {}

  grpc::ServerUnaryReactor* GetOrganization(grpc::CallbackServerContext* context,
                                            const v1::GetOrganizationRequest* request,
                                            v1::GetOrganizationResponse* response) override;
  grpc::ServerUnaryReactor* ListOrganizations(grpc::CallbackServerContext* context,
                                              const v1::ListOrganizationsRequest* request,
                                              v1::ListOrganizationsResponse* response) override;
  grpc::ServerUnaryReactor* CreateOrganization(grpc::CallbackServerContext* context,
                                               const v1::CreateOrganizationRequest* request,
                                               v1::CreateOrganizationResponse* response) override;
  grpc::ServerUnaryReactor* UpdateOrganization(grpc::CallbackServerContext* context,
                                               const v1::UpdateOrganizationRequest* request,
                                               v1::UpdateOrganizationResponse* response) override;
  grpc::ServerUnaryReactor* DeleteOrganization(grpc::CallbackServerContext* context,
                                               const v1::DeleteOrganizationRequest* request,
                                               v1::DeleteOrganizationResponse* response) override;

 private:
  const auth::Gate& gate_;
  domain::Organizations& organizations_;
};

}  // namespace torikumi::server
