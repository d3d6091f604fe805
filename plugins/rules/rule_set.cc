#include "rule_set.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "text_config.h"

namespace torikumi::rules {
namespace {

using Config = v1::RulesEvaluatorConfig;

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

const char* TypeName(v1::FactType type) {
  switch (type) {
    case v1::FACT_TYPE_BOOL:
      return "a bool";
    case v1::FACT_TYPE_NUMBER:
      return "a number";
    case v1::FACT_TYPE_STRING:
      return "a string";
    case v1::FACT_TYPE_SET:
      return "a set";
    case v1::FACT_TYPE_TEXT:
      return "text";
    default:
      return "unknown";
  }
}

const char* TestsFor(v1::FactType type) {
  switch (type) {
    case v1::FACT_TYPE_BOOL:
      return "is";
    case v1::FACT_TYPE_NUMBER:
      return "equals, at_least, at_most, less_than or greater_than";
    case v1::FACT_TYPE_STRING:
    case v1::FACT_TYPE_SET:
      return "any_of or matches_any";
    case v1::FACT_TYPE_TEXT:
      return "matches_any";
    default:
      return "nothing";
  }
}

// Compiles one rule's parts, recording mistakes against that rule.
class RuleCompiler {
 public:
  RuleCompiler(std::string rule, std::vector<Violation>* violations)
      : rule_(std::move(rule)), violations_(violations) {}

  void Add(std::string field, std::string description) {
    violations_->push_back(
        {rule_, std::move(field), absl::StrCat("rule \"", rule_, "\": ", description)});
    ok_ = false;
  }
  bool ok() const { return ok_; }

  std::unique_ptr<CompiledCondition> Condition(const Config::Condition& in,
                                               const std::string& path) {
    auto out = std::make_unique<CompiledCondition>();
    if (in.fact().empty() && in.all().empty() && in.any().empty() && !in.has_not_()) {
      Add(path, "empty condition (a rule without conditions leaves out \"when\")");
      return out;
    }
    for (int i = 0; i < in.fact_size(); ++i) {
      out->tests.push_back(Test(in.fact(i), absl::StrCat(path, ".fact[", i, "]")));
    }
    for (int i = 0; i < in.all_size(); ++i) {
      out->all.push_back(std::move(*Condition(in.all(i), absl::StrCat(path, ".all[", i, "]"))));
    }
    for (int i = 0; i < in.any_size(); ++i) {
      out->any.push_back(std::move(*Condition(in.any(i), absl::StrCat(path, ".any[", i, "]"))));
    }
    if (in.has_not_()) out->negated = Condition(in.not_(), absl::StrCat(path, ".not"));
    CheckContradictions(in, path);
    return out;
  }

  ReasonTemplate Reason(absl::string_view text, const std::string& path) {
    ReasonTemplate out;
    std::string literal;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {  // "{{" or "}}"
        literal.push_back(c);
        ++i;
        continue;
      }
      if (c == '}') {
        Add(path, absl::StrCat("reason has a \"}\" without \"{\" (write \"}}\" for a brace)"));
        return out;
      }
      if (c != '{') {
        literal.push_back(c);
        continue;
      }
      const size_t close = text.find('}', i + 1);
      if (close == absl::string_view::npos) {
        Add(path, "reason has a \"{\" without \"}\" (write \"{{\" for a brace)");
        return out;
      }
      absl::StatusOr<FactRef> fact = ParseFactName(text.substr(i + 1, close - i - 1));
      if (!fact.ok()) {
        Add(path, absl::StrCat("reason: ", fact.status().message()));
        return out;
      }
      if (!literal.empty()) out.pieces.push_back({std::move(literal), false, {}});
      literal.clear();
      out.pieces.push_back({"", true, *std::move(fact)});
      i = close;
    }
    if (!literal.empty()) out.pieces.push_back({std::move(literal), false, {}});
    return out;
  }

