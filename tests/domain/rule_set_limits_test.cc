// The bounds on a rule set's body (services/domain/rule_set_limits.h): the nesting scan
// ignores brackets in strings and comments, and RuleSets::Create and a back-test's inline
// rule set refuse a body too deep or too large before the evaluator parses it, naming the
// limit. A body at the limit still reaches the real rules.so.
#include "services/domain/rule_set_limits.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "tests/domain/ratings_fixture.h"

namespace torikumi::domain::testing {
namespace {

// A rule whose condition is `depth - 3` nested `not`s around a fact: `rules`, `when` and
// `fact` make up the rest of the depth.
std::string NestedNotRule(int depth) {
  std::string condition = "fact { name: \"outcomes\" equals: 0 }";
  for (int i = 0; i < depth - 3; ++i) condition = absl::StrCat("not { ", condition, " }");
  return absl::StrCat("rules { id: \"deep\" grade: \"A\" when { ", condition,
                      " } }\nrules { id: \"rest\" grade: \"B\" }\n");
}

TEST(DomainRuleSetLimits, NestingDepthCountsBracketsOutsideStringsAndComments) {
  EXPECT_EQ(RuleSetNestingDepth(""), 0);
  EXPECT_EQ(RuleSetNestingDepth("a { b < c: [1, 2] > }"), 3);
  EXPECT_EQ(RuleSetNestingDepth("a { } b { } c { d { } }"), 2);
  EXPECT_EQ(RuleSetNestingDepth("a: \"{{{{\" b: '<<[[' # {{{{ \nc { }"), 1);
  // An escaped quote does not end the string; a new line ends a comment.
  EXPECT_EQ(RuleSetNestingDepth(R"(a: "\"{{{" b: '\'<<')"), 0);
  EXPECT_EQ(RuleSetNestingDepth("# {\n{ {"), 2);
  // Unbalanced closing brackets never make the depth negative.
  EXPECT_EQ(RuleSetNestingDepth("}}} { {"), 2);
  EXPECT_EQ(RuleSetNestingDepth(NestedNotRule(20)), 20);
}

TEST_F(DomainRatingsTest, ADeeplyNestedRuleSetIsRefusedNamingTheLimit) {
  const std::string plan = ImportSeed();
  // About 160 KB of nested `not { … }`, which overflowed the text-format parser's stack.
  const std::string hostile = NestedNotRule(20000);
  ASSERT_GT(hostile.size(), 150000u);
  auto refused = CreateRuleSet("deep", hostile, plan);
  EXPECT_TRUE(IsViolation(refused.status(), "rule_set.body", "nesting depth exceeds 64"))
      << refused.status();
  EXPECT_TRUE(IsViolation(CreateRuleSet("deep", NestedNotRule(65), plan).status(), "rule_set.body",
                          "nesting depth exceeds 64"));
  // At the limit the body reaches the evaluator, which accepts it.
  auto at_limit = CreateRuleSet("deep", NestedNotRule(kMaxRuleSetNestingDepth), plan);
  EXPECT_TRUE(at_limit.ok()) << at_limit.status();
}

TEST_F(DomainRatingsTest, AnOversizedRuleSetIsRefusedNamingTheLimit) {
  const std::string plan = ImportSeed();
  std::string body = "rules { id: \"a\" grade: \"A\" }\n";
  body += std::string(kMaxRuleSetBodyBytes, '#');
  auto refused = CreateRuleSet("big", body, plan);
  EXPECT_TRUE(IsViolation(refused.status(), "rule_set.body",
                          absl::StrCat("over the limit of ", kMaxRuleSetBodyBytes, " bytes")))
      << refused.status();
  v1::ListRuleSetsRequest list;
  list.set_parent("organizations/city");
  EXPECT_EQ(rule_sets_->List(list)->rule_sets_size(), 0);
}

TEST_F(DomainRatingsTest, AnInlineBackTestBodyIsBoundedToo) {
  const std::string plan = ImportSeed();
  v1::RatingServiceEvaluateRequest request;
  request.set_plan(plan);
  request.set_dry_run(true);
  request.mutable_inline_rule_set()->set_body(NestedNotRule(20000));
  EXPECT_TRUE(IsViolation(ratings_->Evaluate(request).status(), "inline_rule_set.body",
                          "nesting depth exceeds 64"));
}

}  // namespace
}  // namespace torikumi::domain::testing
