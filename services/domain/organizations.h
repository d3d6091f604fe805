// Domain logic for organizations: validation, id generation, field masks, then the store.
#pragma once

#include "absl/status/statusor.h"
#include "services/store/store.h"
#include "torikumi/v1/organization_service.pb.h"

namespace torikumi::domain {

class Organizations {
 public:
  explicit Organizations(store::Store& store) : store_(store) {}

  absl::StatusOr<v1::GetOrganizationResponse> Get(const v1::GetOrganizationRequest& request);
  absl::StatusOr<v1::ListOrganizationsResponse> List(const v1::ListOrganizationsRequest& request);
  absl::StatusOr<v1::CreateOrganizationResponse> Create(
      const v1::CreateOrganizationRequest& request);
  absl::StatusOr<v1::UpdateOrganizationResponse> Update(
      const v1::UpdateOrganizationRequest& request);
  absl::StatusOr<v1::DeleteOrganizationResponse> Delete(
      const v1::DeleteOrganizationRequest& request);

 private:
  store::Store& store_;
};

}  // namespace torikumi::domain
