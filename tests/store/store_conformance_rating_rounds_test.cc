// Conformance: rating rounds. Opening proposes each initiative's newest computed rating; a
// review writes the round and the human rating in one transaction; a closed round makes the
// plan's human grades read-only for every write path until it is reopened.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

constexpr absl::string_view kRound = "organizations/city/plans/hr/ratingRounds/2022";

v1::ComputedRating Rated(absl::string_view initiative, absl::string_view grade) {
  v1::ComputedRating rating;
  rating.set_initiative(std::string(initiative));
  if (grade.empty()) {
    rating.set_insufficient_data(true);
  } else {
    rating.set_grade(std::string(grade));
  }
  rating.set_reason(absl::StrCat("computed ", grade));
  rating.set_evaluator("rules");
  return rating;
}

RoundReview Review(absl::string_view initiative, v1::RatingRoundEntry::Decision decision,
                   absl::string_view grade = "", absl::string_view reason = "") {
  return RoundReview{.round = std::string(kRound),
                     .initiative = InitiativeName(initiative),
                     .decision = decision,
                     .grade = std::string(grade),
                     .reviewer = "organizations/city/tokens/hr",
                     .reason = std::string(reason)};
}

constexpr auto kAccepted = v1::RatingRoundEntry::DECISION_ACCEPTED;
constexpr auto kOverridden = v1::RatingRoundEntry::DECISION_OVERRIDDEN;

// An initiative scheduled (to implement) in the given fiscal years.
v1::Initiative Scheduled(absl::string_view id, absl::string_view area, int number,
                         std::initializer_list<int> years) {
  v1::Initiative initiative = MakeInitiative(id, area, number);
  for (int year : years) {
    v1::ScheduleEntry* entry = initiative.add_schedule();
    entry->set_fiscal_year(year);
    entry->set_phase(v1::PHASE_IMPLEMENT);
  }
  return initiative;
}

// Initiatives a (職員研修 1, rated C then B) and b (組織文化 1, rated A), scheduled in 2022,
// and c (組織文化 2, rated A), scheduled only until 2021.
void CreateRatedPlan(Store& store) {
  ASSERT_OK(store.CreateOrganization(MakeOrganization(kCity), "").status());
  ASSERT_OK(store.CreatePlan(MakePlan(kHrPlan), "").status());
  ASSERT_OK(store.CreateInitiative(Scheduled("a", kTraining, 1, {2021, 2022}), "").status());
  ASSERT_OK(store.CreateInitiative(Scheduled("b", kCulture, 1, {2022}), "").status());
  ASSERT_OK(store.CreateInitiative(Scheduled("c", kCulture, 2, {2020, 2021}), "").status());
  ASSERT_OK(store.RecordRatings({Rated(InitiativeName("a"), "C"), Rated(InitiativeName("b"), "A"),
                                 Rated(InitiativeName("c"), "A")}));
  ASSERT_OK(store.RecordRatings({Rated(InitiativeName("a"), "B")}));
}

v1::RatingRound OpenOrDie(Store& store) {
  absl::StatusOr<v1::RatingRound> round = store.OpenRatingRound(kRound, "opener");
  EXPECT_TRUE(round.ok()) << round.status();
  return round.ok() ? *round : v1::RatingRound();
}

// Opens the round, reviews both entries and closes it.
void CloseReviewedRound(Store& store) {
  OpenOrDie(store);
  ASSERT_OK(store.ReviewRatingRound(Review("a", kAccepted)).status());
  ASSERT_OK(store.ReviewRatingRound(Review("b", kOverridden, "B", "not all of it")).status());
  ASSERT_OK(store
                .SetRatingRoundState({.round = std::string(kRound),
                                      .state = v1::RatingRound::STATE_CLOSED,
                                      .actor = "closer"})
                .status());
}

