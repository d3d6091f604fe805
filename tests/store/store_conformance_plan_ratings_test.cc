// Conformance: a whole-plan evaluation's ratings recorded where they still hold
// (RecordPlanRatingsWhereHold): only the initiatives changed after the evaluation's snapshot
// are read again and checked, and a rating that does not hold is left out.
#include <set>

#include "absl/strings/match.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

constexpr absl::string_view kAbc = "organizations/city/ruleSets/abc";

// What the check was shown, and which initiatives' ratings it says do not hold.
struct Check {
  int calls = 0;
  std::set<std::string> checked;
  PlanInputs now;
  int32_t latest_version = -1;
  std::set<std::string> refuse;
};

PlanRatings MakePlanRatings(const std::vector<std::string>& initiatives, int64_t after,
                            Check* check) {
  PlanRatings ratings;
  ratings.plan = std::string(kHrPlan);
  ratings.after_change = after;
  for (const std::string& initiative : initiatives) {
    v1::ComputedRating& rating = ratings.ratings.emplace_back();
    rating.set_initiative(initiative);
    rating.set_grade("A");
    rating.set_rule_set(std::string(kAbc));
    rating.set_rule_set_version(2);
    rating.set_trigger("evaluate");
  }
  ratings.holds = [check, initiatives](const std::set<std::string>& checked, const PlanInputs& now,
                                       int32_t latest_version) {
    ++check->calls;
    check->checked = checked;
    check->now = now;
    check->latest_version = latest_version;
    std::vector<bool> holds;
    for (const std::string& initiative : initiatives)
      holds.push_back(!check->refuse.contains(initiative));
    return holds;
  };
  return ratings;
}

size_t HistorySize(Store& store, const std::string& initiative) {
  absl::StatusOr<ListResult<v1::ComputedRating>> history =
      store.ListRatings(kHrPlan, initiative, true, Page{.offset = 0, .limit = 1000});
  EXPECT_TRUE(history.ok()) << history.status();
  return history.ok() ? history->items.size() : 0;
}

TEST_P(StoreConformance, ASnapshotCarriesTheChangeFeedsNewestSequence) {
  CreateCityAndHrPlan();
  const std::string a = CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1)).name();
  ASSERT_OK_AND_ASSIGN(PlanInputs inputs, store().ReadPlanInputs(kHrPlan, ""));
  ASSERT_OK_AND_ASSIGN(int64_t last, store().LastChange());
  EXPECT_GT(inputs.last_change, 0);
  EXPECT_EQ(inputs.last_change, last);
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(a, 2019), "").status());
  ASSERT_OK_AND_ASSIGN(PlanInputs one, store().ReadPlanInputs(kHrPlan, a));
  EXPECT_GT(one.last_change, inputs.last_change);
}

TEST_P(StoreConformance, PlanRatingsWithNothingChangedAreAllRecordedUnread) {
  CreateCityAndHrPlan();
  const std::string a = CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1)).name();
  const std::string b = CreateInitiativeOrDie(MakeInitiative("b", kTraining, 2)).name();
  CreateTwoRuleSetVersions(store(), kAbc);
  ASSERT_OK_AND_ASSIGN(PlanInputs snapshot, store().ReadPlanInputs(kHrPlan, ""));
  // A rating recorded meanwhile changes no inputs.
  v1::ComputedRating other;
  other.set_initiative(a);
  other.set_grade("C");
  ASSERT_OK(store().RecordRatings({other}));

  Check check;
  PlanRatings ratings = MakePlanRatings({a, b}, snapshot.last_change, &check);
  ASSERT_OK(store().RecordPlanRatingsWhereHold(&ratings));
  EXPECT_EQ(ratings.recorded, std::vector<bool>({true, true}));
  EXPECT_EQ(check.calls, 1);
  EXPECT_TRUE(check.checked.empty());
  EXPECT_TRUE(check.now.initiatives.empty()) << "nothing is read again";
  EXPECT_EQ(check.latest_version, 2);
  EXPECT_EQ(HistorySize(store(), a), 2u);
  EXPECT_EQ(HistorySize(store(), b), 1u);
}

