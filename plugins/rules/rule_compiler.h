// Compiling one rule's parts — its condition tree, fact tests and reason template —
// recording each mistake against that rule. Used by CompiledRuleSet::Compile.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rule_set.h"

namespace torikumi::rules {

// The RE2 memory a rule set's patterns may use: each pattern compiles within
// kPatternMemoryBytes (RE2's max_mem, which bounds its program and its DFA caches), and a rule
// set holds at most kMaxPatterns patterns, so its patterns never take more than
// kMaxPatterns * kPatternMemoryBytes (64 MiB), whatever the body says.
inline constexpr int64_t kPatternMemoryBytes = 128 << 10;  // 128 KiB
inline constexpr int kMaxPatterns = 512;

// How many patterns the rule set being compiled has used so far, across its rules.
struct PatternBudget {
  int patterns = 0;
  // The over-the-limit violation is reported once.
  bool exceeded = false;
};

class RuleCompiler {
 public:
  // `has_lexicon`: the rule set brings a lexicon, so evidence facts may be tested.
  // `budget` is shared by every rule of the rule set.
  RuleCompiler(std::string rule, bool has_lexicon, PatternBudget* budget,
               std::vector<Violation>* violations)
      : rule_(std::move(rule)),
        has_lexicon_(has_lexicon),
        budget_(budget),
        violations_(violations) {}

  void Add(std::string field, std::string description);
  bool ok() const { return ok_; }

  std::unique_ptr<CompiledCondition> Condition(const RulesConfig::Condition& in,
                                               const std::string& path);
  ReasonTemplate Reason(absl::string_view text, const std::string& path);

 private:
  // The fact named `name`, or a violation at `path`.
  bool Resolve(absl::string_view name, const std::string& path, FactRef* out);
  CompiledTest Test(const RulesConfig::FactTest& in, const std::string& path);
  void CompilePatterns(const RulesConfig::Strings& in, const std::string& path, CompiledTest* out);
  void CheckContradictions(const RulesConfig::Condition& in, const std::string& path);

  std::string rule_;
  bool has_lexicon_;
  PatternBudget* budget_;
  std::vector<Violation>* violations_;
  bool ok_ = true;
};

}  // namespace torikumi::rules
