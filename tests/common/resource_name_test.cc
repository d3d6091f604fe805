#include "services/common/resource_name.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"

namespace torikumi {
namespace {

using ::testing::HasSubstr;

// Checks that `status` is INVALID_ARGUMENT with one violation on `field` quoting `name`.
void ExpectMalformed(const absl::Status& status, const std::string& field,
                     const std::string& name) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(field));
  EXPECT_THAT(std::string(status.message()), HasSubstr("'" + name + "'"));
  auto violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u) << status;
  EXPECT_EQ(violations[0].field(), field);
  EXPECT_THAT(violations[0].description(), HasSubstr(name));
}

TEST(CommonResourceNameTest, IsValidId) {
  for (const std::string& id :
       {std::string("a"), std::string("hr"), std::string("p3k9x2m7q1"),
        std::string("jinzai-ikusei"), std::string("a-1"), std::string(63, 'x')}) {
    EXPECT_TRUE(IsValidId(id)) << id;
  }
  const std::string too_long(64, 'x');
  for (const std::string& id : {std::string(), too_long, std::string("1abc"), std::string("-abc"),
                                std::string("abc-"), std::string("Abc"), std::string("a_b"),
                                std::string("a b"), std::string("a/b"), std::string("人材")}) {
    EXPECT_FALSE(IsValidId(id)) << id;
  }
}

TEST(CommonResourceNameTest, GeneratedIdsAreValidPrefixedAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string id = GenerateId('p');
    EXPECT_TRUE(IsValidId(id)) << id;
    EXPECT_EQ(id[0], 'p');
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(CommonResourceNameTest, OrganizationRoundTrip) {
  absl::StatusOr<std::string> org = ParseOrganizationName("organizations/kanagawa", "name");
  ASSERT_TRUE(org.ok()) << org.status();
  EXPECT_EQ(*org, "kanagawa");
  PlanName plan{"kanagawa", "hr-plan"};
  EXPECT_EQ(plan.OrganizationName(), "organizations/kanagawa");
}

TEST(CommonResourceNameTest, PlanRoundTrip) {
  PlanName plan{"kanagawa", "hr-plan-h30"};
  EXPECT_EQ(plan.Format(), "organizations/kanagawa/plans/hr-plan-h30");
  absl::StatusOr<PlanName> parsed = ParsePlanName(plan.Format(), "plan.name");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->organization, "kanagawa");
  EXPECT_EQ(parsed->plan, "hr-plan-h30");
  EXPECT_EQ(parsed->Format(), plan.Format());
}

TEST(CommonResourceNameTest, InitiativeRoundTripAndWildcard) {
  InitiativeName initiative{"kanagawa", "hr", "i12"};
  EXPECT_EQ(initiative.Format(), "organizations/kanagawa/plans/hr/initiatives/i12");
  EXPECT_EQ(initiative.PlanName(), "organizations/kanagawa/plans/hr");
  absl::StatusOr<InitiativeName> parsed = ParseInitiativeName(initiative.Format(), "name");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Format(), initiative.Format());
  EXPECT_EQ(parsed->initiative, "i12");

  const std::string wildcard = "organizations/kanagawa/plans/hr/initiatives/-";
  ExpectMalformed(ParseInitiativeName(wildcard, "parent").status(), "parent", wildcard);
  absl::StatusOr<InitiativeName> all =
      ParseInitiativeName(wildcard, "parent", /*allow_wildcard=*/true);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->initiative, "-");
  // The wildcard stands only for the initiative, never for the plan or organization.
  const std::string bad_plan = "organizations/kanagawa/plans/-/initiatives/-";
  ExpectMalformed(ParseInitiativeName(bad_plan, "parent", true).status(), "parent", bad_plan);
}

TEST(CommonResourceNameTest, OutcomeRoundTrip) {
  for (int year : {0, 2018, 2019, 2022}) {
    OutcomeName outcome{{"kanagawa", "hr", "i3"}, year};
    absl::StatusOr<OutcomeName> parsed = ParseOutcomeName(outcome.Format(), "outcome.name");
    ASSERT_TRUE(parsed.ok()) << outcome.Format() << ": " << parsed.status();
    EXPECT_EQ(parsed->fiscal_year, year);
    EXPECT_EQ(parsed->initiative.initiative, "i3");
    EXPECT_EQ(parsed->Format(), outcome.Format());
  }
  EXPECT_EQ(OutcomeId(0), "period");
  EXPECT_EQ(OutcomeId(2019), "fy2019");
  EXPECT_EQ((OutcomeName{{"o", "p", "i"}, 2019}).Format(),
            "organizations/o/plans/p/initiatives/i/outcomes/fy2019");
}

