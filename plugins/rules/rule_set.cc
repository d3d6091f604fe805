// Compiling a rule set: parsing the body, checking each rule (ids, results, order) and
// its lexicon. The parts of one rule are compiled by RuleCompiler (rule_compiler.cc).
#include "rule_set.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cpp/text_config.h"
#include "rule_compiler.h"
#include "torikumi_rules_config_descriptors.h"

namespace torikumi::rules {
namespace {

using Config = RulesConfig;

bool IsValidRuleId(absl::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

std::string ScaleCodes(const v1::RatingScale& scale) {
  std::vector<std::string> codes;
  for (const auto& g : scale.grades()) codes.push_back(g.code());
  return absl::StrJoin(codes, ", ");
}

bool OnScale(const v1::RatingScale& scale, absl::string_view grade) {
  if (scale.grades().empty()) return true;
  return std::any_of(scale.grades().begin(), scale.grades().end(),
                     [&](const v1::Grade& g) { return g.code() == grade; });
}

// What Compile carries from one rule to the next.
struct SetState {
  std::set<std::string> ids;
  const Config::Rule* unconditional = nullptr;
  std::map<std::string, std::string> condition_owner;  // serialized condition → rule id
  PatternBudget patterns;
};

void CompileResult(const Config::Rule& in, const v1::RatingScale& scale, const std::string& path,
                   RuleCompiler* rc, CompiledRule* rule) {
  switch (in.result_case()) {
    case Config::Rule::kGrade:
      rule->grade = in.grade();
      if (rule->grade.empty()) {
        rc->Add(path + ".grade", "empty grade");
      } else if (!OnScale(scale, rule->grade)) {
        rc->Add(path + ".grade",
                absl::StrCat("grade \"", rule->grade, "\" is not on the plan's rating scale (",
                             ScaleCodes(scale), ")"));
      }
      break;
    case Config::Rule::kInsufficientData:
      rule->insufficient_data = true;
      if (!in.insufficient_data())
        rc->Add(path + ".insufficient_data", "insufficient_data must be true when set");
      break;
    case Config::Rule::RESULT_NOT_SET:
      rc->Add(path, "the rule has no result; set grade or insufficient_data: true");
      break;
  }
}

CompiledRule CompileRule(const Config::Rule& in, int index, const v1::RatingScale& scale,
                         bool has_lexicon, SetState* state, std::vector<Violation>* violations) {
  const bool valid_id = IsValidRuleId(in.id());
  const std::string label = valid_id ? in.id() : absl::StrCat("rules[", index, "]");
  const std::string path = valid_id ? absl::StrCat("rules[\"", in.id(), "\"]") : label;
  RuleCompiler rc(label, has_lexicon, &state->patterns, violations);
  if (in.id().empty()) {
    rc.Add(path + ".id", "the rule has no id");
  } else if (!valid_id) {
    rc.Add(path + ".id",
           absl::StrCat("id \"", in.id(), "\" may use only letters, digits, '_', '-' and '.'"));
  } else if (!state->ids.insert(in.id()).second) {
    rc.Add(path + ".id", "another rule before it has the same id");
  }
  CompiledRule rule;
  rule.id = label;
  CompileResult(in, scale, path, &rc, &rule);
  if (state->unconditional != nullptr) {
    rc.Add(path, absl::StrCat("can never fire: rule \"", state->unconditional->id(),
                              "\" before it has no condition"));
  }
  if (in.has_when()) {
    rule.when = rc.Condition(in.when(), path + ".when");
    auto [it, inserted] = state->condition_owner.emplace(in.when().SerializeAsString(), label);
    if (!inserted && state->unconditional == nullptr) {
      rc.Add(path + ".when", absl::StrCat("can never fire: rule \"", it->second,
                                          "\" before it has the same condition"));
    }
  } else if (state->unconditional == nullptr) {
    state->unconditional = &in;
  }
  rule.reason = rc.Reason(in.reason(), path + ".reason");
  return rule;
}

}  // namespace

std::unique_ptr<CompiledRuleSet> CompiledRuleSet::Compile(absl::string_view body,
                                                          const v1::RatingScale& scale,
                                                          std::vector<Violation>* violations) {
  const size_t violations_before = violations->size();
  Config config;
  std::vector<std::string> errors;
  if (!plugin_sdk::ParseTextConfig(std::string(body), kRulesConfigType, RulesConfigDescriptors(),
                                   &config, &errors)) {
    for (auto& e : errors) {
      violations->push_back(
          {"", "", absl::StrCat("rule set does not parse as ", kRulesConfigType, ": ", e)});
    }
    return nullptr;
  }
  if (config.rules().empty()) {
    violations->push_back({"", "rules", "the rule set has no rules"});
    return nullptr;
  }
  auto out = std::make_unique<CompiledRuleSet>();
  if (config.has_lexicon()) {
    out->lexicon_ = std::make_unique<Lexicon>();
    CompileLexicon(config.lexicon(), out->lexicon_.get(), violations);
  }
  SetState state;
  for (int i = 0; i < config.rules_size(); ++i) {
    out->rules_.push_back(
        CompileRule(config.rules(i), i, scale, config.has_lexicon(), &state, violations));
  }
  if (state.unconditional == nullptr) {
    const Config::Rule& last = config.rules(config.rules_size() - 1);
    violations->push_back({last.id(), "rules",
                           absl::StrCat("no default rule: the last rule (\"", last.id(),
                                        "\") has a condition; end with a rule without \"when\"")});
  }
  if (violations->size() != violations_before) return nullptr;
  return out;
}

absl::Status CompiledRuleSet::CheckScale(const v1::RatingScale& scale) const {
  for (const auto& rule : rules_) {
    if (!rule.insufficient_data && !OnScale(scale, rule.grade)) {
      return absl::InvalidArgumentError(
          absl::StrCat("rule \"", rule.id, "\" gives grade \"", rule.grade,
                       "\", which is not on the plan's rating scale (", ScaleCodes(scale), ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace torikumi::rules
