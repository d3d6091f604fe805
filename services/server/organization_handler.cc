#include "services/server/organization_handler.h"

#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerUnaryReactor* OrganizationHandler::GetOrganization(
    grpc::CallbackServerContext* context, const v1::GetOrganizationRequest* request,
    v1::GetOrganizationResponse* response) {
  return FinishUnary(context, "GetOrganization", organizations_.Get(*request), response);
}

grpc::ServerUnaryReactor* OrganizationHandler::ListOrganizations(
    grpc::CallbackServerContext* context, const v1::ListOrganizationsRequest* request,
    v1::ListOrganizationsResponse* response) {
  return FinishUnary(context, "ListOrganizations", organizations_.List(*request), response);
}

grpc::ServerUnaryReactor* OrganizationHandler::CreateOrganization(
    grpc::CallbackServerContext* context, const v1::CreateOrganizationRequest* request,
    v1::CreateOrganizationResponse* response) {
  return FinishUnary(context, "CreateOrganization", organizations_.Create(*request), response);
}

grpc::ServerUnaryReactor* OrganizationHandler::UpdateOrganization(
    grpc::CallbackServerContext* context, const v1::UpdateOrganizationRequest* request,
    v1::UpdateOrganizationResponse* response) {
  return FinishUnary(context, "UpdateOrganization", organizations_.Update(*request), response);
}

grpc::ServerUnaryReactor* OrganizationHandler::DeleteOrganization(
    grpc::CallbackServerContext* context, const v1::DeleteOrganizationRequest* request,
    v1::DeleteOrganizationResponse* response) {
  return FinishUnary(context, "DeleteOrganization", organizations_.Delete(*request), response);
}

}  // namespace torikumi::server
