#include "services/server/organization_handler.h"

#include "services/server/unary.h"

namespace torikumi::server {
namespace {

// What ListOrganizations shows a principal of one organization: that organization only.
absl::StatusOr<v1::ListOrganizationsResponse> OwnOrganization(domain::Organizations& organizations,
                                                              const std::string& name) {
  v1::GetOrganizationRequest get;
  get.set_name(name);
  absl::StatusOr<v1::GetOrganizationResponse> own = organizations.Get(get);
  if (!own.ok()) return own.status();
  v1::ListOrganizationsResponse listed;
  *listed.add_organizations() = std::move(*own->mutable_organization());
  listed.set_total_size(1);
  return listed;
}

}  // namespace

grpc::ServerUnaryReactor* OrganizationHandler::GetOrganization(
    grpc::CallbackServerContext* context, const v1::GetOrganizationRequest* request,
    v1::GetOrganizationResponse* response) {
  return ServeUnary(gate_, context, "GetOrganization", *request, response,
                    [&] { return organizations_.Get(*request); });
}

grpc::ServerUnaryReactor* OrganizationHandler::ListOrganizations(
    grpc::CallbackServerContext* context, const v1::ListOrganizationsRequest* request,
    v1::ListOrganizationsResponse* response) {
  return ServeUnary(gate_, context, "ListOrganizations", *request, response,
                    [&](const auth::Principal& principal) {
                      return principal.server_admin()
                                 ? organizations_.List(*request)
                                 : OwnOrganization(organizations_, principal.organization);
                    });
}

grpc::ServerUnaryReactor* OrganizationHandler::CreateOrganization(
    grpc::CallbackServerContext* context, const v1::CreateOrganizationRequest* request,
    v1::CreateOrganizationResponse* response) {
  return ServeUnary(gate_, context, "CreateOrganization", *request, response,
                    [&] { return organizations_.Create(*request); });
}

grpc::ServerUnaryReactor* OrganizationHandler::UpdateOrganization(
    grpc::CallbackServerContext* context, const v1::UpdateOrganizationRequest* request,
    v1::UpdateOrganizationResponse* response) {
  return ServeUnary(gate_, context, "UpdateOrganization", *request, response,
                    [&] { return organizations_.Update(*request); });
}

grpc::ServerUnaryReactor* OrganizationHandler::DeleteOrganization(
    grpc::CallbackServerContext* context, const v1::DeleteOrganizationRequest* request,
    v1::DeleteOrganizationResponse* response) {
  return ServeUnary(gate_, context, "DeleteOrganization", *request, response,
                    [&] { return organizations_.Delete(*request); });
}

}  // namespace torikumi::server
