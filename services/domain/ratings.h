// Domain logic for computed ratings: builds the EvaluateRequest of a plan from the store
// (plan, initiatives, outcomes), runs the plan's rule set through the evaluator host, and
// records the results with their provenance beside the human ratings.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/domain/rating_triggers.h"
#include "services/domain/rule_sets.h"
#include "services/evaluators/evaluator_host.h"
#include "services/store/store.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::domain {

// Lower-case hex SHA-256 of the deterministic serialization of `request`.
std::string InputSha256(const v1::EvaluateRequest& request);

class Ratings {
 public:
  Ratings(store::Store& store, evaluators::EvaluatorHost& host) : store_(store), host_(host) {}

  // FAILED_PRECONDITION when the plan names no rule set; NOT_FOUND for an initiative that
  // is not the plan's.
  absl::StatusOr<v1::RatingServiceEvaluateResponse> Evaluate(
      const v1::RatingServiceEvaluateRequest& request,
      absl::string_view trigger = kTriggerEvaluate);
  absl::StatusOr<v1::ListRatingsResponse> List(const v1::ListRatingsRequest& request);
  // NOT_FOUND when the initiative has no computed rating yet.
  absl::StatusOr<v1::ExplainRatingResponse> Explain(const v1::ExplainRatingRequest& request);

  // Records a fresh rating of one initiative when its plan names a rule set; OK and nothing
  // recorded when it names none.
  absl::Status RerateInitiative(absl::string_view initiative, absl::string_view trigger);
  // The same for every initiative of a plan.
  absl::Status ReratePlan(absl::string_view plan, absl::string_view trigger);
  // Every plan (of every organization) that names a rule set.
  absl::StatusOr<std::vector<std::string>> PlansWithRuleSet();
  // The plans that name `rule_set` (a name without version) unpinned, so that they follow
  // its latest version; a plan pinned to `…@N` keeps its rating.
  absl::StatusOr<std::vector<std::string>> PlansFollowingRuleSet(absl::string_view rule_set);
  // Whether the plan names a rule set; NOT_FOUND for a missing plan.
  absl::StatusOr<bool> PlanHasRuleSet(absl::string_view plan);

 private:
  // The plans naming a rule set for which `keep` holds.
  absl::StatusOr<std::vector<std::string>> PlansWhere(
      const std::function<bool(const RuleSetReference&)>& keep);

  store::Store& store_;
  evaluators::EvaluatorHost& host_;
};

}  // namespace torikumi::domain
