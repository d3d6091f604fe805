// Conformance: rule sets (immutable numbered versions).
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

constexpr absl::string_view kAbc = "organizations/city/ruleSets/abc";

v1::RuleSet MakeRuleSet(absl::string_view name, absl::string_view body) {
  v1::RuleSet rule_set;
  rule_set.set_name(std::string(name));
  rule_set.set_evaluator("rules");
  rule_set.set_body(std::string(body));
  return rule_set;
}

TEST_P(StoreConformance, RuleSetNeedsItsOrganization) {
  EXPECT_TRUE(HasError(store().CreateRuleSetVersion(MakeRuleSet(kAbc, "x")),
                       absl::StatusCode::kNotFound, kCity));
  EXPECT_TRUE(
      HasError(store().CreateRuleSetVersion(MakeRuleSet("organizations/city/rules/abc", "x")),
               absl::StatusCode::kInvalidArgument, "rule_set.name"));
}

TEST_P(StoreConformance, RuleSetVersionsAreNumberedAndImmutable) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  ASSERT_OK_AND_ASSIGN(v1::RuleSet first, store().CreateRuleSetVersion(MakeRuleSet(kAbc, "one")));
  EXPECT_EQ(first.version(), 1);
  EXPECT_TRUE(first.has_create_time());
  ASSERT_OK_AND_ASSIGN(v1::RuleSet second, store().CreateRuleSetVersion(MakeRuleSet(kAbc, "two")));
  EXPECT_EQ(second.version(), 2);

  ASSERT_OK_AND_ASSIGN(v1::RuleSet latest, store().GetRuleSet(kAbc, 0));
  EXPECT_EQ(latest.version(), 2);
  EXPECT_EQ(latest.body(), "two");
  ASSERT_OK_AND_ASSIGN(v1::RuleSet old, store().GetRuleSet(kAbc, 1));
  EXPECT_EQ(old.body(), "one");
  EXPECT_TRUE(ProtoEquals(old, first));
  EXPECT_TRUE(HasError(store().GetRuleSet(kAbc, 3), absl::StatusCode::kNotFound, "abc@3"));
  EXPECT_TRUE(HasError(store().GetRuleSet("organizations/city/ruleSets/none", 0),
                       absl::StatusCode::kNotFound, "none"));
}

TEST_P(StoreConformance, RuleSetListLatestOrAllVersions) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  ASSERT_OK(store().CreateOrganization(MakeOrganization("organizations/town"), "").status());
  ASSERT_OK(
      store().CreateRuleSetVersion(MakeRuleSet("organizations/city/ruleSets/zeta", "z")).status());
  ASSERT_OK(store().CreateRuleSetVersion(MakeRuleSet(kAbc, "one")).status());
  ASSERT_OK(store().CreateRuleSetVersion(MakeRuleSet(kAbc, "two")).status());
  ASSERT_OK(
      store().CreateRuleSetVersion(MakeRuleSet("organizations/town/ruleSets/abc", "t")).status());

  ASSERT_OK_AND_ASSIGN(ListResult<v1::RuleSet> latest, store().ListRuleSets(kCity, false, Page{}));
  EXPECT_EQ(Names(latest.items),
            (std::vector<std::string>{std::string(kAbc), "organizations/city/ruleSets/zeta"}));
  EXPECT_EQ(latest.items[0].version(), 2);
  EXPECT_EQ(latest.total, 2);

  ASSERT_OK_AND_ASSIGN(ListResult<v1::RuleSet> all, store().ListRuleSets(kCity, true, Page{}));
  ASSERT_EQ(all.items.size(), 3u);
  EXPECT_EQ(all.items[0].version(), 1);
  EXPECT_EQ(all.items[1].version(), 2);
  EXPECT_EQ(all.total, 3);

  ASSERT_OK_AND_ASSIGN(ListResult<v1::RuleSet> page,
                       store().ListRuleSets(kCity, true, Page{.offset = 1, .limit = 1}));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].body(), "two");
  EXPECT_TRUE(HasError(store().ListRuleSets("organizations/none", false, Page{}),
                       absl::StatusCode::kNotFound, "organizations/none"));
}

}  // namespace
}  // namespace torikumi::store::testing
