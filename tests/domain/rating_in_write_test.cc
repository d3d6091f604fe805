// The re-rating of a write to one initiative, computed before the write and recorded in the
// write's own transaction: the rating so recorded is the one an evaluation after the write
// gives; it shares the write's commit (one commit per UpsertOutcome); and when the inputs
// changed between the snapshot and the write, it is left out and the initiative is re-rated
// after the write instead.
#include "absl/strings/str_cat.h"
#include "services/domain/ratings.h"
#include "services/store/changes.h"
#include "tests/domain/ratings_fixture.h"
#include "tests/status_assertions.h"

namespace torikumi::domain::testing {
namespace {

class DomainRatingInWriteTest : public DomainRatingsTest {
 protected:
  // The seed plan following abc-implementation, evaluated once; returns one initiative.
  std::string RatedInitiative() {
    plan_ = ImportSeed();
    EXPECT_TRUE(CreateAbcImplementation(plan_).ok());
    UseRuleSet(plan_, "organizations/city/ruleSets/abc-implementation");
    v1::RatingServiceEvaluateRequest evaluate;
    evaluate.set_plan(plan_);
    auto first = ratings_->Evaluate(evaluate);
    EXPECT_TRUE(first.ok()) << first.status();
    return first.ok() ? first->ratings(0).initiative() : "";
  }

  // What an evaluation of `initiative` now gives, recording nothing.
  v1::ComputedRating EvaluateNow(const std::string& initiative) {
    v1::RatingServiceEvaluateRequest evaluate;
    evaluate.set_plan(plan_);
    evaluate.add_initiatives(initiative);
    evaluate.set_dry_run(true);
    auto now = ratings_->Evaluate(evaluate);
    EXPECT_TRUE(now.ok()) << now.status();
    return now.ok() && now->ratings_size() == 1 ? now->ratings(0) : v1::ComputedRating();
  }

  v1::ComputedRating Latest(const std::string& initiative) {
    auto latest = store_->ListRatings(plan_, initiative, false, store::Page{});
    EXPECT_TRUE(latest.ok()) << latest.status();
    return latest.ok() && latest->items.size() == 1 ? latest->items.front() : v1::ComputedRating();
  }

  // The rating of `outcome`'s initiative computed as if `outcome` were written.
  absl::StatusOr<std::optional<store::RatingAfterWrite>> RateBeforeWriting(
      const v1::Outcome& outcome) {
    const std::string initiative = outcome.name().substr(0, outcome.name().find("/outcomes/"));
    return ratings_->RateBeforeWrite(initiative, kTriggerOutcome,
                                     [&](PlanRecords* records) { PutOutcome(outcome, records); });
  }

  static v1::Outcome NotImplemented(const std::string& initiative, int year) {
    v1::Outcome outcome;
    outcome.set_name(absl::StrCat(initiative, "/outcomes/fy", year));
    outcome.set_fiscal_year(year);
    outcome.set_text("実施できなかった");
    outcome.set_status(v1::OUTCOME_STATUS_NOT_IMPLEMENTED);
    return outcome;
  }

