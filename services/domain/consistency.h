// The consistency check of the human ratings: initiatives whose outcome texts say the same
// thing (identical, or nearly so after normalisation) but whose human grades differ. One of
// the two grades is probably wrong, or the texts hide a difference that should be written.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/plan_records.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::domain {

// Texts at least this similar (1 - edit distance / longer length, over ComparableCodePoints)
// count as nearly identical, when their figures are also the same.
inline constexpr double kNearlyIdentical = 0.9;

// An initiative's outcome texts in fiscal-year order as one comparable string, with '|'
// between years; empty when no outcome has text.
absl::StatusOr<std::u32string> ComparableOutcomeText(const std::vector<v1::Outcome>& outcomes);

// 1 - Levenshtein distance / the longer length; 1 for two empty strings.
double TextSimilarity(const std::u32string& a, const std::u32string& b);

// The groups of human-rated initiatives linked by identical or nearly identical outcome
// texts with the same figures, whose human grades differ. Identical texts first, then by
// similarity; among equals the longer shared text (the less likely a coincidence) first,
// then plan order.
absl::StatusOr<std::vector<v1::ConsistencyFinding>> FindInconsistencies(const PlanRecords& records);

}  // namespace torikumi::domain
