#include "targets_evaluator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "cpp/text_config.h"
#include "torikumi_targets_config_descriptors.h"

namespace torikumi::targets {
namespace {

using Config = TargetsConfig;

void Add(v1::ValidateRuleSetResponse* out, std::string rule, std::string field,
         std::string description) {
  auto* v = out->add_violations();
  v->set_description(rule.empty() ? description
                                  : absl::StrCat("rule \"", rule, "\": ", description));
  v->set_rule(std::move(rule));
  v->set_field(std::move(field));
}

bool OnScale(const v1::RatingScale& scale, const std::string& grade) {
  if (scale.grades().empty()) return true;
  return std::any_of(scale.grades().begin(), scale.grades().end(),
                     [&](const v1::Grade& g) { return g.code() == grade; });
}

std::string ScaleCodes(const v1::RatingScale& scale) {
  std::vector<std::string> codes;
  for (const auto& g : scale.grades()) codes.push_back(g.code());
  return absl::StrJoin(codes, ", ");
}

std::string Percent(double ratio) {
  if (std::isinf(ratio)) return "∞%";
  return absl::StrFormat("%.0f%%", ratio * 100);
}

int FiscalYearOf(const v1::Date& d) {
  return d.year() == 0 ? 0 : (d.month() >= 4 ? d.year() : d.year() - 1);
}

}  // namespace

bool ParseTargetsConfig(absl::string_view body, const v1::RatingScale& scale, Config* config,
                        v1::ValidateRuleSetResponse* violations) {
  const int before = violations->violations_size();
  std::vector<std::string> errors;
  if (!plugin_sdk::ParseTextConfig(std::string(body), kTargetsConfigType,
                                   TargetsConfigDescriptors(), config, &errors)) {
    for (const auto& e : errors) {
      Add(violations, "", "",
          absl::StrCat("rule set does not parse as ", kTargetsConfigType, ": ", e));
    }
    return false;
  }
  std::set<std::string> labels;
  for (int i = 0; i < config->metrics_size(); ++i) {
    const auto& m = config->metrics(i);
    const std::string rule =
        m.label().empty() ? absl::StrCat("metrics[", i, "]") : absl::StrCat("metric ", m.label());
    const std::string path = absl::StrCat("metrics[", i, "]");
    if (m.label().empty()) Add(violations, rule, path + ".label", "the metric target has no label");
    if (!m.label().empty() && !labels.insert(m.label()).second) {
      Add(violations, rule, path + ".label", "another metric target before it has the same label");
    }
    if (m.has_target() && !(m.target() > 0)) {
      Add(violations, rule, path + ".target",
          absl::StrCat("target ", m.target(), " must be positive"));
    }
  }
  if (config->thresholds().empty()) {
    Add(violations, "", "thresholds",
        "no thresholds: list grades best first, the last with min_attainment 0");
  }
  double previous = std::numeric_limits<double>::infinity();
  std::string previous_grade;
  for (int i = 0; i < config->thresholds_size(); ++i) {
    const auto& t = config->thresholds(i);
    const std::string rule = t.grade().empty() ? absl::StrCat("thresholds[", i, "]")
                                               : absl::StrCat("threshold ", t.grade());
    const std::string path = absl::StrCat("thresholds[", i, "]");
    if (t.grade().empty()) {
      Add(violations, rule, path + ".grade", "the threshold has no grade");
    } else if (!OnScale(scale, t.grade())) {
      Add(violations, rule, path + ".grade",
          absl::StrCat("grade \"", t.grade(), "\" is not on the plan's rating scale (",
                       ScaleCodes(scale), ")"));
    }
    if (!(t.min_attainment() >= 0)) {
      Add(violations, rule, path + ".min_attainment", "min_attainment must be 0 or more");
    } else if (t.min_attainment() >= previous) {
      Add(violations, rule, path + ".min_attainment",
          absl::StrCat("can never apply: threshold \"", previous_grade,
                       "\" before it already takes every attainment from ", Percent(previous),
                       " up"));
    }
    previous = std::min(previous, t.min_attainment());
    previous_grade = t.grade();
    const std::string& reason = t.reason();
    for (size_t open = reason.find('{'); open != std::string::npos;
         open = reason.find('{', open + 1)) {
      const size_t close = reason.find('}', open);
      const std::string name =
          close == std::string::npos ? "" : reason.substr(open + 1, close - open - 1);
      if (name != "attainment" && name != "metrics" && name != "grade") {
        Add(violations, rule, path + ".reason",
            absl::StrCat("reason names an unknown fact \"", name,
                         "\" (use {attainment}, {metrics} or {grade})"));
        break;
      }
    }
  }
  if (!config->thresholds().empty() && config->thresholds().rbegin()->min_attainment() != 0) {
    const auto& last = *config->thresholds().rbegin();
    Add(violations, last.grade(), "thresholds",
        absl::StrCat("no default: the last threshold (\"", last.grade(), "\") starts at ",
                     Percent(last.min_attainment()),
                     "; end with min_attainment 0 so every attainment gets a grade"));
  }
  return violations->violations_size() == before;
}

TargetsEvaluator::TargetsEvaluator(std::string body, Config config)
    : body_(std::move(body)), config_(std::move(config)) {
  for (const auto& m : config_.metrics()) by_label_[m.label()] = &m;
}

v1::EvaluatorInfo TargetsEvaluator::Describe() {
  v1::EvaluatorInfo info;
  info.set_name(kName);
  info.set_version(kVersion);
  info.set_description(
      "Grades from actual vs target metrics: attainment is actual/target (or target/actual when "
      "lower "
      "is better); the worst or mean attainment picks the first threshold it reaches.");
  info.set_config_type(kTargetsConfigType);
  auto* f = info.add_facts();
  f->set_name("attainment");
  f->set_type(v1::FACT_TYPE_NUMBER);
  f->set_description("aggregated attainment of the metrics that have a target (1 = target met)");
  return info;
}

v1::ValidateRuleSetResponse TargetsEvaluator::Validate(const v1::ValidateRuleSetRequest& request) {
  v1::ValidateRuleSetResponse response;
  Config config;
  ParseTargetsConfig(request.rule_set_body(), request.rating_scale(), &config, &response);
  return response;
}

absl::StatusOr<std::unique_ptr<TargetsEvaluator>> TargetsEvaluator::Create(absl::string_view body) {
  v1::ValidateRuleSetResponse violations;
  Config config;
  if (!ParseTargetsConfig(body, v1::RatingScale(), &config, &violations)) {
    std::vector<std::string> parts;
    for (const auto& v : violations.violations()) parts.push_back(v.description());
    return absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  }
  return std::unique_ptr<TargetsEvaluator>(
      new TargetsEvaluator(std::string(body), std::move(config)));
}

absl::Status TargetsEvaluator::Evaluate(const v1::EvaluateRequest& request,
                                        v1::EvaluateResponse* response) const {
  if (!request.rule_set_body().empty() && request.rule_set_body() != body_) {
    return absl::FailedPreconditionError(
        "the request names a rule-set body other than the one this evaluator was created from");
  }
  for (const auto& t : config_.thresholds()) {
    if (!OnScale(request.rating_scale(), t.grade())) {
      return absl::InvalidArgumentError(absl::StrCat("threshold \"", t.grade(),
                                                     "\" is not on the plan's rating scale (",
                                                     ScaleCodes(request.rating_scale()), ")"));
    }
  }
  for (const auto& subject : request.subjects())
    EvaluateOne(request, subject, response->add_evaluations());
  return absl::OkStatus();
}

void TargetsEvaluator::EvaluateOne(const v1::EvaluateRequest& request,
                                   const v1::EvaluationSubject& subject,
                                   v1::InitiativeEvaluation* out) const {
  out->set_initiative(subject.initiative().name());
  const int as_of_year = FiscalYearOf(request.as_of());
  std::vector<double> attainments;
  std::vector<std::string> shown;
  auto add_fact = [out](std::string name, std::string value) {
    v1::UsedFact* fact = out->add_facts();
    fact->set_name(std::move(name));
    fact->set_value(std::move(value));
  };
  for (const auto& outcome : subject.outcomes()) {
    if (config_.closed_years_only() &&
        (outcome.fiscal_year() == 0 || (as_of_year != 0 && outcome.fiscal_year() >= as_of_year))) {
      continue;
    }
    for (const auto& m : outcome.metrics()) {
      auto entry = by_label_.find(m.label());
      const Config::MetricTarget* target_def = entry == by_label_.end() ? nullptr : entry->second;
      double target = 0;
      if (target_def != nullptr && target_def->has_target()) {
        target = target_def->target();
      } else if (m.has_target()) {
        target = m.target();
      } else {
        continue;
      }
      if (!(target > 0)) continue;
      const Config::Direction direction =
          target_def != nullptr && target_def->direction() != Config::DIRECTION_UNSPECIFIED
              ? target_def->direction()
              : config_.default_direction();
      double attainment = 0;
      if (direction == Config::DIRECTION_LOWER_IS_BETTER) {
        attainment = m.value() <= 0 ? std::numeric_limits<double>::infinity() : target / m.value();
      } else {
        attainment = m.value() / target;
      }
      attainments.push_back(attainment);
      const std::string where =
          outcome.fiscal_year() == 0 ? "period" : absl::StrCat("fy", outcome.fiscal_year());
      const std::string text = absl::StrCat(
          m.value(), m.unit(), " / ", target, m.unit(), " (", Percent(attainment),
          direction == Config::DIRECTION_LOWER_IS_BETTER ? ", lower is better" : "", ")");
      add_fact(absl::StrCat("metric.", m.label(), ".", where), text);
      shown.push_back(absl::StrCat(m.label(), " ", where, " ", text));
    }
  }
  if (attainments.empty()) {
    out->set_insufficient_data(true);
    out->add_fired_rules("no-target");
    out->set_reason("insufficient data: no metric of this initiative has a target");
    return;
  }
  double attainment = 0;
  const char* how = "";
  if (config_.aggregation() == Config::AGGREGATION_MEAN) {
    double sum = 0;
    for (double a : attainments)
      sum += std::isinf(a) ? 1.0 : a;  // a met lower-is-better target counts as 100%
    attainment = sum / attainments.size();
    how = "mean";
  } else {
    attainment = *std::min_element(attainments.begin(), attainments.end());
    how = "worst";
  }
  add_fact("attainment", Percent(attainment));
  const Config::Threshold* chosen = &*config_.thresholds().rbegin();
  for (const auto& t : config_.thresholds()) {
    if (attainment >= t.min_attainment()) {
      chosen = &t;
      break;
    }
  }
  out->set_grade(chosen->grade());
  out->add_fired_rules(absl::StrCat("threshold-", chosen->grade()));
  const std::string metrics = absl::StrJoin(shown, "; ");
  if (!chosen->reason().empty()) {
    out->set_reason(absl::StrReplaceAll(chosen->reason(), {{"{attainment}", Percent(attainment)},
                                                           {"{metrics}", metrics},
                                                           {"{grade}", chosen->grade()}}));
  } else {
    out->set_reason(absl::StrCat("grade ", chosen->grade(), ": ", how, " attainment ",
                                 Percent(attainment), " of ", attainments.size(),
                                 " metric(s) with a target reaches ",
                                 Percent(chosen->min_attainment()), " (", metrics, ")"));
  }
}

}  // namespace torikumi::targets
