// Conformance: ReadPlanInputs, what the ratings of a plan are computed from.
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

v1::Outcome WithAsOf(v1::Outcome outcome, int year, int month, int day) {
  outcome.mutable_as_of()->set_year(year);
  outcome.mutable_as_of()->set_month(month);
  outcome.mutable_as_of()->set_day(day);
  return outcome;
}

TEST_P(StoreConformance, PlanInputsHoldThePlanInListOrder) {
  CreateCityAndHrPlan();
  // Created out of order: the inputs come in area order, then number.
  CreateInitiativeOrDie(MakeInitiative("c", kCulture, 1));
  CreateInitiativeOrDie(MakeInitiative("t2", kTraining, 2));
  CreateInitiativeOrDie(MakeInitiative("t1", kTraining, 1));
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(InitiativeName("c"), 2019), "").status());
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(InitiativeName("t1"), 2020), "").status());
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(InitiativeName("t1"), 0), "").status());

  ASSERT_OK_AND_ASSIGN(PlanInputs inputs, store().ReadPlanInputs(kHrPlan, ""));
  EXPECT_EQ(inputs.plan.name(), kHrPlan);
  EXPECT_EQ(
      Names(inputs.initiatives),
      (std::vector<std::string>{InitiativeName("t1"), InitiativeName("t2"), InitiativeName("c")}));
  EXPECT_EQ(Names(inputs.outcomes),
            (std::vector<std::string>{InitiativeName("t1") + "/outcomes/period",
                                      InitiativeName("t1") + "/outcomes/fy2020",
                                      InitiativeName("c") + "/outcomes/fy2019"}));
  EXPECT_EQ(inputs.latest_as_of.year(), 0) << "no outcome carries an as-of date";
  // What ListOutcomes returns, field for field.
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> listed,
                       store().ListOutcomes(InitiativeName("-"), std::nullopt, Page{0, 100}));
  ASSERT_EQ(listed.items.size(), inputs.outcomes.size());
  for (size_t i = 0; i < listed.items.size(); ++i)
    EXPECT_TRUE(ProtoEquals(listed.items[i], inputs.outcomes[i]));
}

TEST_P(StoreConformance, PlanInputsOfOneInitiativeKeepThePlansLatestAsOf) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  CreateInitiativeOrDie(MakeInitiative("b", kTraining, 2));
  ASSERT_OK(store()
                .UpsertOutcome(WithAsOf(MakeOutcome(InitiativeName("a"), 2022), 2022, 8, 31), "")
                .status());
  ASSERT_OK(store()
                .UpsertOutcome(WithAsOf(MakeOutcome(InitiativeName("a"), 2021), 2021, 3, 31), "")
                .status());
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(InitiativeName("b"), 2019), "").status());

  ASSERT_OK_AND_ASSIGN(PlanInputs inputs, store().ReadPlanInputs(kHrPlan, InitiativeName("b")));
  EXPECT_EQ(Names(inputs.initiatives), std::vector<std::string>{InitiativeName("b")});
  EXPECT_EQ(Names(inputs.outcomes),
            std::vector<std::string>{InitiativeName("b") + "/outcomes/fy2019"});
  // The latest of the whole plan, though b's own outcome has none.
  EXPECT_EQ(inputs.latest_as_of.year(), 2022);
  EXPECT_EQ(inputs.latest_as_of.month(), 8);
  EXPECT_EQ(inputs.latest_as_of.day(), 31);

  // Replacing the outcome that carried it moves the latest back.
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(InitiativeName("a"), 2022), "").status());
  ASSERT_OK_AND_ASSIGN(inputs, store().ReadPlanInputs(kHrPlan, ""));
  EXPECT_EQ(inputs.latest_as_of.year(), 2021);
  EXPECT_EQ(inputs.latest_as_of.month(), 3);
}

TEST_P(StoreConformance, PlanInputsOfWhatIsNotThereAreNotFound) {
  CreateCityAndHrPlan();
  EXPECT_TRUE(HasError(store().ReadPlanInputs("organizations/city/plans/none", ""),
                       absl::StatusCode::kNotFound, "plans/none"));
  EXPECT_TRUE(HasError(store().ReadPlanInputs(kHrPlan, InitiativeName("gone")),
                       absl::StatusCode::kNotFound, "gone"));
  EXPECT_TRUE(
      HasError(store().ReadPlanInputs("plans/x", ""), absl::StatusCode::kInvalidArgument, "plan"));
  ASSERT_OK_AND_ASSIGN(PlanInputs empty, store().ReadPlanInputs(kHrPlan, ""));
  EXPECT_TRUE(empty.initiatives.empty());
  EXPECT_TRUE(empty.outcomes.empty());
}

}  // namespace
}  // namespace torikumi::store::testing