 private:
  CompiledTest Test(const Config::FactTest& in, const std::string& path) {
    CompiledTest out;
    absl::StatusOr<FactRef> fact = ParseFactName(in.name());
    if (!fact.ok()) {
      Add(path + ".name", in.name().empty() ? std::string("fact test without a name")
                                            : std::string(fact.status().message()));
      return out;
    }
    out.fact = *std::move(fact);
    const v1::FactType type = out.fact.type;
    auto need = [&](bool fits, absl::string_view test) {
      if (!fits) {
        Add(path, absl::StrCat("fact \"", in.name(), "\" is ", TypeName(type),
                               " and cannot be tested with ", test, "; use ", TestsFor(type)));
      }
    };
    const bool number = type == v1::FACT_TYPE_NUMBER;
    switch (in.test_case()) {
      case Config::FactTest::kIs:
        out.op = CompiledTest::Op::kIs;
        out.flag = in.is();
        need(type == v1::FACT_TYPE_BOOL, "is");
        break;
      case Config::FactTest::kEquals:
        out.op = CompiledTest::Op::kEquals;
        out.number = in.equals();
        need(number, "equals");
        break;
      case Config::FactTest::kAtLeast:
        out.op = CompiledTest::Op::kAtLeast;
        out.number = in.at_least();
        need(number, "at_least");
        break;
      case Config::FactTest::kAtMost:
        out.op = CompiledTest::Op::kAtMost;
        out.number = in.at_most();
        need(number, "at_most");
        break;
      case Config::FactTest::kLessThan:
        out.op = CompiledTest::Op::kLessThan;
        out.number = in.less_than();
        need(number, "less_than");
        break;
      case Config::FactTest::kGreaterThan:
        out.op = CompiledTest::Op::kGreaterThan;
        out.number = in.greater_than();
        need(number, "greater_than");
        break;
      case Config::FactTest::kAnyOf:
        out.op = CompiledTest::Op::kAnyOf;
        out.values.assign(in.any_of().values().begin(), in.any_of().values().end());
        need(type == v1::FACT_TYPE_STRING || type == v1::FACT_TYPE_SET, "any_of");
        if (out.values.empty()) Add(path + ".any_of", "any_of lists no values");
        break;
      case Config::FactTest::kMatchesAny:
        out.op = CompiledTest::Op::kMatchesAny;
        need(
            type == v1::FACT_TYPE_TEXT || type == v1::FACT_TYPE_STRING || type == v1::FACT_TYPE_SET,
            "matches_any");
        if (in.matches_any().values().empty())
          Add(path + ".matches_any", "matches_any lists no patterns");
        for (int i = 0; i < in.matches_any().values_size(); ++i) {
          const std::string& pattern = in.matches_any().values(i);
          RE2::Options options;
          options.set_log_errors(false);
          auto re = std::make_unique<RE2>(absl::StrCat("(", pattern, ")"), options);
          if (!re->ok()) {
            Add(absl::StrCat(path, ".matches_any.values[", i, "]"),
                absl::StrCat("pattern \"", pattern,
                             "\" is not a valid RE2 pattern: ", re->error()));
            continue;
          }
          if (pattern.empty()) {
            Add(absl::StrCat(path, ".matches_any.values[", i, "]"),
                "empty pattern matches everything");
          }
          out.patterns.push_back(std::move(re));
        }
        break;
      case Config::FactTest::TEST_NOT_SET:
        Add(path, absl::StrCat("fact \"", in.name(), "\" has no test; use ", TestsFor(type)));
        break;
    }
    return out;
  }

  // Tests of one fact in one condition that no value can pass together (e.g. at_least 3
  // and at_most 1, or is true and is false) make the rule one that can never fire.
  void CheckContradictions(const Config::Condition& in, const std::string& path) {
    struct Range {
      double low = -std::numeric_limits<double>::infinity();
      bool low_open = false;
      double high = std::numeric_limits<double>::infinity();
      bool high_open = false;
    };
    std::map<std::string, Range> ranges;
    std::map<std::string, std::set<bool>> flags;
    for (const auto& t : in.fact()) {
      Range& r = ranges[t.name()];
      auto raise = [&](double v, bool open) {
        if (v > r.low || (v == r.low && open)) {
          r.low = v;
          r.low_open = open;
        }
      };
      auto lower = [&](double v, bool open) {
        if (v < r.high || (v == r.high && open)) {
          r.high = v;
          r.high_open = open;
        }
      };
      switch (t.test_case()) {
        case Config::FactTest::kIs:
          flags[t.name()].insert(t.is());
          break;
        case Config::FactTest::kEquals:
          raise(t.equals(), false);
          lower(t.equals(), false);
          break;
        case Config::FactTest::kAtLeast:
          raise(t.at_least(), false);
          break;
        case Config::FactTest::kGreaterThan:
          raise(t.greater_than(), true);
          break;
        case Config::FactTest::kAtMost:
          lower(t.at_most(), false);
          break;
        case Config::FactTest::kLessThan:
          lower(t.less_than(), true);
          break;
        default:
          break;
      }
    }
    for (const auto& [name, r] : ranges) {
      if (r.low > r.high || (r.low == r.high && (r.low_open || r.high_open))) {
        Add(path,
            absl::StrCat("can never fire: its tests of \"", name, "\" contradict each other"));
      }
    }
    for (const auto& [name, values] : flags) {
      if (values.size() > 1)
        Add(path, absl::StrCat("can never fire: \"", name, "\" is tested both true and false"));
    }
  }

