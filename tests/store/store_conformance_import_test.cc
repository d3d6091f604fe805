// Conformance: ImportPlan — a plan with its initiatives and outcomes in one transaction:
// created whole, updated in place by area and number, all or none, re-list keys resolved.
#include <map>

#include "services/common/errors.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

constexpr absl::string_view kImported = "organizations/city/plans/imported";

InitiativeImport Item(absl::string_view area, int number, absl::string_view title,
                      absl::string_view new_id) {
  InitiativeImport item;
  item.initiative.set_area(std::string(area));
  item.initiative.set_number(number);
  item.initiative.set_title(std::string(title));
  item.initiative.set_kind(v1::INITIATIVE_KIND_CONTINUING);
  item.new_id = std::string(new_id);
  return item;
}

v1::Outcome YearOutcome(int fiscal_year, absl::string_view text) {
  v1::Outcome outcome;
  outcome.set_fiscal_year(fiscal_year);
  outcome.set_text(std::string(text));
  outcome.set_status(v1::OUTCOME_STATUS_IMPLEMENTED);
  return outcome;
}

// Three initiatives in two areas; 組織文化 1 re-lists 職員研修 2, which comes before it.
PlanImport ThreeInitiatives(absl::string_view plan_name) {
  PlanImport import;
  import.plan = MakePlan(plan_name, "人材育成推進プラン");
  InitiativeImport one = Item(kTraining, 1, "通信教育講座の支援", "t1");
  one.initiative.mutable_human_rating()->set_grade("A");
  one.outcomes.push_back(YearOutcome(2018, "支援人数 1人"));
  one.outcomes.push_back(YearOutcome(2019, "支援人数 0人"));
  InitiativeImport two = Item(kTraining, 2, "自主研修活動の支援", "t2");
  two.outcomes.push_back(YearOutcome(0, "期間を通じて実施"));
  InitiativeImport relist = Item(kCulture, 1, "自主研修活動の支援", "c1");
  relist.relists = {std::string(kTraining), 2};
  import.initiatives = {one, two, relist};
  return import;
}

// The initiatives of `plan` by area and number.
std::map<std::pair<std::string, int>, v1::Initiative> ByKey(Store& store, absl::string_view plan) {
  std::map<std::pair<std::string, int>, v1::Initiative> by_key;
  absl::StatusOr<ListResult<v1::Initiative>> listed =
      store.ListInitiatives(plan, v1::InitiativeFilter(), Page{0, 1000});
  EXPECT_TRUE(listed.ok()) << listed.status();
  if (!listed.ok()) return by_key;
  for (const v1::Initiative& item : listed->items) by_key[{item.area(), item.number()}] = item;
  return by_key;
}

int64_t OutcomeCount(Store& store, absl::string_view plan) {
  absl::StatusOr<ListResult<v1::Outcome>> listed =
      store.ListOutcomes(absl::StrCat(plan, "/initiatives/-"), std::nullopt, Page{0, 0});
  EXPECT_TRUE(listed.ok()) << listed.status();
  return listed.ok() ? listed->total : -1;
}

TEST_P(StoreConformance, ImportCreatesThePlanInitiativesOutcomesAndLinks) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  ASSERT_OK_AND_ASSIGN(ImportResult result, store().ImportPlan(ThreeInitiatives(kImported)));
  EXPECT_TRUE(result.plan_created);
  EXPECT_EQ(result.plan.name(), kImported);
  EXPECT_FALSE(result.plan.etag().empty());
  EXPECT_EQ(result.initiatives_created, 3);
  EXPECT_EQ(result.initiatives_updated, 0);
  EXPECT_EQ(result.outcomes_written, 3);
  ASSERT_EQ(result.initiative_names.size(), 3u);
  EXPECT_EQ(result.initiative_names[0], InitiativeName("t1", kImported));
  EXPECT_EQ(result.initiative_names[2], InitiativeName("c1", kImported));

  ASSERT_OK_AND_ASSIGN(v1::Plan plan, store().GetPlan(kImported));
  EXPECT_TRUE(ProtoEquals(result.plan, plan));
  ASSERT_OK_AND_ASSIGN(v1::Initiative relist, store().GetInitiative(result.initiative_names[2]));
  EXPECT_EQ(relist.relists(), result.initiative_names[1]);
  EXPECT_EQ(relist.area(), kCulture);
  ASSERT_OK_AND_ASSIGN(v1::Initiative first, store().GetInitiative(result.initiative_names[0]));
  EXPECT_EQ(first.human_rating().grade(), "A");
  EXPECT_TRUE(first.relists().empty());

  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> outcomes,
                       store().ListOutcomes(result.initiative_names[0], std::nullopt, Page{}));
  ASSERT_EQ(outcomes.items.size(), 2u);
  EXPECT_EQ(outcomes.items[0].name(), absl::StrCat(result.initiative_names[0], "/outcomes/fy2018"));
  EXPECT_EQ(outcomes.items[1].text(), "支援人数 0人");
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> period,
                       store().ListOutcomes(result.initiative_names[1], std::nullopt, Page{}));
  ASSERT_EQ(period.items.size(), 1u);
  EXPECT_EQ(period.items[0].name(), absl::StrCat(result.initiative_names[1], "/outcomes/period"));
}

