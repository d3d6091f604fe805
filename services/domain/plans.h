// Domain logic for plans: validation (period, areas, rating scale), field masks, then the store.
#pragma once

#include "absl/status/statusor.h"
#include "services/domain/rating_triggers.h"
#include "services/store/store.h"
#include "torikumi/v1/plan_service.pb.h"

namespace torikumi::domain {

class Plans {
 public:
  explicit Plans(store::Store& store) : store_(store) {}

  absl::StatusOr<v1::GetPlanResponse> Get(const v1::GetPlanRequest& request);
  absl::StatusOr<v1::ListPlansResponse> List(const v1::ListPlansRequest& request);
  absl::StatusOr<v1::CreatePlanResponse> Create(const v1::CreatePlanRequest& request);
  absl::StatusOr<v1::UpdatePlanResponse> Update(const v1::UpdatePlanRequest& request);
  absl::StatusOr<v1::DeletePlanResponse> Delete(const v1::DeletePlanRequest& request);

  // Told after every write that changes what a computed rating depends on; none by default.
  void set_rating_triggers(RatingTriggers* triggers) { triggers_ = triggers; }

 private:
  store::Store& store_;
  RatingTriggers* triggers_ = nullptr;
};

}  // namespace torikumi::domain