TEST_P(StoreConformance, OpenProposesTheNewestComputedRatingOfEachInitiative) {
  CreateRatedPlan(store());
  v1::RatingRound round = OpenOrDie(store());
  EXPECT_EQ(round.name(), kRound);
  EXPECT_EQ(round.fiscal_year(), 2022);
  EXPECT_EQ(round.state(), v1::RatingRound::STATE_OPEN);
  EXPECT_FALSE(round.etag().empty());
  // c is not scheduled in 2022: not in the round.
  ASSERT_EQ(round.entries_size(), 2);
  const v1::RatingRoundEntry& a = round.entries(0);
  EXPECT_EQ(a.initiative(), InitiativeName("a"));
  EXPECT_EQ(a.area(), kTraining);
  EXPECT_EQ(a.proposed_grade(), "B");
  EXPECT_TRUE(absl::StartsWith(a.computed_rating(),
                               absl::StrCat(InitiativeName("a"), "/computedRatings/")));
  EXPECT_EQ(round.entries(1).proposed_grade(), "A");
  EXPECT_NE(round.entries(1).computed_rating(), a.computed_rating());
  EXPECT_EQ(round.progress().total(), 2);
  EXPECT_EQ(round.progress().reviewed(), 0);
  ASSERT_EQ(round.area_progress_size(), 2);
  EXPECT_EQ(round.area_progress(0).area(), kTraining);
  EXPECT_EQ(round.area_progress(1).area(), kCulture);
  ASSERT_EQ(round.transitions_size(), 1);
  EXPECT_EQ(round.transitions(0).actor(), "opener");

  ASSERT_OK_AND_ASSIGN(v1::RatingRound got, store().GetRatingRound(kRound));
  EXPECT_TRUE(ProtoEquals(round, got));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::RatingRound> listed,
                       store().ListRatingRounds(kHrPlan, Page{0, 10}));
  EXPECT_EQ(listed.total, 1);
  EXPECT_EQ(Names(listed.items), std::vector<std::string>{std::string(kRound)});
}

TEST_P(StoreConformance, OpenRefusesWhatCannotBeARound) {
  CreateRatedPlan(store());
  CreateInitiativeOrDie(Scheduled("unrated", kEnvironment, 1, {2022}));
  EXPECT_TRUE(HasError(store().OpenRatingRound(kRound, "x"), absl::StatusCode::kFailedPrecondition,
                       "unrated", "no computed rating"));
  EXPECT_TRUE(HasError(store().GetRatingRound(kRound), absl::StatusCode::kNotFound));
  ASSERT_OK(store().DeleteInitiative(InitiativeName("unrated"), true, ""));

  OpenOrDie(store());
  EXPECT_TRUE(HasError(store().OpenRatingRound(kRound, "x"), absl::StatusCode::kAlreadyExists));
  EXPECT_TRUE(
      HasError(store().OpenRatingRound("organizations/city/plans/hr/ratingRounds/2021", "x"),
               absl::StatusCode::kFailedPrecondition, "later round"));
  EXPECT_TRUE(
      HasError(store().OpenRatingRound("organizations/city/plans/no/ratingRounds/2022", "x"),
               absl::StatusCode::kNotFound, "plans/no"));
  EXPECT_TRUE(HasError(store().OpenRatingRound("organizations/city/plans/hr/ratingRounds/22", "x"),
                       absl::StatusCode::kInvalidArgument, "name"));
}

TEST_P(StoreConformance, ReviewWritesTheHumanRatingWithItsProvenance) {
  CreateRatedPlan(store());
  v1::RatingRound opened = OpenOrDie(store());
  ASSERT_OK_AND_ASSIGN(v1::RatingRound accepted, store().ReviewRatingRound(Review("a", kAccepted)));
  EXPECT_NE(accepted.etag(), opened.etag());
  EXPECT_EQ(accepted.entries(0).decision(), kAccepted);
  EXPECT_EQ(accepted.entries(0).grade(), "B");
  EXPECT_EQ(accepted.progress().reviewed(), 1);
  EXPECT_EQ(accepted.area_progress(0).reviewed(), 1);
  EXPECT_EQ(accepted.area_progress(1).reviewed(), 0);

  ASSERT_OK_AND_ASSIGN(v1::Initiative a, store().GetInitiative(InitiativeName("a")));
  EXPECT_EQ(a.human_rating().grade(), "B");
  EXPECT_EQ(a.human_rating().rater(), "organizations/city/tokens/hr");
  EXPECT_EQ(a.human_rating().rating_round(), kRound);
  EXPECT_EQ(a.human_rating().computed_rating(), opened.entries(0).computed_rating());
  EXPECT_TRUE(a.human_rating().has_rate_time());

  RoundReview stale = Review("b", kOverridden, "C", "why");
  stale.expected_etag = opened.etag();
  EXPECT_TRUE(HasError(store().ReviewRatingRound(stale), absl::StatusCode::kAborted));
  EXPECT_TRUE(HasError(store().ReviewRatingRound(Review("c", kAccepted)),
                       absl::StatusCode::kNotFound, "is not in"));
  ASSERT_OK_AND_ASSIGN(v1::RatingRound overridden,
                       store().ReviewRatingRound(Review("b", kOverridden, "C", "not done")));
  EXPECT_EQ(overridden.progress().reviewed(), 2);
  EXPECT_EQ(overridden.progress().overridden(), 1);
  ASSERT_OK_AND_ASSIGN(v1::Initiative b, store().GetInitiative(InitiativeName("b")));
  EXPECT_EQ(b.human_rating().grade(), "C");
  EXPECT_EQ(b.human_rating().reason(), "not done");
  EXPECT_TRUE(b.human_rating().computed_rating().empty());
}

