// A `rules` rule set, parsed from protobuf text format, checked, and compiled once:
// fact names resolved, RE2 patterns compiled, reason templates split. Evaluation then
// only walks the compiled form.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "facts.h"
#include "lexicon.h"
#include "re2/re2.h"
#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::rules {

// The message a `rules` rule-set body is written as (protobuf text format).
inline constexpr const char kRulesConfigType[] = "torikumi.plugins.rules.v1.RulesEvaluatorConfig";

// One mistake in a rule set (see torikumi.v1.RuleSetViolation).
struct Violation {
  std::string rule;
  std::string field;
  std::string description;
};

// Facts a condition consulted, in order: name → value as text.
using UsedFacts = std::vector<std::pair<std::string, std::string>>;

struct CompiledTest {
  enum class Op { kIs, kEquals, kAtLeast, kAtMost, kLessThan, kGreaterThan, kAnyOf, kMatchesAny };
  FactRef fact;
  Op op = Op::kIs;
  bool flag = false;
  double number = 0;
  std::vector<std::string> values;
  // Each pattern wrapped in one capture group, so the matched text can be reported.
  std::vector<std::unique_ptr<RE2>> patterns;
};

struct CompiledCondition {
  std::vector<CompiledTest> tests;
  std::vector<CompiledCondition> all;
  std::vector<CompiledCondition> any;
  std::unique_ptr<CompiledCondition> negated;
};

// A reason template such as "text says {text}" split into literal text and fact
// placeholders.
struct ReasonTemplate {
  struct Piece {
    std::string literal;
    bool is_fact = false;
    FactRef fact;
  };
  std::vector<Piece> pieces;
};

struct CompiledRule {
  std::string id;
  bool insufficient_data = false;
  std::string grade;
  std::unique_ptr<CompiledCondition> when;  // null: always fires
  ReasonTemplate reason;
};

class CompiledRuleSet {
 public:
  // Parses and checks `body`. Returns the compiled set, or null with every mistake in
  // *violations. With a non-empty `scale`, grades must be codes of it.
  static std::unique_ptr<CompiledRuleSet> Compile(absl::string_view body,
                                                  const v1::RatingScale& scale,
                                                  std::vector<Violation>* violations);

  const std::vector<CompiledRule>& rules() const { return rules_; }
  // The lexicon outcome texts are read with; null when the rule set has none (then no
  // rule tests an evidence fact).
  const Lexicon* lexicon() const { return lexicon_.get(); }

  // OK if every grade the rule set can give is on `scale` (or the scale is empty).
  absl::Status CheckScale(const v1::RatingScale& scale) const;

  // The first rule whose condition holds (the default rule at the latest). `used` gets
  // the facts that decided it, `said` a short English phrase per fact test that held.
  const CompiledRule& Decide(const InitiativeFacts& facts, UsedFacts* used,
                             std::vector<std::string>* said) const;

 private:
  std::vector<CompiledRule> rules_;
  std::unique_ptr<Lexicon> lexicon_;
};

// The reason for a decision: the rule's template filled in, or an English account.
std::string RenderReason(const CompiledRule& rule, const InitiativeFacts& facts,
                         const UsedFacts& used, const std::vector<std::string>& said);

}  // namespace torikumi::rules
