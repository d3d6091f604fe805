// Domain logic for computed ratings: builds the EvaluateRequest of a plan from the store
// (plan, initiatives, outcomes), runs the plan's rule set through the evaluator host, and
// records the results with their provenance beside the human ratings.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/evaluators/evaluator_host.h"
#include "services/store/store.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::domain {

// What caused a recorded rating (ComputedRating.trigger).
inline constexpr absl::string_view kTriggerEvaluate = "evaluate";
inline constexpr absl::string_view kTriggerOutcome = "outcome";
inline constexpr absl::string_view kTriggerRuleSet = "rule-set";
inline constexpr absl::string_view kTriggerReload = "reload";

// Lower-case hex SHA-256 of the deterministic serialization of `request`.
std::string InputSha256(const v1::EvaluateRequest& request);

class Ratings {
 public:
  Ratings(store::Store& store, evaluators::EvaluatorHost& host) : store_(store), host_(host) {}

  // FAILED_PRECONDITION when the plan names no rule set; NOT_FOUND for an initiative that
  // is not the plan's.
  absl::StatusOr<v1::RatingServiceEvaluateResponse> Evaluate(const v1::RatingServiceEvaluateRequest& request,
                                                             absl::string_view trigger = kTriggerEvaluate);
  absl::StatusOr<v1::ListRatingsResponse> List(const v1::ListRatingsRequest& request);
  // NOT_FOUND when the initiative has no computed rating yet.
  absl::StatusOr<v1::ExplainRatingResponse> Explain(const v1::ExplainRatingRequest& request);

  // Records a fresh rating of one initiative when its plan names a rule set; OK and nothing
  // recorded when it names none.
  absl::Status RerateInitiative(absl::string_view initiative, absl::string_view trigger);
  // The same for every initiative of a plan.
  absl::Status ReratePlan(absl::string_view plan, absl::string_view trigger);
  // Every plan (of every organization) that names a rule set; only those naming
  // `rule_set` (a name without version) when it is not empty.
  absl::StatusOr<std::vector<std::string>> PlansWithRuleSet(absl::string_view rule_set);

 private:
  store::Store& store_;
  evaluators::EvaluatorHost& host_;
};

}  // namespace torikumi::domain
