#include "rule_compiler.h"

#include <limits>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace torikumi::rules {
namespace {

using Config = RulesConfig;

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

// The numeric test set in `in`, if any: its operator and bound.
bool NumericTest(const Config::FactTest& in, CompiledTest::Op* op, double* bound,
                 const char** word) {
  switch (in.test_case()) {
    case Config::FactTest::kEquals:
      *op = CompiledTest::Op::kEquals, *bound = in.equals(), *word = "equals";
      return true;
    case Config::FactTest::kAtLeast:
      *op = CompiledTest::Op::kAtLeast, *bound = in.at_least(), *word = "at_least";
      return true;
    case Config::FactTest::kAtMost:
      *op = CompiledTest::Op::kAtMost, *bound = in.at_most(), *word = "at_most";
      return true;
    case Config::FactTest::kLessThan:
      *op = CompiledTest::Op::kLessThan, *bound = in.less_than(), *word = "less_than";
      return true;
    case Config::FactTest::kGreaterThan:
      *op = CompiledTest::Op::kGreaterThan, *bound = in.greater_than(), *word = "greater_than";
      return true;
    default:
      return false;
  }
}

// The values one fact's tests in one condition allow: an interval, open or closed.
struct Range {
  double low = -std::numeric_limits<double>::infinity();
  bool low_open = false;
  double high = std::numeric_limits<double>::infinity();
  bool high_open = false;

  void Raise(double v, bool open) {
    if (v > low || (v == low && open)) low = v, low_open = open;
  }
  void Lower(double v, bool open) {
    if (v < high || (v == high && open)) high = v, high_open = open;
  }
  bool Empty() const { return low > high || (low == high && (low_open || high_open)); }
  void Narrow(const Config::FactTest& t) {
    switch (t.test_case()) {
      case Config::FactTest::kEquals:
        Raise(t.equals(), false), Lower(t.equals(), false);
        break;
      case Config::FactTest::kAtLeast:
        Raise(t.at_least(), false);
        break;
      case Config::FactTest::kGreaterThan:
        Raise(t.greater_than(), true);
        break;
      case Config::FactTest::kAtMost:
        Lower(t.at_most(), false);
        break;
      case Config::FactTest::kLessThan:
        Lower(t.less_than(), true);
        break;
      default:
        break;
    }
  }
};

}  // namespace

void RuleCompiler::Add(std::string field, std::string description) {
  violations_->push_back(
      {rule_, std::move(field), absl::StrCat("rule \"", rule_, "\": ", description)});
  ok_ = false;
}

bool RuleCompiler::Resolve(absl::string_view name, const std::string& path, FactRef* out) {
  absl::StatusOr<FactRef> fact = ParseFactName(name);
  if (!fact.ok()) {
    Add(path, name.empty() ? std::string("fact test without a name")
                           : absl::StrCat(absl::EndsWith(path, ".reason") ? "reason: " : "",
                                          fact.status().message()));
    return false;
  }
  if (fact->needs_lexicon && !has_lexicon_) {
    Add(path, absl::StrCat("fact \"", name,
                           "\" is read from outcome texts with the rule set's lexicon, and the "
                           "rule set has none; add a lexicon section"));
    return false;
  }
  *out = *std::move(fact);
  return true;
}

std::unique_ptr<CompiledCondition> RuleCompiler::Condition(const Config::Condition& in,
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

ReasonTemplate RuleCompiler::Reason(absl::string_view text, const std::string& path) {
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
    FactRef fact;
    if (!Resolve(text.substr(i + 1, close - i - 1), path, &fact)) return out;
    if (!literal.empty()) out.pieces.push_back({std::move(literal), false, {}});
    literal.clear();
    out.pieces.push_back({"", true, std::move(fact)});
    i = close;
  }
  if (!literal.empty()) out.pieces.push_back({std::move(literal), false, {}});
  return out;
}