TEST_P(StoreConformance, AnInsufficientProposalCannotBeAccepted) {
  CreateRatedPlan(store());
  ASSERT_OK(store().RecordRatings({Rated(InitiativeName("b"), "")}));
  OpenOrDie(store());
  EXPECT_TRUE(HasError(store().ReviewRatingRound(Review("b", kAccepted)),
                       absl::StatusCode::kFailedPrecondition, "insufficient"));
  ASSERT_OK(store().ReviewRatingRound(Review("b", kOverridden, "C", "none done")).status());
}

TEST_P(StoreConformance, CloseNeedsEveryEntryReviewed) {
  CreateRatedPlan(store());
  OpenOrDie(store());
  ASSERT_OK(store().ReviewRatingRound(Review("a", kAccepted)).status());
  EXPECT_TRUE(HasError(store().SetRatingRoundState(
                           {.round = std::string(kRound), .state = v1::RatingRound::STATE_CLOSED}),
                       absl::StatusCode::kFailedPrecondition, "1 of 2"));
}

TEST_P(StoreConformance, AClosedRoundMakesThePlansGradesReadOnly) {
  CreateRatedPlan(store());
  CloseReviewedRound(store());
  ASSERT_OK_AND_ASSIGN(v1::RatingRound closed, store().GetRatingRound(kRound));
  EXPECT_EQ(closed.state(), v1::RatingRound::STATE_CLOSED);

  EXPECT_TRUE(HasError(store().ReviewRatingRound(Review("a", kOverridden, "A", "x")),
                       absl::StatusCode::kFailedPrecondition, kRound, "closed"));
  ASSERT_OK_AND_ASSIGN(v1::Initiative a, store().GetInitiative(InitiativeName("a")));
  v1::Initiative regraded = a;
  regraded.mutable_human_rating()->set_grade("A");
  EXPECT_TRUE(HasError(store().UpdateInitiative(regraded, ""),
                       absl::StatusCode::kFailedPrecondition, kRound));
  v1::Initiative retitled = a;
  retitled.set_title("新しい題");
  ASSERT_OK(store().UpdateInitiative(retitled, "").status());

  PlanImport import{.plan = MakePlan(kHrPlan), .create_plan = false};
  v1::Initiative imported = MakeInitiative("a", kTraining, 1);
  imported.mutable_human_rating()->set_grade("C");
  import.initiatives.push_back({.initiative = imported, .new_id = "a"});
  EXPECT_TRUE(HasError(store().ImportPlan(import), absl::StatusCode::kFailedPrecondition, kRound));
  ASSERT_OK_AND_ASSIGN(v1::Initiative unchanged, store().GetInitiative(InitiativeName("a")));
  EXPECT_EQ(unchanged.human_rating().grade(), "B");
}

TEST_P(StoreConformance, ReopenGivesTheGradesBack) {
  CreateRatedPlan(store());
  CloseReviewedRound(store());
  ASSERT_OK_AND_ASSIGN(v1::RatingRound reopened,
                       store().SetRatingRoundState({.round = std::string(kRound),
                                                    .state = v1::RatingRound::STATE_OPEN,
                                                    .actor = "admin",
                                                    .reason = "appeal"}));
  EXPECT_EQ(reopened.state(), v1::RatingRound::STATE_OPEN);
  ASSERT_EQ(reopened.transitions_size(), 3);
  EXPECT_EQ(reopened.transitions(2).reason(), "appeal");
  EXPECT_TRUE(HasError(store().SetRatingRoundState(
                           {.round = std::string(kRound), .state = v1::RatingRound::STATE_OPEN}),
                       absl::StatusCode::kFailedPrecondition, "not closed"));
  ASSERT_OK(store().ReviewRatingRound(Review("a", kOverridden, "A", "appeal upheld")).status());
  ASSERT_OK_AND_ASSIGN(v1::Initiative a, store().GetInitiative(InitiativeName("a")));
  EXPECT_EQ(a.human_rating().grade(), "A");
}

