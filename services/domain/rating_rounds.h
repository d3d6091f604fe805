// Domain logic for year-end rating rounds: validates requests against the plan (its period
// and rating scale), rates the initiatives that have no computed rating before a round is
// opened, and leaves the round's transactions (a review with its human rating, a close) to
// the store.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/domain/ratings.h"
#include "services/store/store.h"
#include "torikumi/v1/rating_round_service.pb.h"

namespace torikumi::domain {

class RatingRounds {
 public:
  RatingRounds(store::Store& store, Ratings& ratings) : store_(store), ratings_(ratings) {}

  absl::StatusOr<v1::GetRatingRoundResponse> Get(const v1::GetRatingRoundRequest& request);
  absl::StatusOr<v1::ListRatingRoundsResponse> List(const v1::ListRatingRoundsRequest& request);
  // `actor` is who opens it (the caller's principal). INVALID_ARGUMENT on "fiscal_year"
  // outside the plan's period; FAILED_PRECONDITION when the plan names no rule set and
  // some initiative has no computed rating yet.
  absl::StatusOr<v1::OpenRatingRoundResponse> Open(const v1::OpenRatingRoundRequest& request,
                                                   absl::string_view actor);
  absl::StatusOr<v1::NextRatingRoundEntryResponse> Next(
      const v1::NextRatingRoundEntryRequest& request);
  absl::StatusOr<v1::AcceptRatingResponse> Accept(const v1::AcceptRatingRequest& request,
                                                  absl::string_view reviewer);
  // INVALID_ARGUMENT on "grade" (missing or not on the plan's scale) or "reason" (missing).
  absl::StatusOr<v1::OverrideRatingResponse> Override(const v1::OverrideRatingRequest& request,
                                                      absl::string_view reviewer);
  absl::StatusOr<v1::CloseRatingRoundResponse> Close(const v1::CloseRatingRoundRequest& request,
                                                     absl::string_view actor);
  // INVALID_ARGUMENT on "reason" when it is missing.
  absl::StatusOr<v1::ReopenRatingRoundResponse> Reopen(const v1::ReopenRatingRoundRequest& request,
                                                       absl::string_view actor);

 private:
  // Records a computed rating for every initiative of `plan` scheduled in `fiscal_year` that
  // has none.
  absl::Status RateUnrated(absl::string_view plan, int fiscal_year);

  store::Store& store_;
  Ratings& ratings_;
};

}  // namespace torikumi::domain
