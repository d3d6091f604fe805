// Conformance: outcomes — upsert, list (per initiative and per plan) and delete.
#include "services/common/errors.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

TEST_P(StoreConformance, OutcomeUpsertCreatesThenReplaces) {
  CreateCityAndHrPlan();
  v1::Initiative initiative = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  v1::Outcome input = MakeOutcome(initiative.name(), 2019, "468人が受講");
  input.set_etag("\"mine\"");
  ASSERT_OK_AND_ASSIGN(UpsertResult first, store().UpsertOutcome(input, ""));
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.outcome.text(), "468人が受講");
  EXPECT_NE(first.outcome.etag(), "\"mine\"");
  EXPECT_TRUE(first.outcome.has_update_time());

  v1::Outcome change = first.outcome;
  change.set_text("500人が受講");
  ASSERT_OK_AND_ASSIGN(UpsertResult second, store().UpsertOutcome(change, first.outcome.etag()));
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.outcome.text(), "500人が受講");
  EXPECT_NE(second.outcome.etag(), first.outcome.etag());

  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> listed,
                       store().ListOutcomes(initiative.name(), std::nullopt, Page{}));
  ASSERT_EQ(listed.items.size(), 1u);
  EXPECT_TRUE(ProtoEquals(second.outcome, listed.items[0]));
  // Replacing the outcome leaves the initiative alone.
  ASSERT_OK_AND_ASSIGN(v1::Initiative after, store().GetInitiative(initiative.name()));
  EXPECT_EQ(after.etag(), initiative.etag());
}

TEST_P(StoreConformance, OutcomeUpsertWithStaleOrUnexpectedEtagIsAborted) {
  CreateCityAndHrPlan();
  v1::Initiative initiative = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  v1::Outcome outcome = MakeOutcome(initiative.name(), 2019);
  // An etag for an outcome that does not exist: someone deleted it since it was read.
  EXPECT_TRUE(HasError(store().UpsertOutcome(outcome, "\"v1\""), absl::StatusCode::kAborted,
                       outcome.name()));
  ASSERT_OK_AND_ASSIGN(UpsertResult first, store().UpsertOutcome(outcome, ""));
  ASSERT_OK_AND_ASSIGN(UpsertResult second, store().UpsertOutcome(outcome, ""));
  outcome.set_text("lost update");
  EXPECT_TRUE(HasError(store().UpsertOutcome(outcome, first.outcome.etag()),
                       absl::StatusCode::kAborted, first.outcome.etag(), second.outcome.etag()));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> listed,
                       store().ListOutcomes(initiative.name(), 2019, Page{}));
  ASSERT_EQ(listed.items.size(), 1u);
  EXPECT_NE(listed.items[0].text(), "lost update");
}

TEST_P(StoreConformance, OutcomeUpsertNeedsItsInitiativeAndAMatchingYear) {
  CreateCityAndHrPlan();
  EXPECT_TRUE(HasError(store().UpsertOutcome(MakeOutcome(InitiativeName("none"), 2019), ""),
                       absl::StatusCode::kNotFound, InitiativeName("none")));
  v1::Initiative initiative = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  v1::Outcome mismatch = MakeOutcome(initiative.name(), 2019);
  mismatch.set_fiscal_year(2020);
  absl::StatusOr<UpsertResult> result = store().UpsertOutcome(mismatch, "");
  ASSERT_TRUE(HasError(result, absl::StatusCode::kInvalidArgument, "2020", "2019"));
  auto violations = FieldViolationsOf(result.status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "outcome.fiscal_year");
}

TEST_P(StoreConformance, OutcomeListOfAnInitiativeIsByYearWithThePeriodFirst) {
  CreateCityAndHrPlan();
  v1::Initiative initiative = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  for (int year : {2021, 2019, 0, 2020}) {
    ASSERT_OK(store().UpsertOutcome(MakeOutcome(initiative.name(), year), "").status());
  }
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> all,
                       store().ListOutcomes(initiative.name(), std::nullopt, Page{}));
  EXPECT_EQ(all.total, 4);
  std::vector<int> years;
  for (const v1::Outcome& outcome : all.items) years.push_back(outcome.fiscal_year());
  EXPECT_EQ(years, (std::vector<int>{0, 2019, 2020, 2021}));

  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> one,
                       store().ListOutcomes(initiative.name(), 2020, Page{}));
  ASSERT_EQ(one.items.size(), 1u);
  EXPECT_EQ(one.items[0].name(), absl::StrCat(initiative.name(), "/outcomes/fy2020"));

  // Year 0 is a year like the others: the whole-period outcome alone.
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> period,
                       store().ListOutcomes(initiative.name(), 0, Page{}));
  ASSERT_EQ(period.items.size(), 1u);
  EXPECT_EQ(period.total, 1);
  EXPECT_EQ(period.items[0].name(), absl::StrCat(initiative.name(), "/outcomes/period"));

  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> page,
                       store().ListOutcomes(initiative.name(), std::nullopt, Page{1, 2}));
  EXPECT_EQ(page.total, 4);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].fiscal_year(), 2019);
  EXPECT_EQ(page.items[1].fiscal_year(), 2020);
}

