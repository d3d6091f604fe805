// Domain logic for initiatives: validation against the plan (area, period, schedule, grade
// on the plan's scale, re-listed link), field masks, human ratings, then the store.
#pragma once

#include "absl/status/statusor.h"
#include "services/domain/rating_triggers.h"
#include "services/store/store.h"
#include "torikumi/v1/initiative_service.pb.h"

namespace torikumi::domain {

class Initiatives {
 public:
  explicit Initiatives(store::Store& store) : store_(store) {}

  absl::StatusOr<v1::GetInitiativeResponse> Get(const v1::GetInitiativeRequest& request);
  absl::StatusOr<v1::ListInitiativesResponse> List(const v1::ListInitiativesRequest& request);
  absl::StatusOr<v1::CreateInitiativeResponse> Create(const v1::CreateInitiativeRequest& request);
  absl::StatusOr<v1::BatchCreateInitiativesResponse> BatchCreate(
      const v1::BatchCreateInitiativesRequest& request);
  absl::StatusOr<v1::UpdateInitiativeResponse> Update(const v1::UpdateInitiativeRequest& request);
  absl::StatusOr<v1::DeleteInitiativeResponse> Delete(const v1::DeleteInitiativeRequest& request);
  absl::StatusOr<v1::RateInitiativeResponse> Rate(const v1::RateInitiativeRequest& request);

  // Told after every write that changes what a computed rating depends on; none by default.
  void set_rating_triggers(RatingTriggers* triggers) { triggers_ = triggers; }

 private:
  store::Store& store_;
  RatingTriggers* triggers_ = nullptr;
};

}  // namespace torikumi::domain
