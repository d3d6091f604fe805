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
