// Domain logic for outcomes: fiscal year within the plan's period, metrics, status, then the store.
#pragma once

#include <optional>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "services/domain/rating_triggers.h"
#include "services/store/store.h"
#include "torikumi/v1/outcome_service.pb.h"

namespace torikumi::domain {

class Outcomes {
 public:
  explicit Outcomes(store::Store& store) : store_(store) {}

  using UpsertDone = absl::AnyInvocable<void(absl::StatusOr<v1::UpsertOutcomeResponse>)>;
  // Checks the request and computes the rating the outcome leads to on this thread, then
  // hands the write to the store without waiting for its commit: `done` gets the answer once
  // the write is durable, possibly on the store's writer thread after this has returned.
  void Upsert(const v1::UpsertOutcomeRequest& request, UpsertDone done);
  // The same, waiting for the answer.
  absl::StatusOr<v1::UpsertOutcomeResponse> Upsert(const v1::UpsertOutcomeRequest& request);
  absl::StatusOr<v1::ListOutcomesResponse> List(const v1::ListOutcomesRequest& request);
  absl::StatusOr<v1::DeleteOutcomeResponse> Delete(const v1::DeleteOutcomeRequest& request);

  // Told after every write that changes what a computed rating depends on; none by default.
  void set_rating_triggers(RatingTriggers* triggers) { triggers_ = triggers; }

 private:
  // An outcome checked against its plan, with the rating it leads to.
  struct CheckedUpsert {
    v1::Outcome outcome;
    std::optional<store::RatingAfterWrite> rating;
  };
  absl::StatusOr<CheckedUpsert> Check(const v1::UpsertOutcomeRequest& request);

  store::Store& store_;
  RatingTriggers* triggers_ = nullptr;
};

}  // namespace torikumi::domain
