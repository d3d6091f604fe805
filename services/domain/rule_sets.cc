#include "services/domain/rule_sets.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/domain/page_token.h"
#include "services/domain/rule_set_limits.h"

namespace torikumi::domain {

absl::StatusOr<RuleSetReference> ParseRuleSetReference(absl::string_view text,
                                                       absl::string_view field) {
  RuleSetReference reference;
  absl::string_view name = text;
  if (const size_t at = text.rfind('@'); at != absl::string_view::npos) {
    name = text.substr(0, at);
    if (!absl::SimpleAtoi(text.substr(at + 1), &reference.version) || reference.version < 1) {
      return InvalidField(
          std::string(field),
          absl::StrCat("'", text, "': the version after '@' must be a number from 1"));
    }
  }
  const size_t slash = name.find("/ruleSets/");
  if (slash == absl::string_view::npos || !IsValidId(name.substr(slash + 10)) ||
      !ParseOrganizationName(name.substr(0, slash), field).ok()) {
    return InvalidField(
        std::string(field),
        absl::StrCat("'", text, "' is not a rule set name (organizations/{o}/ruleSets/{r}[@N])"));
  }
  reference.name = std::string(name);
  return reference;
}

absl::StatusOr<v1::CreateRuleSetResponse> RuleSets::Create(
    const v1::CreateRuleSetRequest& request) {
  FieldViolations violations;
  if (!ParseOrganizationName(request.parent(), "parent").ok()) {
    violations.Add("parent", absl::StrCat("'", request.parent(), "' is not an organization name"));
  }
  if (!IsValidId(request.rule_set_id())) {
    violations.Add("rule_set_id",
                   absl::StrCat("'", request.rule_set_id(),
                                "' is not an id (lower-case letters, digits and '-')"));
  }
  if (request.rule_set().evaluator().empty()) violations.Add("rule_set.evaluator", "required");
  if (request.rule_set().body().empty()) violations.Add("rule_set.body", "required");
  if (request.plan().empty() && request.rating_scale().grades().empty()) {
    violations.Add("plan", "a plan or a rating_scale is required to check the rule set's grades");
  }
  if (!violations.empty()) return violations.ToStatus();
  // Before anything parses the body: a deeply nested one would overflow the parser's stack.
  if (absl::Status bounded = CheckRuleSetBodyLimits(request.rule_set().body(), "rule_set.body");
      !bounded.ok()) {
    return bounded;
  }

  v1::RatingScale scale = request.rating_scale();
  if (!request.plan().empty()) {
    absl::StatusOr<v1::Plan> plan = store_.GetPlan(request.plan());
    if (!plan.ok()) return plan.status();
    scale = plan->rating_scale();
  }
  if (absl::Status valid = host_.ValidateRuleSet(
          request.rule_set().evaluator(), request.rule_set().body(), scale, "rule_set.body.");
      !valid.ok()) {
    if (valid.code() == absl::StatusCode::kNotFound) {
      return InvalidField("rule_set.evaluator", std::string(valid.message()));
    }
    return valid;
  }
  v1::RuleSet rule_set = request.rule_set();
  rule_set.set_name(absl::StrCat(request.parent(), "/ruleSets/", request.rule_set_id()));
  absl::StatusOr<v1::RuleSet> stored = store_.CreateRuleSetVersion(rule_set);
  if (!stored.ok()) return stored.status();
  v1::CreateRuleSetResponse response;
  *response.mutable_rule_set() = *std::move(stored);
  // Plans following the latest version are rated anew with this one.
  if (triggers_ != nullptr) {
    response.set_rating_job(
        triggers_->RuleSetChanged(response.rule_set().name(), response.rule_set().version()));
  }
  return response;
}

absl::StatusOr<v1::GetRuleSetResponse> RuleSets::Get(const v1::GetRuleSetRequest& request) {
  absl::StatusOr<RuleSetReference> reference = ParseRuleSetReference(request.name(), "name");
  if (!reference.ok()) return reference.status();
  absl::StatusOr<v1::RuleSet> found = store_.GetRuleSet(reference->name, reference->version);
  if (!found.ok()) return found.status();
  v1::GetRuleSetResponse response;
  *response.mutable_rule_set() = *std::move(found);
  return response;
}

absl::StatusOr<v1::ListRuleSetsResponse> RuleSets::List(const v1::ListRuleSetsRequest& request) {
  if (auto id = ParseOrganizationName(request.parent(), "parent"); !id.ok()) return id.status();
  const std::string query =
      absl::StrCat("ruleSets\n", request.parent(), "\n", request.all_versions());
  absl::StatusOr<store::Page> page =
      PageFromRequest(request.page_size(), request.page_token(), query);
  if (!page.ok()) return page.status();
  absl::StatusOr<store::ListResult<v1::RuleSet>> result =
      store_.ListRuleSets(request.parent(), request.all_versions(), *page);
  if (!result.ok()) return result.status();
  v1::ListRuleSetsResponse response;
  for (v1::RuleSet& rule_set : result->items) *response.add_rule_sets() = std::move(rule_set);
  response.set_next_page_token(
      NextPageToken(*page, response.rule_sets_size(), result->total, query));
  response.set_total_size(TotalSize(result->total));
  return response;
}

}  // namespace torikumi::domain
