// The two tracks side by side: the human ratings of a plan against its latest computed
// ratings (agreement, confusion matrix, disagreements with both sides' reasons), and the
// consistency check of the human ratings themselves (consistency.h).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/domain/plan_records.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::domain {

// The computed side of a ConfusionCell / RatingDisagreement for insufficient data.
inline constexpr absl::string_view kInsufficient = "insufficient";

// A computed rating's grade, or kInsufficient.
std::string ComputedGrade(const v1::ComputedRating& rating);

// Compares the human ratings of `records` with `latest`, the latest computed rating of each
// initiative, and runs the consistency check.
absl::StatusOr<v1::CompareRatingsResponse> CompareRatings(
    const PlanRecords& records, const std::vector<v1::ComputedRating>& latest);

}  // namespace torikumi::domain
