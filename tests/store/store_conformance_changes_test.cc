// The change feed and webhook subscriptions at the storage boundary: every write records its
// changes in its own transaction, in order, and a failed write records none.
#include <atomic>

#include "absl/strings/str_cat.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

struct Seen {
  v1::ChangeType type;
  v1::ResourceKind kind;
  std::string name;
  bool operator==(const Seen&) const = default;
};

void PrintTo(const Seen& seen, std::ostream* os) {
  *os << v1::ChangeType_Name(seen.type) << " " << v1::ResourceKind_Name(seen.kind) << " "
      << seen.name;
}

std::vector<Seen> Summaries(const ChangePage& page) {
  std::vector<Seen> seen;
  for (const v1::ChangeEvent& event : page.events) {
    seen.push_back({event.type(), event.kind(), event.name()});
  }
  return seen;
}

ChangeQuery PlanQuery(int64_t after) {
  return ChangeQuery{
      .organization = std::string(kCity), .plan = std::string(kHrPlan), .after = after};
}

TEST_P(StoreConformance, EveryWriteRecordsItsChangeInOrder) {
  ASSERT_OK((store().CreateOrganization(MakeOrganization(kCity), "")).status());
  absl::StatusOr<int64_t> start = store().LastChange();
  ASSERT_OK((start).status());
  ASSERT_OK((store().CreatePlan(MakePlan(kHrPlan), "")).status());
  v1::Initiative initiative = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  initiative.mutable_human_rating()->set_grade("A");
  ASSERT_OK((store().UpdateInitiative(initiative, "")).status());
  ASSERT_OK((store().UpsertOutcome(MakeOutcome(initiative.name(), 2019), "")).status());
  v1::ComputedRating rating;
  rating.set_initiative(initiative.name());
  rating.set_grade("B");
  ASSERT_OK(store().RecordRatings({rating}));
  ASSERT_OK(store().DeleteOutcome(MakeOutcome(initiative.name(), 2019).name(), ""));

  absl::StatusOr<ChangePage> page = store().ListChanges(PlanQuery(*start));
  ASSERT_OK((page).status());
  const std::string outcome = MakeOutcome(initiative.name(), 2019).name();
  EXPECT_EQ(Summaries(*page),
            (std::vector<Seen>{
                {v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_PLAN, std::string(kHrPlan)},
                {v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_INITIATIVE, initiative.name()},
                {v1::CHANGE_TYPE_UPDATED, v1::RESOURCE_KIND_INITIATIVE, initiative.name()},
                {v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_HUMAN_RATING, initiative.name()},
                {v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_OUTCOME, outcome},
                {v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_COMPUTED_RATING, initiative.name()},
                {v1::CHANGE_TYPE_DELETED, v1::RESOURCE_KIND_OUTCOME, outcome},
            }));
  EXPECT_EQ(page->events[3].human_rating().grade(), "A");
  EXPECT_EQ(page->events[5].computed_rating().grade(), "B");
  EXPECT_FALSE(page->events[6].has_outcome());
  EXPECT_FALSE(page->full);
  EXPECT_EQ(page->next, *store().LastChange());
}

// Each event carries the resource as its own change wrote it, also once the resource was
// written again, its old rating pruned from the history, or the whole deleted with its parent.
TEST_P(StoreConformance, EachEventCarriesTheRevisionItsChangeWrote) {
  CreateCityAndHrPlan();
  ASSERT_OK_AND_ASSIGN(int64_t start, store().LastChange());
  const v1::Initiative created = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  v1::Initiative edit = created;
  edit.set_title("改めた題名");
  ASSERT_OK_AND_ASSIGN(v1::Initiative updated, store().UpdateInitiative(edit, ""));
  v1::Outcome outcome = MakeOutcome(created.name(), 2019);
  ASSERT_OK_AND_ASSIGN(UpsertResult first, store().UpsertOutcome(outcome, ""));
  outcome.set_text("書き直した実績（２回目）");
  ASSERT_OK_AND_ASSIGN(UpsertResult second, store().UpsertOutcome(outcome, ""));
  v1::ComputedRating old_rating;
  old_rating.set_initiative(created.name());
  old_rating.set_grade("C");
  ASSERT_OK(store().RecordRatings({old_rating}));
  v1::ComputedRating new_rating = old_rating;
  new_rating.set_grade("B");
  ASSERT_OK(store().RecordRatings({new_rating}));
  ASSERT_OK_AND_ASSIGN(int64_t pruned, store().PruneHistory(absl::Now() + absl::Seconds(2)));
  ASSERT_EQ(pruned, 1);
  ASSERT_OK(store().DeleteInitiative(created.name(), /*force=*/true, ""));

  ASSERT_OK_AND_ASSIGN(ChangePage page, store().ListChanges(PlanQuery(start)));
  ASSERT_EQ(page.events.size(), 7u);
  EXPECT_TRUE(ProtoEquals(created, page.events[0].initiative()));
  EXPECT_TRUE(ProtoEquals(updated, page.events[1].initiative()));
  EXPECT_TRUE(ProtoEquals(first.outcome, page.events[2].outcome()));
  EXPECT_TRUE(ProtoEquals(second.outcome, page.events[3].outcome()));
  EXPECT_TRUE(ProtoEquals(old_rating, page.events[4].computed_rating()));
  EXPECT_TRUE(ProtoEquals(new_rating, page.events[5].computed_rating()));
  EXPECT_EQ(page.events[6].type(), v1::CHANGE_TYPE_DELETED);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(page.events[i].name(), i == 2 || i == 3 ? outcome.name() : created.name()) << i;
  }
}

