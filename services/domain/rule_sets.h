// Domain logic for rule sets: a rule set is validated by its evaluator against a rating
// scale before it is stored as a new immutable version.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/domain/rating_triggers.h"
#include "services/evaluators/evaluator_host.h"
#include "services/store/store.h"
#include "torikumi/v1/rule_set_service.pb.h"

namespace torikumi::domain {

// A rule set named with an optional version: "organizations/o/ruleSets/r@2".
struct RuleSetReference {
  std::string name;
  // 0: the latest version.
  int32_t version = 0;
};

// Parses "organizations/{o}/ruleSets/{r}" or ".../{r}@{N}"; INVALID_ARGUMENT naming `field`.
absl::StatusOr<RuleSetReference> ParseRuleSetReference(absl::string_view text,
                                                       absl::string_view field);

class RuleSets {
 public:
  RuleSets(store::Store& store, evaluators::EvaluatorHost& host) : store_(store), host_(host) {}

  // INVALID_ARGUMENT with one field violation per mistake, each naming the rule
  // (fields "rule_set.body.<path inside the body>").
  absl::StatusOr<v1::CreateRuleSetResponse> Create(const v1::CreateRuleSetRequest& request);
  absl::StatusOr<v1::GetRuleSetResponse> Get(const v1::GetRuleSetRequest& request);
  absl::StatusOr<v1::ListRuleSetsResponse> List(const v1::ListRuleSetsRequest& request);

  // Told after every write that changes what a computed rating depends on; none by default.
  void set_rating_triggers(RatingTriggers* triggers) { triggers_ = triggers; }

 private:
  store::Store& store_;
  evaluators::EvaluatorHost& host_;
  RatingTriggers* triggers_ = nullptr;
};

}  // namespace torikumi::domain