TEST_P(StoreConformance, OutcomeListOfWholePlanFollowsTheInitiativeOrder) {
  CreateCityAndHrPlan();
  // Created in an order unlike the listing order.
  CreateInitiativeOrDie(MakeInitiative("e1", kEnvironment, 1));
  CreateInitiativeOrDie(MakeInitiative("t2", kTraining, 2));
  CreateInitiativeOrDie(MakeInitiative("t1", kTraining, 1));
  const std::string reform = "organizations/city/plans/reform";
  ASSERT_OK(store().CreatePlan(MakePlan(reform), "").status());
  CreateInitiativeOrDie(MakeInitiative("other", kTraining, 1, "x", reform));
  for (const char* id : {"e1", "t2", "t1"}) {
    for (int year : {2020, 2019}) {
      ASSERT_OK(store().UpsertOutcome(MakeOutcome(InitiativeName(id), year), "").status());
    }
  }
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(InitiativeName("other", reform), 2019), "").status());

  const std::string every = absl::StrCat(kHrPlan, "/initiatives/-");
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> all,
                       store().ListOutcomes(every, std::nullopt, Page{}));
  EXPECT_EQ(all.total, 6);
  EXPECT_EQ(Names(all.items), (std::vector<std::string>{
                                  absl::StrCat(InitiativeName("t1"), "/outcomes/fy2019"),
                                  absl::StrCat(InitiativeName("t1"), "/outcomes/fy2020"),
                                  absl::StrCat(InitiativeName("t2"), "/outcomes/fy2019"),
                                  absl::StrCat(InitiativeName("t2"), "/outcomes/fy2020"),
                                  absl::StrCat(InitiativeName("e1"), "/outcomes/fy2019"),
                                  absl::StrCat(InitiativeName("e1"), "/outcomes/fy2020"),
                              }));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> fy2020,
                       store().ListOutcomes(every, 2020, Page{0, 2}));
  EXPECT_EQ(fy2020.total, 3);
  EXPECT_EQ(Names(fy2020.items),
            (std::vector<std::string>{absl::StrCat(InitiativeName("t1"), "/outcomes/fy2020"),
                                      absl::StrCat(InitiativeName("t2"), "/outcomes/fy2020")}));
}

TEST_P(StoreConformance, OutcomeListOfMissingParentIsNotFound) {
  CreateCityAndHrPlan();
  EXPECT_TRUE(HasError(store().ListOutcomes(InitiativeName("none"), std::nullopt, Page{}),
                       absl::StatusCode::kNotFound, InitiativeName("none")));
  EXPECT_TRUE(HasError(
      store().ListOutcomes("organizations/city/plans/none/initiatives/-", std::nullopt, Page{}),
      absl::StatusCode::kNotFound, "organizations/city/plans/none"));
  EXPECT_TRUE(HasError(store().ListOutcomes(kHrPlan, std::nullopt, Page{}),
                       absl::StatusCode::kInvalidArgument));
}

TEST_P(StoreConformance, OutcomeDelete) {
  CreateCityAndHrPlan();
  v1::Initiative initiative = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  ASSERT_OK_AND_ASSIGN(UpsertResult upserted,
                       store().UpsertOutcome(MakeOutcome(initiative.name(), 0), ""));
  const std::string name = upserted.outcome.name();
  EXPECT_TRUE(HasError(store().DeleteOutcome(name, "\"stale\""), absl::StatusCode::kAborted,
                       "\"stale\"", upserted.outcome.etag()));
  ASSERT_OK(store().DeleteOutcome(name, upserted.outcome.etag()));
  EXPECT_TRUE(HasError(store().DeleteOutcome(name, ""), absl::StatusCode::kNotFound, name));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> listed,
                       store().ListOutcomes(initiative.name(), std::nullopt, Page{}));
  EXPECT_EQ(listed.total, 0);
  // The initiative no longer has outcomes, so it deletes without force.
  ASSERT_OK(store().DeleteInitiative(initiative.name(), false, ""));
}

TEST_P(StoreConformance, OutcomeTextIsSearchableAfterReplace) {
  CreateCityAndHrPlan();
  v1::Initiative initiative = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1, "題"));
  ASSERT_OK(
      store().UpsertOutcome(MakeOutcome(initiative.name(), 2019, "eラーニング導入"), "").status());
  v1::InitiativeFilter filter;
  filter.set_text_contains("eラーニング");
  EXPECT_EQ(ListedInitiatives(filter), std::vector<std::string>{initiative.name()});
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(initiative.name(), 2019, "集合研修"), "").status());
  EXPECT_EQ(ListedInitiatives(filter), std::vector<std::string>{});
}

}  // namespace
}  // namespace torikumi::store::testing