// Ratings as the evaluators make them: facts whose values the reason quotes (one value the
// start of another, one too short to matter), the input hash in hex, a time with nanoseconds;
// and the unusual ones: no rule set, a hash not in lower-case hex, a reason holding U+0001.
std::vector<v1::ComputedRating> VariedRatings(const std::string& initiative) {
  v1::ComputedRating decided;
  decided.set_initiative(initiative);
  decided.set_grade("B");
  decided.set_evaluator("rules");
  decided.set_evaluator_version("1.2.0");
  decided.set_rule_set("organizations/city/ruleSets/abc-implementation");
  decided.set_rule_set_version(3);
  decided.add_fired_rules("partly-done");
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"fy2019.status", "計画どおり"},
                                                        {"fy2020.status", "計画どおり実施"},
                                                        {"fy2019.score", "6"},
                                                        {"attainment", "62.5%"}}) {
    v1::UsedFact* fact = decided.add_facts();
    fact->set_name(name);
    fact->set_value(value);
  }
  decided.set_reason("2019年度は「計画どおり」、2020年度は「計画どおり実施」、達成率 62.5% (6)");
  decided.set_input_sha256("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  decided.mutable_compute_time()->set_seconds(1764633600);
  decided.mutable_compute_time()->set_nanos(123456789);
  decided.set_trigger("evaluate");
  v1::ComputedRating unusual;
  unusual.set_initiative(initiative);
  unusual.set_insufficient_data(true);
  unusual.set_evaluator("targets");
  unusual.add_facts()->set_value("ab\x01");
  unusual.set_reason(std::string("no target; \x01 ab\x01 stays as written"));
  unusual.set_input_sha256("0123456789ABCDEF");
  unusual.set_trigger("outcome");
  unusual.set_area("職員研修");
  unusual.set_number(6);
  return {decided, unusual};
}

TEST_P(StoreConformance, RatingsComeBackAsRecordedFromListingsAndTheFeed) {
  CreateCityAndHrPlan();
  ASSERT_OK_AND_ASSIGN(int64_t start, store().LastChange());
  const v1::Initiative created = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  const std::vector<v1::ComputedRating> ratings = VariedRatings(created.name());
  ASSERT_OK(store().RecordRatings({ratings[0]}));
  ASSERT_OK(store().RecordRatings({ratings[1]}));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::ComputedRating> history,
                       store().ListRatings(kHrPlan, created.name(), true, Page{0, 10}));
  ASSERT_EQ(history.items.size(), 2u);
  EXPECT_TRUE(ProtoEquals(history.items[0], ratings[1]));
  EXPECT_TRUE(ProtoEquals(history.items[1], ratings[0]));

  // The feed delivers each rating while its row holds it, after the row is pruned, and after
  // its initiative is deleted.
  for (int step = 0; step < 3; ++step) {
    if (step == 1) ASSERT_OK(store().PruneHistory(absl::Now() + absl::Seconds(2)).status());
    if (step == 2) ASSERT_OK(store().DeleteInitiative(created.name(), /*force=*/true, ""));
    ASSERT_OK_AND_ASSIGN(ChangePage page, store().ListChanges(PlanQuery(start)));
    ASSERT_GE(page.events.size(), 3u) << step;
    EXPECT_TRUE(ProtoEquals(page.events[1].computed_rating(), ratings[0])) << step;
    EXPECT_TRUE(ProtoEquals(page.events[2].computed_rating(), ratings[1])) << step;
  }
}

