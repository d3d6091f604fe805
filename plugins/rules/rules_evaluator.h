// The `rules` evaluator: ordered rules over facts of an initiative, first match wins.
//
// This class is the evaluator's core. plugin.cc wraps it in the C ABI of
// torikumi_evaluator.h; tests and benchmarks may also link it directly (library
// torikumi_rules_core) to compare a direct call with a call through the boundary.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "claims.h"
#include "facts.h"
#include "rule_set.h"
#include "tokenizer.h"
#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::rules {

class RulesEvaluator {
 public:
  static constexpr const char* kName = "rules";
  static constexpr const char* kVersion = "1.0.0";

  static v1::EvaluatorInfo Describe();
  // Every mistake of the rule set, each naming its rule; empty when it is valid.
  static v1::ValidateRuleSetResponse Validate(const v1::ValidateRuleSetRequest& request);
  // Parses and compiles once; INVALID_ARGUMENT naming the rules at fault otherwise.
  static absl::StatusOr<std::unique_ptr<RulesEvaluator>> Create(absl::string_view body);

  // One evaluation per subject, in request order. Thread-safe.
  absl::Status Evaluate(const v1::EvaluateRequest& request, v1::EvaluateResponse* response) const;

  const std::string& body() const { return body_; }

 private:
  RulesEvaluator(std::string body, std::unique_ptr<CompiledRuleSet> rules,
                 std::shared_ptr<Tokenizer> tokenizer)
      : body_(std::move(body)), rules_(std::move(rules)), tokenizer_(std::move(tokenizer)) {}

  // Texts whose readings are kept from one Evaluate to the next: a few megabytes.
  static constexpr size_t kKeptReadings = 4096;

  // The evidence of one initiative: each outcome text read into claims, then set against
  // the schedule. Only with a lexicon.
  Assessment AssessSubject(const EvaluationContext& context, const v1::EvaluationSubject& subject,
                           EvidenceReader& reader) const;
  // `reader` is null without a lexicon.
  void EvaluateSubject(const EvaluationContext& context, const v1::EvaluationSubject& subject,
                       EvidenceReader* reader, v1::InitiativeEvaluation* out) const;

  std::string body_;
  std::unique_ptr<CompiledRuleSet> rules_;
  std::shared_ptr<Tokenizer> tokenizer_;  // null without a lexicon
  mutable ReadingCache kept_readings_{kKeptReadings};
};

}  // namespace torikumi::rules