TEST_P(StoreConformance, ImportUpdatesInPlaceByAreaAndNumber) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  ASSERT_OK_AND_ASSIGN(ImportResult first, store().ImportPlan(ThreeInitiatives(kImported)));
  ASSERT_OK_AND_ASSIGN(v1::Initiative before, store().GetInitiative(first.initiative_names[0]));
  // An initiative the second import does not mention, added by hand in between.
  v1::Initiative by_hand = MakeInitiative("by-hand", kEnvironment, 7, "手で追加", kImported);
  ASSERT_OK(store().CreateInitiative(by_hand, "").status());

  PlanImport again = ThreeInitiatives(kImported);
  again.create_plan = false;
  again.plan.set_title("人材育成推進プラン（改定）");
  // New ids are offered for every item but only used for initiatives the plan does not have.
  for (InitiativeImport& item : again.initiatives) item.new_id += "-second";
  again.initiatives[0].initiative.set_title("通信教育講座の支援（拡充）");
  again.initiatives[0].initiative.mutable_human_rating()->set_grade("B");
  again.initiatives[0].outcomes = {YearOutcome(2019, "支援人数 2人"),
                                   YearOutcome(2020, "支援人数 4人")};
  again.initiatives[2].relists = {};  // the link is dropped
  again.initiatives.push_back(Item(kEnvironment, 1, "新しい取組", "e1"));
  again.initiatives.back().relists = {std::string(kEnvironment), 7};  // the hand-made one

  ASSERT_OK_AND_ASSIGN(ImportResult second, store().ImportPlan(again));
  EXPECT_FALSE(second.plan_created);
  EXPECT_EQ(second.initiatives_created, 1);
  EXPECT_EQ(second.initiatives_updated, 3);
  EXPECT_EQ(second.outcomes_written, 3);
  EXPECT_EQ(second.initiative_names[0], first.initiative_names[0]);
  EXPECT_EQ(second.initiative_names[2], first.initiative_names[2]);
  EXPECT_EQ(second.initiative_names[3], InitiativeName("e1", kImported));
  EXPECT_EQ(second.plan.title(), "人材育成推進プラン（改定）");
  EXPECT_TRUE(ProtoEquals(second.plan.create_time(), first.plan.create_time()));
  EXPECT_NE(second.plan.etag(), first.plan.etag());

  auto by_key = ByKey(store(), kImported);
  EXPECT_EQ(by_key.size(), 5u);  // 3 updated + 1 new + the hand-made one, nothing twice
  const std::string training(kTraining), culture(kCulture), environment(kEnvironment);
  const v1::Initiative& updated = by_key[std::make_pair(training, 1)];
  EXPECT_EQ(updated.name(), before.name());
  EXPECT_EQ(updated.title(), "通信教育講座の支援（拡充）");
  EXPECT_EQ(updated.human_rating().grade(), "B");
  EXPECT_TRUE(ProtoEquals(updated.create_time(), before.create_time()));
  EXPECT_NE(updated.etag(), before.etag());
  EXPECT_TRUE(by_key[std::make_pair(culture, 1)].relists().empty());
  EXPECT_EQ(by_key[std::make_pair(environment, 1)].relists(), InitiativeName("by-hand", kImported));
  EXPECT_EQ(by_key[std::make_pair(environment, 7)].title(), "手で追加");

  // fy2018 stays (the import does not mention it), fy2019 is replaced, fy2020 is new.
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> outcomes,
                       store().ListOutcomes(before.name(), std::nullopt, Page{}));
  ASSERT_EQ(outcomes.items.size(), 3u);
  EXPECT_EQ(outcomes.items[0].text(), "支援人数 1人");
  EXPECT_EQ(outcomes.items[1].text(), "支援人数 2人");
  EXPECT_EQ(outcomes.items[2].text(), "支援人数 4人");
  EXPECT_EQ(OutcomeCount(store(), kImported), 4);  // 3 of t1, the period outcome of t2
}