TEST_P(StoreConformance, OutcomeEventsCarryTheWholeOutcomeAfterItsRowIsDeleted) {
  CreateCityAndHrPlan();
  const v1::Initiative created = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  ASSERT_OK_AND_ASSIGN(int64_t start, store().LastChange());
  ASSERT_OK_AND_ASSIGN(UpsertResult put,
                       store().UpsertOutcome(MakeOutcome(created.name(), 2019), ""));
  ASSERT_OK_AND_ASSIGN(ChangePage live, store().ListChanges(PlanQuery(start)));
  ASSERT_EQ(live.events.size(), 1u);
  EXPECT_TRUE(ProtoEquals(put.outcome, live.events[0].outcome()));
  ASSERT_OK(store().DeleteOutcome(put.outcome.name(), ""));
  ASSERT_OK_AND_ASSIGN(ChangePage page, store().ListChanges(PlanQuery(start)));
  ASSERT_EQ(page.events.size(), 2u);
  EXPECT_TRUE(ProtoEquals(put.outcome, page.events[0].outcome()));
  EXPECT_EQ(page.events[0].name(), put.outcome.name());
  EXPECT_EQ(page.events[1].type(), v1::CHANGE_TYPE_DELETED);
}

// A forced delete of the organization takes its plans, their initiatives, outcomes and
// ratings by cascade: the plan's feed still delivers each of them as it was written.
TEST_P(StoreConformance, AForcedDeleteKeepsEveryResourceInTheFeed) {
  CreateCityAndHrPlan();
  ASSERT_OK_AND_ASSIGN(int64_t start, store().LastChange());
  const v1::Initiative created = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  ASSERT_OK_AND_ASSIGN(UpsertResult put,
                       store().UpsertOutcome(MakeOutcome(created.name(), 2019), ""));
  const std::vector<v1::ComputedRating> ratings = VariedRatings(created.name());
  ASSERT_OK(store().RecordRatings({ratings[0]}));
  ASSERT_OK(store().DeleteOrganization(std::string(kCity), /*force=*/true, ""));
  ASSERT_OK_AND_ASSIGN(ChangePage page, store().ListChanges(PlanQuery(start)));
  ASSERT_GE(page.events.size(), 3u);
  EXPECT_TRUE(ProtoEquals(created, page.events[0].initiative()));
  EXPECT_TRUE(ProtoEquals(put.outcome, page.events[1].outcome()));
  EXPECT_TRUE(ProtoEquals(ratings[0], page.events[2].computed_rating()));
}

TEST_P(StoreConformance, AFailedWriteRecordsNoChange) {
  CreateCityAndHrPlan();
  absl::StatusOr<int64_t> before = store().LastChange();
  ASSERT_OK((before).status());
  v1::Initiative initiative = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  // Taken area and number: refused, and nothing of it reaches the feed.
  EXPECT_FALSE(store().CreateInitiative(MakeInitiative("i2", kTraining, 1), "").ok());
  absl::StatusOr<ChangePage> page = store().ListChanges(PlanQuery(*before));
  ASSERT_OK((page).status());
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].name(), initiative.name());
}

TEST_P(StoreConformance, ChangesAreFilteredByKindAndPagedByCursor) {
  CreateCityAndHrPlan();
  for (int i = 1; i <= 5; ++i) {
    v1::Initiative initiative =
        CreateInitiativeOrDie(MakeInitiative(absl::StrCat("i", i), kTraining, i));
    ASSERT_OK((store().UpsertOutcome(MakeOutcome(initiative.name(), 2019), "")).status());
  }
  ChangeQuery query = PlanQuery(0);
  query.kinds = {v1::RESOURCE_KIND_OUTCOME};
  query.limit = 2;
  std::vector<std::string> outcomes;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<ChangePage> page = store().ListChanges(query);
    ASSERT_OK((page).status());
    for (const v1::ChangeEvent& event : page->events) {
      EXPECT_EQ(event.kind(), v1::RESOURCE_KIND_OUTCOME);
      outcomes.push_back(event.name());
    }
    query.after = page->next;
    if (!page->full) break;
  }
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_EQ(outcomes[4], MakeOutcome(InitiativeName("i5"), 2019).name());
}

// Pruning removes the changes committed before the given time and keeps the later ones,
// which a watch from the pruned cursor still reads.
TEST_P(StoreConformance, PruneChangesKeepsWhatIsNewer) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  ASSERT_OK_AND_ASSIGN(int64_t old_last, store().LastChange());
  ASSERT_OK_AND_ASSIGN(
      ChangePage old_changes,
      store().ListChanges({.organization = std::string(kCity), .after = 0, .limit = 1000}));
  absl::SleepFor(absl::Milliseconds(5));
  const absl::Time between = absl::Now();
  absl::SleepFor(absl::Milliseconds(5));
  CreateInitiativeOrDie(MakeInitiative("i2", kTraining, 2));
  ASSERT_OK_AND_ASSIGN(int64_t pruned, store().PruneChanges(between));
  EXPECT_EQ(pruned, static_cast<int64_t>(old_changes.events.size()));
  EXPECT_TRUE(HasError(store().ListChanges(PlanQuery(old_last - 1)),
                       absl::StatusCode::kFailedPrecondition, "list the resources again"));
  ASSERT_OK_AND_ASSIGN(ChangePage page, store().ListChanges(PlanQuery(old_last)));
  ASSERT_EQ(page.events.size(), 1u);
  EXPECT_EQ(page.events[0].name(), InitiativeName("i2"));
}