  std::string rule_;
  std::vector<Violation>* violations_;
  bool ok_ = true;
};

bool Compare(CompiledTest::Op op, double value, double bound) {
  switch (op) {
    case CompiledTest::Op::kEquals:
      return value == bound;
    case CompiledTest::Op::kAtLeast:
      return value >= bound;
    case CompiledTest::Op::kAtMost:
      return value <= bound;
    case CompiledTest::Op::kLessThan:
      return value < bound;
    case CompiledTest::Op::kGreaterThan:
      return value > bound;
    default:
      return false;
  }
}

const char* OpWords(CompiledTest::Op op) {
  switch (op) {
    case CompiledTest::Op::kEquals:
      return "equal to";
    case CompiledTest::Op::kAtLeast:
      return "at least";
    case CompiledTest::Op::kAtMost:
      return "at most";
    case CompiledTest::Op::kLessThan:
      return "less than";
    case CompiledTest::Op::kGreaterThan:
      return "greater than";
    default:
      return "";
  }
}

bool HoldsTest(const CompiledTest& t, const InitiativeFacts& facts, UsedFacts* used,
               std::vector<std::string>* said) {
  const std::string& name = t.fact.name;
  switch (t.op) {
    case CompiledTest::Op::kIs: {
      const bool v = facts.GetBool(t.fact);
      used->emplace_back(name, v ? "true" : "false");
      said->push_back(absl::StrCat(name, " is ", v ? "true" : "false"));
      return v == t.flag;
    }
    case CompiledTest::Op::kEquals:
    case CompiledTest::Op::kAtLeast:
    case CompiledTest::Op::kAtMost:
    case CompiledTest::Op::kLessThan:
    case CompiledTest::Op::kGreaterThan: {
      const double v = facts.GetNumber(t.fact);
      used->emplace_back(name, absl::StrCat(v));
      said->push_back(absl::StrCat(name, " = ", v, " (", OpWords(t.op), " ", t.number, ")"));
      return Compare(t.op, v, t.number);
    }
    case CompiledTest::Op::kAnyOf: {
      std::vector<std::string> values;
      if (t.fact.type == v1::FACT_TYPE_SET) {
        values = facts.GetSet(t.fact);
      } else {
        values.push_back(facts.GetString(t.fact));
      }
      const std::string shown = absl::StrJoin(values, ", ");
      used->emplace_back(name, shown);
      said->push_back(
          absl::StrCat(name, " = \"", shown, "\" (one of ", absl::StrJoin(t.values, ", "), ")"));
      for (const auto& v : values) {
        if (std::find(t.values.begin(), t.values.end(), v) != t.values.end()) return true;
      }
      return false;
    }
    case CompiledTest::Op::kMatchesAny: {
      std::vector<TextPiece> pieces;
      std::vector<std::string> owned;  // keeps string/set values alive for the views below
      if (t.fact.type == v1::FACT_TYPE_TEXT) {
        pieces = facts.GetText(t.fact);
      } else {
        owned = t.fact.type == v1::FACT_TYPE_SET
                    ? facts.GetSet(t.fact)
                    : std::vector<std::string>{facts.GetString(t.fact)};
        for (const auto& v : owned) pieces.push_back({"", v});
      }
      for (const auto& piece : pieces) {
        for (const auto& re : t.patterns) {
          re2::StringPiece match;
          if (RE2::PartialMatch(re2::StringPiece(piece.text.data(), piece.text.size()), *re,
                                &match)) {
            used->emplace_back(name, std::string(match.data(), match.size()));
            said->push_back(piece.source.empty()
                                ? absl::StrCat(name, " matches \"", match.as_string(), "\"")
                                : absl::StrCat(name, " (", piece.source, ") contains \"",
                                               match.as_string(), "\""));
            return true;
          }
        }
      }
      used->emplace_back(name, "(no match)");
      said->push_back(absl::StrCat(name, " matches none of ", t.patterns.size(), " patterns"));
      return false;
    }
  }
  return false;
}

bool Holds(const CompiledCondition& c, const InitiativeFacts& facts, UsedFacts* used,
           std::vector<std::string>* said) {
  for (const auto& t : c.tests) {
    if (!HoldsTest(t, facts, used, said)) return false;
  }
  for (const auto& child : c.all) {
    if (!Holds(child, facts, used, said)) return false;
  }
  if (!c.any.empty()) {
    bool any = false;
    for (const auto& child : c.any) {
      // Only the branch that held explains the decision.
      UsedFacts branch_used;
      std::vector<std::string> branch_said;
      if (Holds(child, facts, &branch_used, &branch_said)) {
        used->insert(used->end(), branch_used.begin(), branch_used.end());
        said->insert(said->end(), branch_said.begin(), branch_said.end());
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  if (c.negated != nullptr) {
    UsedFacts inner_used;
    std::vector<std::string> inner_said;
    if (Holds(*c.negated, facts, &inner_used, &inner_said)) return false;
    used->insert(used->end(), inner_used.begin(), inner_used.end());
    for (auto& s : inner_said) said->push_back(absl::StrCat("not: ", s));
  }
  return true;
}

}  // namespace

std::unique_ptr<CompiledRuleSet> CompiledRuleSet::Compile(absl::string_view body,
                                                          const v1::RatingScale& scale,
                                                          std::vector<Violation>* violations) {
  const size_t violations_before = violations->size();
  Config config;
  std::vector<std::string> errors;
  if (!plugin_sdk::ParseTextConfig(body, kRulesConfigType, &config, &errors)) {
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
  std::set<std::string> ids;
  const Config::Rule* unconditional = nullptr;
  std::map<std::string, std::string> condition_owner;  // serialized condition → rule id
  for (int i = 0; i < config.rules_size(); ++i) {
    const Config::Rule& in = config.rules(i);
    const std::string label = IsValidRuleId(in.id()) ? in.id() : absl::StrCat("rules[", i, "]");
    const std::string path =
        IsValidRuleId(in.id()) ? absl::StrCat("rules[\"", in.id(), "\"]") : label;
    RuleCompiler rc(label, violations);
    if (in.id().empty()) {
      rc.Add(path + ".id", "the rule has no id");
    } else if (!IsValidRuleId(in.id())) {
      rc.Add(path + ".id",
             absl::StrCat("id \"", in.id(), "\" may use only letters, digits, '_', '-' and '.'"));
    } else if (!ids.insert(in.id()).second) {
      rc.Add(path + ".id", "another rule before it has the same id");
    }

    CompiledRule rule;
    rule.id = label;
    switch (in.result_case()) {
      case Config::Rule::kGrade:
        rule.grade = in.grade();
        if (rule.grade.empty()) {
          rc.Add(path + ".grade", "empty grade");
        } else if (!OnScale(scale, rule.grade)) {
          rc.Add(path + ".grade",
                 absl::StrCat("grade \"", rule.grade, "\" is not on the plan's rating scale (",
                              ScaleCodes(scale), ")"));
        }
        break;
      case Config::Rule::kInsufficientData:
        rule.insufficient_data = true;
        if (!in.insufficient_data()) {
          rc.Add(path + ".insufficient_data", "insufficient_data must be true when set");
        }
        break;
      case Config::Rule::RESULT_NOT_SET:
        rc.Add(path, "the rule has no result; set grade or insufficient_data: true");
        break;
    }

    if (unconditional != nullptr) {
      rc.Add(path, absl::StrCat("can never fire: rule \"", unconditional->id(),
                                "\" before it has no condition"));
    }
    if (in.has_when()) {
      rule.when = rc.Condition(in.when(), path + ".when");
      const std::string key = in.when().SerializeAsString();
      auto [it, inserted] = condition_owner.emplace(key, label);
      if (!inserted && unconditional == nullptr) {
        rc.Add(path + ".when", absl::StrCat("can never fire: rule \"", it->second,
                                            "\" before it has the same condition"));
      }
    } else if (unconditional == nullptr) {
      unconditional = &in;
    }
    rule.reason = rc.Reason(in.reason(), path + ".reason");
    out->rules_.push_back(std::move(rule));
  }
  if (unconditional == nullptr) {
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

const CompiledRule& CompiledRuleSet::Decide(const InitiativeFacts& facts, UsedFacts* used,
                                            std::vector<std::string>* said) const {
  for (const auto& rule : rules_) {
    if (rule.when == nullptr) return rule;
    UsedFacts rule_used;
    std::vector<std::string> rule_said;
    if (Holds(*rule.when, facts, &rule_used, &rule_said)) {
      *used = std::move(rule_used);
      *said = std::move(rule_said);
      return rule;
    }
  }
  return rules_.back();  // unreachable for a compiled set: the last rule is unconditional
}

std::string RenderReason(const CompiledRule& rule, const InitiativeFacts& facts,
                         const UsedFacts& used, const std::vector<std::string>& said) {
  if (!rule.reason.pieces.empty()) {
    std::string out;
    for (const auto& piece : rule.reason.pieces) {
      if (!piece.is_fact) {
        out += piece.literal;
        continue;
      }
      auto it = std::find_if(used.begin(), used.end(),
                             [&](const auto& u) { return u.first == piece.fact.name; });
      out += it != used.end() ? it->second : facts.Render(piece.fact);
    }
    return out;
  }
  const std::string result =
      rule.insufficient_data ? "insufficient data" : absl::StrCat("grade ", rule.grade);
  if (rule.when == nullptr)
    return absl::StrCat(result, " by default rule \"", rule.id, "\": no earlier rule applied");
  return absl::StrCat(result, " by rule \"", rule.id, "\": ", absl::StrJoin(said, "; "));
}

}  // namespace torikumi::rules
