// Domain logic for outcomes: fiscal year within the plan's period, metrics, status, then the store.
#pragma once

#include "absl/status/statusor.h"
#include "services/domain/rating_triggers.h"
#include "services/store/store.h"
#include "torikumi/v1/outcome_service.pb.h"

namespace torikumi::domain {

class Outcomes {
 public:
  explicit Outcomes(store::Store& store) : store_(store) {}

  absl::StatusOr<v1::UpsertOutcomeResponse> Upsert(const v1::UpsertOutcomeRequest& request);
  absl::StatusOr<v1::ListOutcomesResponse> List(const v1::ListOutcomesRequest& request);
  absl::StatusOr<v1::DeleteOutcomeResponse> Delete(const v1::DeleteOutcomeRequest& request);

  // Told after every write that changes what a computed rating depends on; none by default.
  void set_rating_triggers(RatingTriggers* triggers) { triggers_ = triggers; }

 private:
  store::Store& store_;
  RatingTriggers* triggers_ = nullptr;
};

}  // namespace torikumi::domain