TEST_P(StoreConformance, PrunedCursorIsFailedPrecondition) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  absl::StatusOr<int64_t> pruned = store().PruneChanges(absl::Now() + absl::Seconds(1));
  ASSERT_OK((pruned).status());
  EXPECT_GE(*pruned, 2);
  EXPECT_TRUE(HasError(store().ListChanges(PlanQuery(0)), absl::StatusCode::kFailedPrecondition,
                       "list the resources again"));
  // The newest cursor still works.
  EXPECT_TRUE(store().ListChanges(PlanQuery(*store().LastChange())).ok());
  EXPECT_TRUE(HasError(store().ListChanges(PlanQuery(*store().LastChange() + 5)),
                       absl::StatusCode::kInvalidArgument, "not a cursor"));
}

TEST_P(StoreConformance, ARestartedFeedRefusesOlderCursorsAndContinuesAfterTheLaterEnd) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  ASSERT_OK_AND_ASSIGN(int64_t own_last, store().LastChange());
  // After a cursor of a longer feed (another database's): the feed goes on past it.
  ASSERT_OK(store().RestartChangesAfter(own_last + 100));
  EXPECT_EQ(*store().LastChange(), own_last + 100);
  for (int64_t stale : {int64_t{0}, own_last, own_last + 99}) {
    EXPECT_TRUE(HasError(store().ListChanges(PlanQuery(stale)),
                         absl::StatusCode::kFailedPrecondition, "list the resources again"))
        << stale;
  }
  CreateInitiativeOrDie(MakeInitiative("i2", kTraining, 2));
  ASSERT_OK_AND_ASSIGN(ChangePage page, store().ListChanges(PlanQuery(own_last + 100)));
  ASSERT_EQ(page.events.size(), 1u);
  EXPECT_EQ(page.events[0].name(), InitiativeName("i2"));
  EXPECT_EQ(page.events[0].cursor(), absl::StrCat(own_last + 101));

  // After a cursor older than its own end: everything so far is pruned all the same.
  ASSERT_OK(store().RestartChangesAfter(1));
  EXPECT_EQ(*store().LastChange(), own_last + 101);
  EXPECT_TRUE(HasError(store().ListChanges(PlanQuery(own_last + 100)),
                       absl::StatusCode::kFailedPrecondition, "list the resources again"));
  EXPECT_TRUE(store().ListChanges(PlanQuery(own_last + 101)).ok());
}

TEST_P(StoreConformance, CommitWithChangesNotifiesListeners) {
  CreateCityAndHrPlan();
  std::atomic<int64_t> told{0};
  const int id = store().change_notifier().AddListener([&](int64_t seq) { told = seq; });
  CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  EXPECT_EQ(told.load(), *store().LastChange());
  store().change_notifier().RemoveListener(id);
}

TEST_P(StoreConformance, SubscriptionsStartAtTheNewestChange) {
  CreateCityAndHrPlan();
  v1::Subscription subscription;
  subscription.set_name(absl::StrCat(kCity, "/subscriptions/hr-tool"));
  subscription.set_url("http://127.0.0.1:1/hook");
  subscription.set_secret("s3cret");
  absl::StatusOr<v1::Subscription> created = store().CreateSubscription(subscription);
  ASSERT_OK((created).status());
  EXPECT_EQ(created->delivery().cursor(), absl::StrCat(*store().LastChange()));
  EXPECT_TRUE(HasError(store().CreateSubscription(subscription), absl::StatusCode::kAlreadyExists));
  v1::DeliveryStatus delivery = created->delivery();
  delivery.set_attempts(3);
  delivery.set_last_error("connection refused");
  ASSERT_OK(store().UpdateDelivery(subscription.name(), delivery));
  absl::StatusOr<std::vector<v1::Subscription>> listed = store().ListSubscriptions(kCity);
  ASSERT_OK((listed).status());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].delivery().last_error(), "connection refused");
  EXPECT_EQ((*listed)[0].secret(), "s3cret");
  ASSERT_OK(store().DeleteSubscription(subscription.name()));
  EXPECT_TRUE(HasError(store().GetSubscription(subscription.name()), absl::StatusCode::kNotFound));
  EXPECT_TRUE(
      HasError(store().UpdateDelivery(subscription.name(), delivery), absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace torikumi::store::testing