TEST_P(StoreConformance, RoundWritesAreInTheChangeFeedAndTheAuditLog) {
  CreateRatedPlan(store());
  ASSERT_OK_AND_ASSIGN(int64_t start, store().LastChange());
  OpenOrDie(store());
  ASSERT_OK(store().ReviewRatingRound(Review("a", kAccepted)).status());
  ASSERT_OK_AND_ASSIGN(ChangePage page,
                       store().ListChanges({.organization = std::string(kCity),
                                            .plan = std::string(kHrPlan),
                                            .kinds = {v1::RESOURCE_KIND_RATING_ROUND,
                                                      v1::RESOURCE_KIND_HUMAN_RATING},
                                            .after = start}));
  ASSERT_EQ(page.events.size(), 3u);
  EXPECT_EQ(page.events[0].type(), v1::CHANGE_TYPE_CREATED);
  EXPECT_EQ(page.events[0].rating_round().name(), kRound);
  EXPECT_EQ(page.events[1].kind(), v1::RESOURCE_KIND_HUMAN_RATING);
  EXPECT_EQ(page.events[1].human_rating().rating_round(), kRound);
  EXPECT_EQ(page.events[2].type(), v1::CHANGE_TYPE_UPDATED);
  EXPECT_EQ(page.events[2].rating_round().progress().reviewed(), 1);

  ASSERT_OK_AND_ASSIGN(ListResult<v1::AuditEvent> audited,
                       store().ListAuditEvents({.resource = std::string(kRound)}, Page{0, 10}));
  EXPECT_EQ(audited.total, 2);
}

TEST_P(StoreConformance, ARoundIsRestoredAsItWasReadOnceAndOnlyIntoItsPlan) {
  CreateRatedPlan(store());
  CloseReviewedRound(store());
  ASSERT_OK_AND_ASSIGN(v1::RatingRound closed, store().GetRatingRound(kRound));
  EXPECT_EQ(store().RestoreRatingRound(closed).status().code(), absl::StatusCode::kAlreadyExists);

  // The same round under a year the plan has none of comes back as it was, state included.
  v1::RatingRound copy = closed;
  copy.set_name("organizations/city/plans/hr/ratingRounds/2023");
  ASSERT_OK_AND_ASSIGN(v1::RatingRound restored, store().RestoreRatingRound(copy));
  EXPECT_EQ(restored.fiscal_year(), 2023);
  EXPECT_EQ(restored.state(), v1::RatingRound::STATE_CLOSED);
  EXPECT_EQ(restored.progress().overridden(), 1);
  ASSERT_EQ(restored.entries_size(), closed.entries_size());
  EXPECT_EQ(restored.entries(1).reason(), "not all of it");
  EXPECT_EQ(restored.transitions_size(), closed.transitions_size());
  ASSERT_OK_AND_ASSIGN(v1::RatingRound read, store().GetRatingRound(copy.name()));
  EXPECT_EQ(read.etag(), restored.etag());

  copy.set_name("organizations/city/plans/none/ratingRounds/2022");
  EXPECT_EQ(store().RestoreRatingRound(copy).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreConformance, RatingNamesAreTheLinksARoundProposes) {
  CreateRatedPlan(store());
  v1::RatingRound round = OpenOrDie(store());
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> names, store().ListRatingNames(kHrPlan));
  ASSERT_EQ(names.size(), 4u);  // a twice, b, c
  // Each initiative's newest first: a's newest is what the round proposes for a.
  EXPECT_TRUE(absl::StartsWith(names[0], absl::StrCat(InitiativeName("a"), "/computedRatings/")));
  EXPECT_EQ(round.entries(0).initiative(), InitiativeName("a"));
  EXPECT_EQ(names[0], round.entries(0).computed_rating());
  EXPECT_NE(names[1], names[0]);
  EXPECT_EQ(names[2], round.entries(1).computed_rating());
}

}  // namespace
}  // namespace torikumi::store::testing