TEST_P(StoreConformance, PlanRatingsOfInitiativesWrittenSinceTheSnapshotAreChecked) {
  CreateCityAndHrPlan();
  const std::string a = CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1)).name();
  const std::string b = CreateInitiativeOrDie(MakeInitiative("b", kTraining, 2)).name();
  const std::string c = CreateInitiativeOrDie(MakeInitiative("c", kTraining, 3)).name();
  const std::string d = CreateInitiativeOrDie(MakeInitiative("d", kTraining, 4)).name();
  CreateTwoRuleSetVersions(store(), kAbc);
  ASSERT_OK_AND_ASSIGN(PlanInputs snapshot, store().ReadPlanInputs(kHrPlan, ""));
  // After the snapshot: b gets an outcome, c gets one and is deleted with it, d is updated.
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(b, 2019, "研修 3回"), "").status());
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(c, 2019), "").status());
  ASSERT_OK(store().DeleteInitiative(c, true, ""));
  ASSERT_OK_AND_ASSIGN(v1::Initiative stored_d, store().GetInitiative(d));
  stored_d.set_title("新しい題");
  ASSERT_OK(store().UpdateInitiative(stored_d, "").status());

  Check check;
  check.refuse = {c, d};
  PlanRatings ratings = MakePlanRatings({a, b, c, d}, snapshot.last_change, &check);
  ASSERT_OK(store().RecordPlanRatingsWhereHold(&ratings));
  EXPECT_EQ(check.checked, (std::set<std::string>{b, c, d}));
  // The check sees the changed initiatives as they are now; the deleted one is absent.
  EXPECT_EQ(check.now.plan.name(), kHrPlan);
  EXPECT_EQ(Names(check.now.initiatives), (std::vector<std::string>{b, d}));
  ASSERT_EQ(check.now.outcomes.size(), 1u);
  EXPECT_EQ(check.now.outcomes[0].text(), "研修 3回");
  EXPECT_EQ(check.now.initiatives[1].title(), "新しい題");
  EXPECT_EQ(ratings.recorded, std::vector<bool>({true, true, false, false}));
  EXPECT_EQ(HistorySize(store(), a), 1u);
  EXPECT_EQ(HistorySize(store(), b), 1u);
  EXPECT_EQ(HistorySize(store(), d), 0u);
}

TEST_P(StoreConformance, PlanRatingsAreAllCheckedWhenThePlanChangedSinceTheSnapshot) {
  CreateCityAndHrPlan();
  const std::string a = CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1)).name();
  const std::string b = CreateInitiativeOrDie(MakeInitiative("b", kTraining, 2)).name();
  CreateTwoRuleSetVersions(store(), kAbc);
  ASSERT_OK_AND_ASSIGN(PlanInputs snapshot, store().ReadPlanInputs(kHrPlan, ""));
  ASSERT_OK_AND_ASSIGN(v1::Plan plan, store().GetPlan(kHrPlan));
  plan.set_title("改めた計画");
  ASSERT_OK(store().UpdatePlan(plan, "").status());

  Check check;
  check.refuse = {a, b};
  PlanRatings ratings = MakePlanRatings({a, b}, snapshot.last_change, &check);
  ASSERT_OK_AND_ASSIGN(int64_t before, store().LastChange());
  ASSERT_OK(store().RecordPlanRatingsWhereHold(&ratings));
  EXPECT_EQ(check.checked, (std::set<std::string>{a, b}));
  EXPECT_EQ(Names(check.now.initiatives), (std::vector<std::string>{a, b}));
  EXPECT_EQ(check.now.plan.title(), "改めた計画");
  EXPECT_EQ(ratings.recorded, std::vector<bool>({false, false}));
  EXPECT_EQ(*store().LastChange(), before) << "ratings that do not hold write nothing";
}

TEST_P(StoreConformance, PlanRatingsOfAnotherPlansInitiativeAreRefused) {
  CreateCityAndHrPlan();
  const std::string a = CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1)).name();
  ASSERT_OK_AND_ASSIGN(PlanInputs snapshot, store().ReadPlanInputs(kHrPlan, ""));
  Check check;
  PlanRatings ratings = MakePlanRatings({a, InitiativeName("x", "organizations/city/plans/other")},
                                        snapshot.last_change, &check);
  absl::Status status = store().RecordPlanRatingsWhereHold(&ratings);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "ratings[1].initiative")) << status;
  EXPECT_EQ(ratings.recorded, std::vector<bool>({false, false}));
  EXPECT_EQ(HistorySize(store(), a), 0u);
}

}  // namespace
}  // namespace torikumi::store::testing
