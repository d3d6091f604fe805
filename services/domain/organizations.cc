#include "services/domain/organizations.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/domain/etag_retry.h"
#include "services/domain/field_mask.h"
#include "services/domain/normalize.h"
#include "services/domain/page_token.h"
#include "services/domain/validation.h"

namespace torikumi::domain {
namespace {

const UpdatePolicy& OrganizationUpdatePolicy() {
  static const UpdatePolicy* policy = new UpdatePolicy{
      {"display_name"},
      {"name", "create_time", "update_time", "etag"},
  };
  return *policy;
}

}  // namespace

absl::StatusOr<v1::GetOrganizationResponse> Organizations::Get(
    const v1::GetOrganizationRequest& request) {
  absl::StatusOr<std::string> id = ParseOrganizationName(request.name(), "name");
  if (!id.ok()) return id.status();
  absl::StatusOr<v1::Organization> organization = store_.GetOrganization(request.name());
  if (!organization.ok()) return organization.status();
  v1::GetOrganizationResponse response;
  *response.mutable_organization() = *std::move(organization);
  return response;
}

absl::StatusOr<v1::ListOrganizationsResponse> Organizations::List(
    const v1::ListOrganizationsRequest& request) {
  const std::string query = "organizations";
  absl::StatusOr<store::Page> page =
      PageFromRequest(request.page_size(), request.page_token(), query);
  if (!page.ok()) return page.status();
  absl::StatusOr<store::ListResult<v1::Organization>> result = store_.ListOrganizations(*page);
  if (!result.ok()) return result.status();
  v1::ListOrganizationsResponse response;
  for (v1::Organization& organization : result->items) {
    *response.add_organizations() = std::move(organization);
  }
  response.set_next_page_token(
      NextPageToken(*page, response.organizations_size(), result->total, query));
  response.set_total_size(TotalSize(result->total));
  return response;
}

absl::StatusOr<v1::CreateOrganizationResponse> Organizations::Create(
    const v1::CreateOrganizationRequest& request) {
  FieldViolations violations;
  ValidateOptionalId(request.organization_id(), "organization_id", &violations);
  v1::Organization organization = request.organization();
  NormalizeOrganization(&organization, "organization", &violations);
  ValidateOrganization(organization, "organization", &violations);
  if (!violations.empty()) return violations.ToStatus();

  std::string id = request.organization_id().empty() ? GenerateId('o') : request.organization_id();
  organization.set_name(absl::StrCat("organizations/", id));
  absl::StatusOr<v1::Organization> created =
      store_.CreateOrganization(organization, request.request_id());
  if (!created.ok()) return created.status();
  v1::CreateOrganizationResponse response;
  *response.mutable_organization() = *std::move(created);
  return response;
}

absl::StatusOr<v1::UpdateOrganizationResponse> Organizations::Update(
    const v1::UpdateOrganizationRequest& request) {
  const v1::Organization& change = request.organization();
  absl::StatusOr<std::string> id = ParseOrganizationName(change.name(), "organization.name");
  if (!id.ok()) return id.status();
  if (absl::Status mask = CheckUpdateMask(request.update_mask(), OrganizationUpdatePolicy());
      !mask.ok()) {
    return mask;
  }

  absl::StatusOr<v1::Organization> updated = ReadModifyWrite(
      change.name(), change.etag(), [&] { return store_.GetOrganization(change.name()); },
      [&](const v1::Organization& current,
          absl::string_view expected_etag) -> absl::StatusOr<v1::Organization> {
        v1::Organization merged = current;
        ApplyUpdateMask(request.update_mask(), OrganizationUpdatePolicy(), change, &merged);
        FieldViolations violations;
        NormalizeOrganization(&merged, "organization", &violations);
        ValidateOrganization(merged, "organization", &violations);
        if (!violations.empty()) return violations.ToStatus();
        return store_.UpdateOrganization(merged, expected_etag);
      });
  if (!updated.ok()) return updated.status();
  v1::UpdateOrganizationResponse response;
  *response.mutable_organization() = *std::move(updated);
  return response;
}

absl::StatusOr<v1::DeleteOrganizationResponse> Organizations::Delete(
    const v1::DeleteOrganizationRequest& request) {
  absl::StatusOr<std::string> id = ParseOrganizationName(request.name(), "name");
  if (!id.ok()) return id.status();
  if (absl::Status deleted =
          store_.DeleteOrganization(request.name(), request.force(), request.etag());
      !deleted.ok()) {
    return deleted;
  }
  return v1::DeleteOrganizationResponse();
}

}  // namespace torikumi::domain