TEST_P(StoreConformance, ImportIsAllOrNone) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  // A new plan whose last item has a malformed outcome text: nothing at all is written.
  PlanImport bad = ThreeInitiatives(kImported);
  bad.initiatives[2].outcomes.push_back(YearOutcome(2019, std::string("\xff\xfe", 2)));
  absl::StatusOr<ImportResult> failed = store().ImportPlan(bad);
  EXPECT_TRUE(HasError(failed, absl::StatusCode::kInvalidArgument, "initiatives[2]"));
  EXPECT_TRUE(HasError(store().GetPlan(kImported), absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Plan> plans, store().ListPlans(kCity, "", Page{}));
  EXPECT_EQ(plans.total, 0);

  // An existing plan: a failing second import leaves plan, initiatives and outcomes as they were.
  ASSERT_OK_AND_ASSIGN(ImportResult first, store().ImportPlan(ThreeInitiatives(kImported)));
  ASSERT_OK_AND_ASSIGN(v1::Initiative before, store().GetInitiative(first.initiative_names[0]));
  PlanImport again = ThreeInitiatives(kImported);
  again.create_plan = false;
  again.plan.set_title("変更されないはず");
  again.initiatives[0].initiative.set_title("変更されないはず");
  again.initiatives.push_back(Item(kEnvironment, 1, "新しい取組", "e1"));
  again.initiatives.back().relists = {std::string(kEnvironment), 99};  // no such initiative
  EXPECT_TRUE(HasError(store().ImportPlan(again), absl::StatusCode::kNotFound, "initiatives[3]",
                       "number 99"));
  ASSERT_OK_AND_ASSIGN(v1::Plan plan, store().GetPlan(kImported));
  EXPECT_TRUE(ProtoEquals(first.plan, plan));
  ASSERT_OK_AND_ASSIGN(v1::Initiative after, store().GetInitiative(first.initiative_names[0]));
  EXPECT_TRUE(ProtoEquals(before, after));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> listed,
                       store().ListInitiatives(kImported, v1::InitiativeFilter(), Page{}));
  EXPECT_EQ(listed.total, 3);
}

TEST_P(StoreConformance, ImportChecksThePlanAndTheItems) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  // Updating a plan that does not exist, creating one that does, a stale etag.
  PlanImport update = ThreeInitiatives(kImported);
  update.create_plan = false;
  EXPECT_TRUE(HasError(store().ImportPlan(update), absl::StatusCode::kNotFound, kImported));
  PlanImport orphan = ThreeInitiatives("organizations/nowhere/plans/p");
  EXPECT_TRUE(
      HasError(store().ImportPlan(orphan), absl::StatusCode::kNotFound, "organizations/nowhere"));
  ASSERT_OK_AND_ASSIGN(ImportResult first, store().ImportPlan(ThreeInitiatives(kImported)));
  EXPECT_TRUE(HasError(store().ImportPlan(ThreeInitiatives(kImported)),
                       absl::StatusCode::kAlreadyExists, kImported));
  update.expected_plan_etag = "\"v0\"";
  EXPECT_TRUE(HasError(store().ImportPlan(update), absl::StatusCode::kAborted, "\"v0\""));
  update.expected_plan_etag = first.plan.etag();
  ASSERT_OK(store().ImportPlan(update).status());

  // The same area and number twice, a re-list of itself, a fiscal year twice.
  PlanImport twice = ThreeInitiatives(kImported);
  twice.create_plan = false;
  twice.initiatives.push_back(Item(kTraining, 1, "重複", "dup"));
  absl::StatusOr<ImportResult> duplicate = store().ImportPlan(twice);
  ASSERT_TRUE(
      HasError(duplicate, absl::StatusCode::kInvalidArgument, "number 1", "initiatives[0]"));
  ASSERT_EQ(FieldViolationsOf(duplicate.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(duplicate.status())[0].field(), "initiatives[3].number");

  PlanImport self = ThreeInitiatives(kImported);
  self.create_plan = false;
  self.initiatives[2].relists = {std::string(kCulture), 1};
  EXPECT_TRUE(HasError(store().ImportPlan(self), absl::StatusCode::kInvalidArgument, "itself"));

  PlanImport years = ThreeInitiatives(kImported);
  years.create_plan = false;
  years.initiatives[0].outcomes.push_back(YearOutcome(2018, "二度目"));
  EXPECT_TRUE(HasError(store().ImportPlan(years), absl::StatusCode::kInvalidArgument, "2018"));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> listed,
                       store().ListInitiatives(kImported, v1::InitiativeFilter(), Page{}));
  EXPECT_EQ(listed.total, 3);
}

TEST_P(StoreConformance, ImportNewIdTakenByAnotherInitiativeFailsWhole) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("t9", kTraining, 9));
  PlanImport import;
  import.plan = MakePlan(kHrPlan);
  import.create_plan = false;
  import.initiatives = {Item(kTraining, 1, "一", "t1"), Item(kTraining, 2, "二", "t9")};
  EXPECT_TRUE(HasError(store().ImportPlan(import), absl::StatusCode::kAlreadyExists,
                       "initiatives[1]", InitiativeName("t9")));
  EXPECT_EQ(ListedInitiatives(v1::InitiativeFilter()),
            (std::vector<std::string>{InitiativeName("t9")}));
}

}  // namespace
}  // namespace torikumi::store::testing
