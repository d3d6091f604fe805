// The two tracks side by side: the human ratings of a plan against its latest computed
// ratings (agreement, confusion matrix, disagreements with both sides' reasons), and a
// consistency check of the human ratings themselves.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/store/store.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::domain {

// The computed side of a ConfusionCell / RatingDisagreement for insufficient data.
inline constexpr absl::string_view kInsufficient = "insufficient";

// The evidence an initiative's rating rests on: its schedule phases per year, and per
// outcome its year, status and whether it has metrics. Two initiatives with the same
// evidence should get the same human grade.
std::string EvidenceKey(const v1::Initiative& initiative, const std::vector<v1::Outcome>& outcomes);

absl::StatusOr<v1::CompareRatingsResponse> CompareRatings(store::Store& store,
                                                          const v1::CompareRatingsRequest& request);

}  // namespace torikumi::domain
