#include "rules_evaluator.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace torikumi::rules {

v1::EvaluatorInfo RulesEvaluator::Describe() {
  v1::EvaluatorInfo info;
  info.set_name(kName);
  info.set_version(kVersion);
  info.set_description(
      "Ordered rules over facts of an initiative (schedule, outcome status, metrics, phrases in "
      "the outcome text, kind, markers); the first rule whose condition holds decides, and the "
      "last rule is the default.");
  info.set_config_type(kRulesConfigType);
  for (auto& fact : FactCatalog()) *info.add_facts() = std::move(fact);
  return info;
}

v1::ValidateRuleSetResponse RulesEvaluator::Validate(const v1::ValidateRuleSetRequest& request) {
  std::vector<Violation> violations;
  CompiledRuleSet::Compile(request.rule_set_body(), request.rating_scale(), &violations);
  v1::ValidateRuleSetResponse response;
  for (auto& v : violations) {
    auto* out = response.add_violations();
    out->set_rule(std::move(v.rule));
    out->set_field(std::move(v.field));
    out->set_description(std::move(v.description));
  }
  return response;
}

absl::StatusOr<std::unique_ptr<RulesEvaluator>> RulesEvaluator::Create(absl::string_view body) {
  std::vector<Violation> violations;
  std::unique_ptr<CompiledRuleSet> rules =
      CompiledRuleSet::Compile(body, v1::RatingScale(), &violations);
  if (rules == nullptr) {
    std::vector<std::string> parts;
    for (const auto& v : violations) parts.push_back(v.description);
    return absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  }
  return std::unique_ptr<RulesEvaluator>(new RulesEvaluator(std::string(body), std::move(rules)));
}

absl::Status RulesEvaluator::Evaluate(const v1::EvaluateRequest& request,
                                      v1::EvaluateResponse* response) const {
  if (!request.rule_set_body().empty() && request.rule_set_body() != body_) {
    return absl::FailedPreconditionError(
        "the request names a rule-set body other than the one this evaluator was created from");
  }
  if (absl::Status s = rules_->CheckScale(request.rating_scale()); !s.ok()) return s;
  const EvaluationContext context = EvaluationContext::From(request);
  response->mutable_evaluations()->Reserve(request.subjects_size());
  UsedFacts used;
  std::vector<std::string> said;
  for (const auto& subject : request.subjects()) {
    InitiativeFacts facts(context, subject);
    used.clear();
    said.clear();
    const CompiledRule& rule = rules_->Decide(facts, &used, &said);
    v1::InitiativeEvaluation* out = response->add_evaluations();
    out->set_initiative(subject.initiative().name());
    if (rule.insufficient_data) {
      out->set_insufficient_data(true);
    } else {
      out->set_grade(rule.grade);
    }
    out->add_fired_rules(rule.id);
    for (size_t i = 0; i < used.size(); ++i) {
      const auto& [name, value] = used[i];
      bool seen = false;  // a fact tested twice is reported once, with its first value
      for (size_t j = 0; j < i && !seen; ++j) seen = used[j].first == name;
      if (seen) continue;
      v1::UsedFact* fact = out->add_facts();
      fact->set_name(name);
      fact->set_value(value);
    }
    out->set_reason(RenderReason(rule, facts, used, said));
  }
  return absl::OkStatus();
}

}  // namespace torikumi::rules