class CommonResourceNameMalformedTest : public ::testing::TestWithParam<const char*> {};

TEST_P(CommonResourceNameMalformedTest, PlanNameRejectedNamingTheField) {
  ExpectMalformed(ParsePlanName(GetParam(), "plan.name").status(), "plan.name", GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Names, CommonResourceNameMalformedTest,
    ::testing::Values("", "organizations/kanagawa", "organizations/kanagawa/plans/",
                      "organizations/kanagawa/plans/hr/", "organization/kanagawa/plans/hr",
                      "organizations/kanagawa/plan/hr", "organizations/Kanagawa/plans/hr",
                      "organizations/kanagawa/plans/hr_plan", "/organizations/kanagawa/plans/hr",
                      "organizations/kanagawa/plans/hr/initiatives/i1", "organizations//plans/hr",
                      "organizations/人材/plans/hr"));

TEST(CommonResourceNameTest, MalformedOrganizationAndInitiativeNames) {
  for (const std::string name :
       {"", "organizations", "organizations/", "orgs/x", "organizations/x/plans/y"}) {
    ExpectMalformed(ParseOrganizationName(name, "parent").status(), "parent", name);
  }
  for (const std::string name :
       {"organizations/x/plans/y", "organizations/x/plans/y/initiatives",
        "organizations/x/plans/y/initiatives/I1", "organizations/x/plans/y/outcomes/i1"}) {
    ExpectMalformed(ParseInitiativeName(name, "initiative.name").status(), "initiative.name", name);
  }
}

TEST(CommonResourceNameTest, MalformedOutcomeNames) {
  for (const std::string name : {
           "organizations/x/plans/y/initiatives/z",
           "organizations/x/plans/y/initiatives/z/outcomes/",
           "organizations/x/plans/y/initiatives/z/outcomes/2019",
           "organizations/x/plans/y/initiatives/z/outcomes/fy19",
           "organizations/x/plans/y/initiatives/z/outcomes/fyabcd",
           "organizations/x/plans/y/initiatives/z/outcomes/FY2019",
           "organizations/x/plans/y/initiatives/z/outcomes/periods",
           "organizations/x/plans/Y/initiatives/z/outcomes/fy2019",
           "organizations/x/plans/y/initiatives/-/outcomes/fy2019",
           // Only four ASCII digits naming a fiscal year torikumi accepts.
           "organizations/x/plans/y/initiatives/z/outcomes/fy-123",
           "organizations/x/plans/y/initiatives/z/outcomes/fy+201",
           "organizations/x/plans/y/initiatives/z/outcomes/fy 201",
           "organizations/x/plans/y/initiatives/z/outcomes/fy0000",
           "organizations/x/plans/y/initiatives/z/outcomes/fy1988",
           "organizations/x/plans/y/initiatives/z/outcomes/fy2201",
       }) {
    ExpectMalformed(ParseOutcomeName(name, "outcome.name").status(), "outcome.name", name);
  }
}

}  // namespace
TEST(CommonResourceNameTest, RatingRoundRoundTripAndMalformed) {
  RatingRoundName round{{"city", "hr"}, 2022};
  EXPECT_EQ(round.Format(), "organizations/city/plans/hr/ratingRounds/2022");
  absl::StatusOr<RatingRoundName> parsed = ParseRatingRoundName(round.Format(), "name");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->plan.Format(), "organizations/city/plans/hr");
  EXPECT_EQ(parsed->fiscal_year, 2022);
  for (const char* name :
       {"organizations/city/plans/hr/ratingRounds/R4",
        "organizations/city/plans/hr/ratingRounds/+202",
        "organizations/city/plans/hr/ratingRounds/0000",
        "organizations/city/plans/hr/ratingRounds/20222", "organizations/city/ratingRounds/2022"}) {
    ExpectMalformed(ParseRatingRoundName(name, "name").status(), "name", name);
  }
}

}  // namespace torikumi