CompiledTest RuleCompiler::Test(const Config::FactTest& in, const std::string& path) {
  CompiledTest out;
  if (!Resolve(in.name(), path + ".name", &out.fact)) return out;
  const v1::FactType type = out.fact.type;
  auto need = [&](bool fits, absl::string_view test) {
    if (!fits) {
      Add(path, absl::StrCat("fact \"", in.name(), "\" is ", TypeName(type),
                             " and cannot be tested with ", test, "; use ", TestsFor(type)));
    }
  };
  const char* word = "";
  if (NumericTest(in, &out.op, &out.number, &word)) {
    need(type == v1::FACT_TYPE_NUMBER, word);
    return out;
  }
  switch (in.test_case()) {
    case Config::FactTest::kIs:
      out.op = CompiledTest::Op::kIs;
      out.flag = in.is();
      need(type == v1::FACT_TYPE_BOOL, "is");
      break;
    case Config::FactTest::kAnyOf:
      out.op = CompiledTest::Op::kAnyOf;
      out.values.assign(in.any_of().values().begin(), in.any_of().values().end());
      need(type == v1::FACT_TYPE_STRING || type == v1::FACT_TYPE_SET, "any_of");
      if (out.values.empty()) Add(path + ".any_of", "any_of lists no values");
      break;
    case Config::FactTest::kMatchesAny:
      out.op = CompiledTest::Op::kMatchesAny;
      need(type != v1::FACT_TYPE_BOOL && type != v1::FACT_TYPE_NUMBER, "matches_any");
      CompilePatterns(in.matches_any(), path + ".matches_any", &out);
      break;
    default:
      Add(path, absl::StrCat("fact \"", in.name(), "\" has no test; use ", TestsFor(type)));
      break;
  }
  return out;
}

void RuleCompiler::CompilePatterns(const Config::Strings& in, const std::string& path,
                                   CompiledTest* out) {
  if (in.values().empty()) Add(path, "matches_any lists no patterns");
  for (int i = 0; i < in.values_size(); ++i) {
    const std::string& pattern = in.values(i);
    const std::string at = absl::StrCat(path, ".values[", i, "]");
    if (++budget_->patterns > kMaxPatterns) {
      if (!budget_->exceeded) {
        Add(at, absl::StrCat("the rule set has more than ", kMaxPatterns,
                             " matches_any patterns, the most one may have (each may use ",
                             kPatternMemoryBytes >> 10, " KiB of RE2 memory)"));
      }
      budget_->exceeded = true;
      return;  // compiling the rest would only spend memory on a rule set that is refused
    }
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(kPatternMemoryBytes);
    auto re = std::make_unique<RE2>(absl::StrCat("(", pattern, ")"), options);
    if (re->error_code() == RE2::ErrorPatternTooLarge) {
      Add(at, absl::StrCat("the pattern (", pattern.size(), " bytes) needs more than the ",
                           kPatternMemoryBytes >> 10,
                           " KiB of RE2 memory one pattern may use; split it"));
      continue;
    }
    if (!re->ok()) {
      Add(at, absl::StrCat("pattern \"", pattern, "\" is not a valid RE2 pattern: ", re->error()));
      continue;
    }
    if (pattern.empty()) Add(at, "empty pattern matches everything");
    out->patterns.push_back(std::move(re));
  }
}

// Tests of one fact in one condition that no value can pass together (e.g. at_least 3
// and at_most 1, or is true and is false) make the rule one that can never fire.
void RuleCompiler::CheckContradictions(const Config::Condition& in, const std::string& path) {
  std::map<std::string, Range> ranges;
  std::map<std::string, std::set<bool>> flags;
  for (const auto& t : in.fact()) {
    ranges[t.name()].Narrow(t);
    if (t.test_case() == Config::FactTest::kIs) flags[t.name()].insert(t.is());
  }
  for (const auto& [name, r] : ranges) {
    if (r.Empty()) {
      Add(path, absl::StrCat("can never fire: its tests of \"", name, "\" contradict each other"));
    }
  }
  for (const auto& [name, values] : flags) {
    if (values.size() > 1)
      Add(path, absl::StrCat("can never fire: \"", name, "\" is tested both true and false"));
  }
}

}  // namespace torikumi::rules
