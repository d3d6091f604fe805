#include "rules_evaluator.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace torikumi::rules {

v1::EvaluatorInfo RulesEvaluator::Describe() {
  v1::EvaluatorInfo info;
  info.set_name(kName);
  info.set_version(kVersion);
  info.set_description(
      "Ordered rules over facts of an initiative (schedule, outcome status, metrics, kind, "
      "markers, and evidence read from the outcome texts with the rule set's lexicon: claims "
      "per clause with year scope, action, polarity and extent, set against the schedule year "
      "by year); the first rule whose condition holds decides, and the last rule is the "
      "default.");
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
  std::shared_ptr<Tokenizer> tokenizer;
  if (rules->lexicon() != nullptr) {
    absl::StatusOr<std::shared_ptr<Tokenizer>> shared = Tokenizer::Shared();
    if (!shared.ok()) return shared.status();
    tokenizer = *std::move(shared);
  }
  return std::unique_ptr<RulesEvaluator>(
      new RulesEvaluator(std::string(body), std::move(rules), std::move(tokenizer)));
}

Assessment RulesEvaluator::AssessSubject(const EvaluationContext& context,
                                         const v1::EvaluationSubject& subject,
                                         EvidenceReader& reader) const {
  PlanYears plan;
  plan.first = context.first_year;
  plan.last = context.last_year;
  plan.as_of_year = context.as_of_year;
  for (const auto& entry : subject.initiative().schedule())
    plan.schedule[entry.fiscal_year()] = FromSchedule(entry.phase());
  std::vector<CellEvidence> cells;
  for (const auto& outcome : subject.outcomes()) {
    if (outcome.text().empty()) continue;
    cells.push_back(reader.Read(outcome.text(), outcome.fiscal_year()));
  }
  return Assess(plan, cells);
}

void RulesEvaluator::EvaluateSubject(const EvaluationContext& context,
                                     const v1::EvaluationSubject& subject, EvidenceReader* reader,
                                     v1::InitiativeEvaluation* out) const {
  std::optional<Assessment> assessment;
  if (reader != nullptr) assessment = AssessSubject(context, subject, *reader);
  InitiativeFacts facts(context, subject, assessment ? &*assessment : nullptr, rules_->lexicon());
  UsedFacts used;
  std::vector<std::string> said;
  const CompiledRule& rule = rules_->Decide(facts, &used, &said);
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
  const bool evidence_listed =
      std::any_of(used.begin(), used.end(), [](const auto& u) { return u.first == "evidence"; });
  if (assessment && !evidence_listed) {  // the years and clauses behind any decision
    v1::UsedFact* fact = out->add_facts();
    fact->set_name("evidence");
    fact->set_value(assessment->Render(*rules_->lexicon()));
  }
  out->set_reason(RenderReason(rule, facts, used, said));
}

absl::Status RulesEvaluator::Evaluate(const v1::EvaluateRequest& request,
                                      v1::EvaluateResponse* response) const {
  if (!request.rule_set_body().empty() && request.rule_set_body() != body_) {
    return absl::FailedPreconditionError(
        "the request names a rule-set body other than the one this evaluator was created from");
  }
  if (absl::Status s = rules_->CheckScale(request.rating_scale()); !s.ok()) return s;
  const EvaluationContext context = EvaluationContext::From(request);
  // One reader for the whole batch: outcome texts repeat across a plan's initiatives.
  std::optional<EvidenceReader> reader;
  if (rules_->lexicon() != nullptr)
    reader.emplace(*rules_->lexicon(), *tokenizer_, &kept_readings_);
  response->mutable_evaluations()->Reserve(request.subjects_size());
  for (const auto& subject : request.subjects()) {
    EvaluateSubject(context, subject, reader ? &*reader : nullptr, response->add_evaluations());
  }
  return absl::OkStatus();
}

}  // namespace torikumi::rules
