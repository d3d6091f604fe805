// Conformance: a rating recorded inside the write to its initiative (RatingAfterWrite).
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

constexpr absl::string_view kAbc = "organizations/city/ruleSets/abc";

// A rating of `initiative` whose check records what it was shown and answers `answer`.
struct Probe {
  bool called = false;
  PlanInputs seen;
  int32_t latest_version = -1;
};

RatingAfterWrite MakeRatingAfterWrite(absl::string_view initiative, Probe* probe, bool answer) {
  RatingAfterWrite after;
  after.rating.set_initiative(std::string(initiative));
  after.rating.set_grade("B");
  after.rating.set_rule_set(std::string(kAbc));
  after.rating.set_rule_set_version(2);
  after.rating.set_trigger("outcome");
  after.holds = [probe, answer](const PlanInputs& inputs, int32_t latest_version) {
    probe->called = true;
    probe->seen = inputs;
    probe->latest_version = latest_version;
    return answer;
  };
  return after;
}

// Gives initiative `a` an outcome of 2019, and the organization two versions of abc.
void AddOutcomeAndRuleSet(Store& store, const std::string& a) {
  ASSERT_OK(store.UpsertOutcome(MakeOutcome(a, 2019), "").status());
  CreateTwoRuleSetVersions(store, kAbc);
}

std::vector<v1::ComputedRating> History(Store& store, const std::string& initiative) {
  absl::StatusOr<ListResult<v1::ComputedRating>> history =
      store.ListRatings(kHrPlan, initiative, true, Page{.offset = 0, .limit = 1000});
  EXPECT_TRUE(history.ok()) << history.status();
  return history.ok() ? history->items : std::vector<v1::ComputedRating>();
}

TEST_P(StoreConformance, RatingAfterWriteIsRecordedInTheWritesTransaction) {
  CreateCityAndHrPlan();
  const std::string a = CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1)).name();
  AddOutcomeAndRuleSet(store(), a);
  ASSERT_OK_AND_ASSIGN(int64_t before, store().LastChange());
  Probe probe;
  RatingAfterWrite rating = MakeRatingAfterWrite(a, &probe, true);
  v1::Outcome outcome = MakeOutcome(a, 2020, "続けた");
  outcome.mutable_as_of()->set_year(2020);
  outcome.mutable_as_of()->set_month(8);
  ASSERT_OK(store().UpsertOutcome(outcome, "", &rating).status());

  EXPECT_TRUE(rating.recorded);
  ASSERT_TRUE(probe.called);
  // The check saw the inputs as the write left them, and the rule set's latest version.
  EXPECT_EQ(probe.seen.plan.name(), kHrPlan);
  ASSERT_EQ(probe.seen.initiatives.size(), 1u);
  EXPECT_EQ(probe.seen.initiatives[0].name(), a);
  ASSERT_EQ(probe.seen.outcomes.size(), 2u);
  EXPECT_EQ(probe.seen.outcomes[1].text(), "続けた");
  EXPECT_EQ(probe.seen.latest_as_of.month(), 8);
  EXPECT_EQ(probe.latest_version, 2);
  std::vector<v1::ComputedRating> history = History(store(), a);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_TRUE(ProtoEquals(history[0], rating.rating));

  // One commit: the outcome's change and the rating's follow each other.
  ChangeQuery query;
  query.organization = std::string(kCity);
  query.plan = std::string(kHrPlan);
  query.after = before;
  ASSERT_OK_AND_ASSIGN(ChangePage page, store().ListChanges(query));
  ASSERT_EQ(page.events.size(), 2u);
  EXPECT_EQ(page.events[0].kind(), v1::RESOURCE_KIND_OUTCOME);
  EXPECT_EQ(page.events[1].kind(), v1::RESOURCE_KIND_COMPUTED_RATING);
  EXPECT_TRUE(ProtoEquals(page.events[0].commit_time(), page.events[1].commit_time()));
}

TEST_P(StoreConformance, RatingAfterWriteIsLeftOutWhenItsInputsChanged) {
  CreateCityAndHrPlan();
  const std::string a = CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1)).name();
  AddOutcomeAndRuleSet(store(), a);
  Probe probe;
  RatingAfterWrite rating = MakeRatingAfterWrite(a, &probe, false);
  rating.recorded = true;  // the store says what happened, whatever the caller left there
  ASSERT_OK_AND_ASSIGN(UpsertResult written,
                       store().UpsertOutcome(MakeOutcome(a, 2021, "新しい"), "", &rating));
  EXPECT_TRUE(probe.called);
  EXPECT_FALSE(rating.recorded);
  EXPECT_TRUE(written.created);
  EXPECT_TRUE(History(store(), a).empty());
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> outcomes,
                       store().ListOutcomes(a, std::nullopt, Page{}));
  EXPECT_EQ(outcomes.total, 2);
}

