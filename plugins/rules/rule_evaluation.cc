// Evaluating a compiled rule set: the first rule whose condition holds over an
// initiative's facts, and the facts that decided it.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rule_set.h"

namespace torikumi::rules {
namespace {

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

bool HoldsAnyOf(const CompiledTest& t, const InitiativeFacts& facts, UsedFacts* used,
                std::vector<std::string>* said) {
  const std::string& name = t.fact.name;
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

bool HoldsMatchesAny(const CompiledTest& t, const InitiativeFacts& facts, UsedFacts* used,
                     std::vector<std::string>* said) {
  const std::string& name = t.fact.name;
  std::vector<TextPiece> pieces;
  std::vector<std::string> owned;  // keeps string/set values alive for the views below
  if (t.fact.type == v1::FACT_TYPE_TEXT) {
    pieces = facts.GetText(t.fact);
  } else {
    owned = t.fact.type == v1::FACT_TYPE_SET ? facts.GetSet(t.fact)
                                             : std::vector<std::string>{facts.GetString(t.fact)};
    for (const auto& v : owned) pieces.push_back({"", v});
  }
  for (const auto& piece : pieces) {
    for (const auto& re : t.patterns) {
      re2::StringPiece match;
      if (RE2::PartialMatch(re2::StringPiece(piece.text.data(), piece.text.size()), *re, &match)) {
        used->emplace_back(name, std::string(match.data(), match.size()));
        said->push_back(
            piece.source.empty()
                ? absl::StrCat(name, " matches \"", match.as_string(), "\"")
                : absl::StrCat(name, " (", piece.source, ") contains \"", match.as_string(), "\""));
        return true;
      }
    }
  }
  used->emplace_back(name, "(no match)");
  said->push_back(absl::StrCat(name, " matches none of ", t.patterns.size(), " patterns"));
  return false;
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
    case CompiledTest::Op::kAnyOf:
      return HoldsAnyOf(t, facts, used, said);
    case CompiledTest::Op::kMatchesAny:
      return HoldsMatchesAny(t, facts, used, said);
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

}  // namespace torikumi::rules
