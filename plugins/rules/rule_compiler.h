// Compiling one rule's parts — its condition tree, fact tests and reason template —
// recording each mistake against that rule. Used by CompiledRuleSet::Compile.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rule_set.h"

namespace torikumi::rules {

class RuleCompiler {
 public:
  // `has_lexicon`: the rule set brings a lexicon, so evidence facts may be tested.
  RuleCompiler(std::string rule, bool has_lexicon, std::vector<Violation>* violations)
      : rule_(std::move(rule)), has_lexicon_(has_lexicon), violations_(violations) {}

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
  std::vector<Violation>* violations_;
  bool ok_ = true;
};

}  // namespace torikumi::rules
