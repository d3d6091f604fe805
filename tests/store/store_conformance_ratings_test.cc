// Conformance: computed ratings (append-only history per initiative).
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

v1::ComputedRating MakeRating(absl::string_view initiative, absl::string_view grade,
                              absl::string_view reason) {
  v1::ComputedRating rating;
  rating.set_initiative(std::string(initiative));
  rating.set_grade(std::string(grade));
  rating.set_reason(std::string(reason));
  rating.set_evaluator("rules");
  rating.set_rule_set("organizations/city/ruleSets/abc");
  rating.set_rule_set_version(1);
  rating.add_fired_rules("r1");
  return rating;
}

TEST_P(StoreConformance, RatingsKeepHistoryNewestFirst) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  CreateInitiativeOrDie(MakeInitiative("b", kTraining, 2));
  const std::string a = InitiativeName("a");
  const std::string b = InitiativeName("b");
  ASSERT_OK(store().RecordRatings({MakeRating(a, "C", "first"), MakeRating(b, "A", "b only")}));
  ASSERT_OK(store().RecordRatings({MakeRating(a, "B", "second")}));

  ASSERT_OK_AND_ASSIGN(std::vector<v1::ComputedRating> latest,
                       store().ListRatings(kHrPlan, "", false));
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].initiative(), a);
  EXPECT_EQ(latest[0].reason(), "second");
  EXPECT_EQ(latest[1].initiative(), b);

  ASSERT_OK_AND_ASSIGN(std::vector<v1::ComputedRating> history,
                       store().ListRatings(kHrPlan, a, true));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].reason(), "second");
  EXPECT_EQ(history[1].reason(), "first");
  EXPECT_TRUE(ProtoEquals(history[1], MakeRating(a, "C", "first")));
}

TEST_P(StoreConformance, RatingsAreAllOrNone) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  EXPECT_TRUE(HasError(store().RecordRatings({MakeRating(InitiativeName("a"), "A", "ok"),
                                              MakeRating(InitiativeName("gone"), "A", "no")}),
                       absl::StatusCode::kNotFound, "initiatives[1]", "gone"));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::ComputedRating> none,
                       store().ListRatings(kHrPlan, "", true));
  EXPECT_TRUE(none.empty());
  EXPECT_TRUE(HasError(store().ListRatings("organizations/city/plans/none", "", false),
                       absl::StatusCode::kNotFound, "plans/none"));
}

TEST_P(StoreConformance, RatingsGoWithTheirInitiative) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  ASSERT_OK(store().RecordRatings({MakeRating(InitiativeName("a"), "A", "ok")}));
  ASSERT_OK(store().DeleteInitiative(InitiativeName("a"), true, ""));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::ComputedRating> none,
                       store().ListRatings(kHrPlan, "", true));
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace torikumi::store::testing