  std::string plan_;
};

TEST_F(DomainRatingInWriteTest, AnUpsertRecordsTheRatingAnEvaluationAfterItGives) {
  const std::string initiative = RatedInitiative();
  EnableAutoRerate();
  ASSERT_OK_AND_ASSIGN(int64_t before, store_->LastChange());
  v1::UpsertOutcomeRequest upsert;
  upsert.set_parent(initiative);
  *upsert.mutable_outcome() = NotImplemented(initiative, 2021);
  upsert.mutable_outcome()->clear_name();
  upsert.mutable_outcome()->mutable_as_of()->set_year(2022);
  upsert.mutable_outcome()->mutable_as_of()->set_month(8);
  upsert.mutable_outcome()->mutable_as_of()->set_day(31);
  ASSERT_TRUE(outcomes_->Upsert(upsert).ok());

  const v1::ComputedRating recorded = Latest(initiative);
  const v1::ComputedRating after = EvaluateNow(initiative);
  EXPECT_EQ(recorded.trigger(), "outcome");
  EXPECT_EQ(recorded.input_sha256(), after.input_sha256());
  EXPECT_EQ(recorded.grade(), after.grade());
  EXPECT_EQ(recorded.reason(), after.reason());

  // The outcome and its rating were one write: their changes carry one commit time.
  store::ChangeQuery query;
  query.organization = "organizations/city";
  query.plan = plan_;
  query.after = before;
  ASSERT_OK_AND_ASSIGN(store::ChangePage page, store_->ListChanges(query));
  ASSERT_EQ(page.events.size(), 2u);
  EXPECT_EQ(page.events[0].kind(), v1::RESOURCE_KIND_OUTCOME);
  EXPECT_EQ(page.events[1].kind(), v1::RESOURCE_KIND_COMPUTED_RATING);
  EXPECT_EQ(page.events[0].commit_time().seconds(), page.events[1].commit_time().seconds());
  EXPECT_EQ(page.events[0].commit_time().nanos(), page.events[1].commit_time().nanos());
}

TEST_F(DomainRatingInWriteTest, DeletesAndUpdatesRecordTheRatingAnEvaluationAfterThemGives) {
  const std::string initiative = RatedInitiative();
  EnableAutoRerate();
  ASSERT_TRUE(store_->UpsertOutcome(NotImplemented(initiative, 2021), "").ok());
  v1::DeleteOutcomeRequest remove;
  remove.set_name(NotImplemented(initiative, 2021).name());
  ASSERT_TRUE(outcomes_->Delete(remove).ok());
  EXPECT_EQ(Latest(initiative).input_sha256(), EvaluateNow(initiative).input_sha256());

  v1::UpdateInitiativeRequest reschedule;
  reschedule.mutable_initiative()->set_name(initiative);
  auto* entry = reschedule.mutable_initiative()->add_schedule();
  entry->set_fiscal_year(2022);
  entry->set_phase(v1::PHASE_CONSIDER);
  reschedule.mutable_update_mask()->add_paths("schedule");
  ASSERT_TRUE(initiatives_->Update(reschedule).ok());
  EXPECT_EQ(Latest(initiative).trigger(), "initiative");
  EXPECT_EQ(Latest(initiative).input_sha256(), EvaluateNow(initiative).input_sha256());
  EXPECT_EQ(Triggers(plan_, initiative),
            (std::vector<std::string>{"initiative", "outcome", "evaluate"}));
}

TEST_F(DomainRatingInWriteTest, ARatingWhoseInputsChangedBeforeTheWriteIsLeftOut) {
  const std::string initiative = RatedInitiative();
  const v1::Outcome mine = NotImplemented(initiative, 2021);
  auto rating = RateBeforeWriting(mine);
  ASSERT_TRUE(rating.ok()) << rating.status();
  ASSERT_TRUE(rating->has_value());
  // Someone else records another outcome of the initiative in between.
  ASSERT_TRUE(store_->UpsertOutcome(NotImplemented(initiative, 2022), "").ok());
  ASSERT_TRUE(store_->UpsertOutcome(mine, "", &**rating).ok());
  EXPECT_FALSE((*rating)->recorded);
  EXPECT_EQ(Latest(initiative).trigger(), "evaluate");

  // Through the domain the same race ends with a rating of what was written.
  EnableAutoRerate();
  triggers_->InitiativeWritten(initiative, kTriggerOutcome, *rating);
  EXPECT_EQ(Latest(initiative).trigger(), "outcome");
  EXPECT_EQ(Latest(initiative).input_sha256(), EvaluateNow(initiative).input_sha256());
}

TEST_F(DomainRatingInWriteTest, ANewVersionOfTheRuleSetBeforeTheWriteLeavesTheRatingOut) {
  const std::string initiative = RatedInitiative();
  const v1::Outcome mine = NotImplemented(initiative, 2021);
  auto rating = RateBeforeWriting(mine);
  ASSERT_TRUE(rating.ok()) << rating.status();
  ASSERT_TRUE(rating->has_value());
  EXPECT_EQ((*rating)->rating.rule_set_version(), 1);
  v1::RuleSet second;
  second.set_name("organizations/city/ruleSets/abc-implementation");
  second.set_evaluator("rules");
  second.set_body("rules { id: \"all-a\" grade: \"A\" }");
  ASSERT_TRUE(store_->CreateRuleSetVersion(second).ok());
  ASSERT_TRUE(store_->UpsertOutcome(mine, "", &**rating).ok());
  EXPECT_FALSE((*rating)->recorded);
}

TEST_F(DomainRatingInWriteTest, APlanWithoutRuleSetHasNothingToRecord) {
  plan_ = ImportSeed();
  auto listed = store_->ListInitiatives(plan_, v1::InitiativeFilter(), store::Page{});
  ASSERT_TRUE(listed.ok()) << listed.status();
  const std::string initiative = listed->items.front().name();
  auto rating = ratings_->RateBeforeWrite(initiative, kTriggerOutcome, [](PlanRecords*) {});
  ASSERT_TRUE(rating.ok()) << rating.status();
  EXPECT_FALSE(rating->has_value());
}

}  // namespace
}  // namespace torikumi::domain::testing
