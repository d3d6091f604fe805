// The `targets` evaluator: grades from actual vs target metrics, for plans that set
// numeric targets. Attainment per metric is actual/target (higher is better) or
// target/actual (lower is better); the worst (or mean) attainment picks the first
// threshold it reaches. No metric with a target → insufficient data.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "targets_config.pb.h"
#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::targets {

// The message a `targets` rule-set body is written as (protobuf text format).
inline constexpr const char kTargetsConfigType[] =
    "torikumi.plugins.targets.v1.TargetsEvaluatorConfig";
// A rule-set body: the plugin's own config message (targets_config.proto).
using TargetsConfig = plugins::targets::v1::TargetsEvaluatorConfig;

class TargetsEvaluator {
 public:
  static constexpr const char* kName = "targets";
  static constexpr const char* kVersion = "1.0.0";

  static v1::EvaluatorInfo Describe();
  static v1::ValidateRuleSetResponse Validate(const v1::ValidateRuleSetRequest& request);
  static absl::StatusOr<std::unique_ptr<TargetsEvaluator>> Create(absl::string_view body);

  // One evaluation per subject, in request order. Thread-safe.
  absl::Status Evaluate(const v1::EvaluateRequest& request, v1::EvaluateResponse* response) const;

 private:
  explicit TargetsEvaluator(std::string body, TargetsConfig config);

  void EvaluateOne(const v1::EvaluateRequest& request, const v1::EvaluationSubject& subject,
                   v1::InitiativeEvaluation* out) const;

  std::string body_;
  TargetsConfig config_;
  std::map<std::string, const TargetsConfig::MetricTarget*> by_label_;
};

// Parses and checks a body; appends every mistake to *violations. With a non-empty
// scale, grades must be codes of it.
bool ParseTargetsConfig(absl::string_view body, const v1::RatingScale& scale, TargetsConfig* config,
                        v1::ValidateRuleSetResponse* violations);

}  // namespace torikumi::targets