TEST_P(StoreConformance, RatingAfterWriteIsNotRecordedByAFailedWrite) {
  CreateCityAndHrPlan();
  const std::string a = CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1)).name();
  AddOutcomeAndRuleSet(store(), a);
  Probe probe;
  RatingAfterWrite rating = MakeRatingAfterWrite(a, &probe, true);
  EXPECT_TRUE(HasError(store().UpsertOutcome(MakeOutcome(a, 2019, "古い"), "999", &rating),
                       absl::StatusCode::kAborted, "2019"));
  EXPECT_TRUE(History(store(), a).empty());
  EXPECT_TRUE(HasError(store().DeleteOutcome(MakeOutcome(a, 2022).name(), "", &rating),
                       absl::StatusCode::kNotFound, "2022"));
  EXPECT_TRUE(History(store(), a).empty());
}

TEST_P(StoreConformance, RatingAfterWriteOfDeletesAndUpdates) {
  CreateCityAndHrPlan();
  const std::string a = CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1)).name();
  AddOutcomeAndRuleSet(store(), a);
  Probe deleted_probe;
  RatingAfterWrite after_delete = MakeRatingAfterWrite(a, &deleted_probe, true);
  ASSERT_OK(store().DeleteOutcome(MakeOutcome(a, 2019).name(), "", &after_delete));
  EXPECT_TRUE(after_delete.recorded);
  EXPECT_TRUE(deleted_probe.seen.outcomes.empty()) << "the check sees the outcome gone";

  Probe updated_probe;
  RatingAfterWrite after_update = MakeRatingAfterWrite(a, &updated_probe, true);
  after_update.rating.set_grade("C");
  ASSERT_OK_AND_ASSIGN(v1::Initiative initiative, store().GetInitiative(a));
  initiative.set_title("研修の見直し");
  ASSERT_OK(store().UpdateInitiative(initiative, "", &after_update).status());
  EXPECT_TRUE(after_update.recorded);
  ASSERT_EQ(updated_probe.seen.initiatives.size(), 1u);
  EXPECT_EQ(updated_probe.seen.initiatives[0].title(), "研修の見直し");

  std::vector<v1::ComputedRating> history = History(store(), a);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].grade(), "C");
  EXPECT_EQ(history[1].grade(), "B");
}

TEST_P(StoreConformance, RatingAfterWriteSeesVersionZeroForAMissingRuleSet) {
  CreateCityAndHrPlan();
  const std::string a = CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1)).name();
  AddOutcomeAndRuleSet(store(), a);
  Probe probe;
  RatingAfterWrite rating = MakeRatingAfterWrite(a, &probe, true);
  rating.rating.set_rule_set("organizations/city/ruleSets/none");
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(a, 2020), "", &rating).status());
  EXPECT_EQ(probe.latest_version, 0);
}

TEST_P(StoreConformance, ARatingOnItsOwnIsRecordedOnlyWhileItHolds) {
  CreateCityAndHrPlan();
  const std::string a = CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1)).name();
  AddOutcomeAndRuleSet(store(), a);
  Probe stale_probe;
  RatingAfterWrite stale = MakeRatingAfterWrite(a, &stale_probe, false);
  ASSERT_OK_AND_ASSIGN(int64_t before, store().LastChange());
  ASSERT_OK(store().RecordRatingIfHolds(&stale));
  EXPECT_TRUE(stale_probe.called);
  EXPECT_FALSE(stale.recorded);
  EXPECT_TRUE(History(store(), a).empty());
  EXPECT_EQ(*store().LastChange(), before) << "a rating that does not hold writes nothing";

  Probe probe;
  RatingAfterWrite holding = MakeRatingAfterWrite(a, &probe, true);
  ASSERT_OK(store().RecordRatingIfHolds(&holding));
  EXPECT_TRUE(holding.recorded);
  ASSERT_EQ(probe.seen.initiatives.size(), 1u);
  EXPECT_EQ(probe.seen.initiatives[0].name(), a);
  EXPECT_EQ(probe.seen.outcomes.size(), 1u);
  EXPECT_EQ(probe.latest_version, 2);
  const std::vector<v1::ComputedRating> history = History(store(), a);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].grade(), "B");

  Probe gone_probe;
  RatingAfterWrite gone = MakeRatingAfterWrite(InitiativeName("gone"), &gone_probe, true);
  ASSERT_OK(store().RecordRatingIfHolds(&gone));
  EXPECT_FALSE(gone.recorded);
  EXPECT_FALSE(gone_probe.called);
}

}  // namespace
}  // namespace torikumi::store::testing
