// A recorded rating names the version of the evaluator that computed it, even when a
// reload brings in another version while the evaluation runs: the gate test plugin
// (tests/plugins/test_plugins) holds the call until the new version is loaded. The same gate
// holds the re-rating worker while the test fills its queue of pending jobs.
#include <algorithm>
#include <functional>
#include <thread>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/domain/rating_jobs.h"
#include "tests/domain/gate_fixture.h"
#include "tests/evaluators/test_plugins/gate.h"

namespace torikumi::domain::testing {
namespace {

// The gate fixture, with what the tests below read and write.
class DomainRatingVersionTest : public DomainGateTest {
 protected:
  // Every computed rating of `plan`, each initiative's history included.
  std::vector<v1::ComputedRating> RecordedRatings(const std::string& plan) {
    v1::ListRatingsRequest list;
    list.set_plan(plan);
    list.set_history(true);
    auto recorded = ratings_->List(list);
    EXPECT_TRUE(recorded.ok()) << recorded.status();
    if (!recorded.ok()) return {};
    return {recorded->ratings().begin(), recorded->ratings().end()};
  }

  // The input hash of a rating of `initiative` computed now.
  std::string InputHashNow(const std::string& initiative) {
    auto now = ratings_->RateBeforeWrite(initiative, kTriggerOutcome, [](PlanRecords*) {});
    EXPECT_TRUE(now.ok() && now->has_value()) << now.status();
    return now.ok() && now->has_value() ? (*now)->rating.input_sha256() : "";
  }

  // The gate plan with a second initiative; `second` is empty when it could not be made.
  struct TwoInitiatives {
    std::string plan;
    std::string first;   // the gate plan's own
    std::string second;  // the one added
  };
  TwoInitiatives MakeTwoInitiativePlan() {
    TwoInitiatives made{.plan = MakeGatePlan()};
    auto other = CreateInitiative(made.plan, SimpleInitiative("職員研修", 2, "研修"));
    EXPECT_TRUE(other.ok()) << other.status();
    auto inputs = store_->ReadPlanInputs(made.plan, "");
    EXPECT_TRUE(inputs.ok() && inputs->initiatives.size() == 2u);
    if (!other.ok() || !inputs.ok() || inputs->initiatives.size() != 2u) return made;
    made.first = inputs->initiatives[0].name();
    made.second = other->name();
    EXPECT_NE(made.first, made.second);
    return made;
  }

  // An outcome of fiscal 2019 of `initiative`, written through the store: with no rating of
  // its own; saying `text`, as of `as_of_year`-03-31 unless that is 0.
  void WriteOutcome(const std::string& initiative, int as_of_year = 0,
                    const std::string& text = "庁内 468人") {
    v1::Outcome outcome;
    outcome.set_name(absl::StrCat(initiative, "/outcomes/fy2019"));
    outcome.set_fiscal_year(2019);
    outcome.set_text(text);
    if (as_of_year != 0) {
      outcome.mutable_as_of()->set_year(as_of_year);
      outcome.mutable_as_of()->set_month(3);
      outcome.mutable_as_of()->set_day(31);
    }
    auto written = store_->UpsertOutcome(outcome, "");
    ASSERT_TRUE(written.ok()) << written.status();
  }
};

// A recorded whole-plan evaluation of `plan` on a thread of its own, while `held` runs with
// the gate, which holds every evaluator call until `held` lets it through; the gate opens
// once `held` returns, and the evaluation's answer is returned.
absl::StatusOr<v1::RatingServiceEvaluateResponse> EvaluateWhile(
    Ratings& ratings, const std::string& gate_path, const std::string& plan,
    const std::function<void(plugin_test::Gate&)>& held) {
  plugin_test::Gate gate(gate_path);
  if (!gate.ok()) return absl::InternalError("the gate plugin is not loaded");
  absl::StatusOr<v1::RatingServiceEvaluateResponse> evaluated;
  std::thread caller([&] {
    v1::RatingServiceEvaluateRequest request;
    request.set_plan(plan);
    evaluated = ratings.Evaluate(request);
  });
  absl::Cleanup finish = [&] {
    gate.open();
    caller.join();
  };
  held(gate);
  std::move(finish).Invoke();
  return evaluated;
}

// The same, held at the gate (the plan's one batch) while `write` commits.
absl::StatusOr<v1::RatingServiceEvaluateResponse> EvaluateAcross(
    Ratings& ratings, const std::string& gate_path, const std::string& plan,
    const std::function<void()>& write) {
  return EvaluateWhile(ratings, gate_path, plan, [&](plugin_test::Gate& gate) {
    ASSERT_TRUE(gate.wait_entered(1, 60000)) << "the gate saw no call";
    write();
  });
}

TEST_F(DomainRatingVersionTest, ARatingNamesTheVersionThatRanThoughAReloadCameBetween) {
  const std::string plan = MakeGatePlan();
  auto evaluated = EvaluateWhile(*ratings_, GatePath(), plan, [&](plugin_test::Gate& gate) {
    ASSERT_TRUE(gate.wait_entered(1, 60000));
    // Version 2 is installed and loaded while version 1 still evaluates.
    InstallGate(TORIKUMI_GATE_V2_SO);
    ASSERT_TRUE(host_->Reload().ok());
    ASSERT_EQ(host_->List().size(), 1u);
    ASSERT_EQ(host_->List()[0].version(), "2.0.0");
  });

  ASSERT_TRUE(evaluated.ok()) << evaluated.status();
  ASSERT_EQ(evaluated->ratings_size(), 1);
  EXPECT_EQ(evaluated->ratings(0).reason(), "gate 1.0.0");
  EXPECT_EQ(evaluated->ratings(0).evaluator_version(), "1.0.0");
  v1::ListRatingsRequest list;
  list.set_page_size(1000);
  list.set_plan(plan);
  auto recorded = ratings_->List(list);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  ASSERT_EQ(recorded->ratings_size(), 1);
  EXPECT_EQ(recorded->ratings(0).evaluator_version(), "1.0.0");

  // The next evaluation runs version 2 and says so.
  v1::RatingServiceEvaluateRequest again;
  again.set_plan(plan);
  auto second = ratings_->Evaluate(again);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->ratings_size(), 1);
  EXPECT_EQ(second->ratings(0).evaluator_version(), "2.0.0");
}

TEST_F(DomainRatingVersionTest, AReratingDoesNotBuryAWriteThatCommittedWhileItRan) {
  const std::string plan = MakeGatePlan();
  plugin_test::Gate gate(GatePath());
  ASSERT_TRUE(gate.ok());
  auto inputs = store_->ReadPlanInputs(plan, "");
  ASSERT_TRUE(inputs.ok() && inputs->initiatives.size() == 1u);
  const std::string initiative = inputs->initiatives[0].name();

  absl::Status rerated;
  {
    std::thread caller([&] { rerated = ratings_->RerateInitiative(initiative, kTriggerOutcome); });
    absl::Cleanup finish = [&] {
      gate.open();
      caller.join();
    };
    ASSERT_TRUE(gate.wait_entered(1, 60000));
    // While the re-rating evaluates what it read, an outcome of the initiative is written.
    WriteOutcome(initiative);
  }
  ASSERT_TRUE(rerated.ok()) << rerated;

  // The one rating recorded is of the inputs with the outcome: the same as rating them now.
  const std::vector<v1::ComputedRating> recorded = RecordedRatings(plan);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].input_sha256(), InputHashNow(initiative));
}

TEST_F(DomainRatingVersionTest, AWholePlanEvaluationDoesNotBuryAWriteThatCommittedWhileItRan) {
  const TwoInitiatives made = MakeTwoInitiativePlan();
  ASSERT_FALSE(made.second.empty());
  const std::string& plan = made.plan;
  const std::string& written = made.first;

  // While the evaluation evaluates what it read, an outcome of one initiative is written.
  auto evaluated = EvaluateAcross(*ratings_, GatePath(), plan, [&] { WriteOutcome(written); });
  ASSERT_TRUE(evaluated.ok()) << evaluated.status();
  ASSERT_EQ(evaluated->ratings_size(), 2);

  // Each initiative has one rating, and the written one's is of its inputs with the outcome:
  // the same as rating them now, and the same as the answer says.
  const std::vector<v1::ComputedRating> recorded = RecordedRatings(plan);
  ASSERT_EQ(recorded.size(), 2u);
  const std::string now = InputHashNow(written);
  int of_written = 0;
  for (const v1::ComputedRating& rating : recorded) {
    if (rating.initiative() != written) continue;
    ++of_written;
    EXPECT_EQ(rating.input_sha256(), now);
  }
  EXPECT_EQ(of_written, 1);
  for (const v1::ComputedRating& answered : evaluated->ratings()) {
    const bool found =
        std::any_of(recorded.begin(), recorded.end(), [&](const v1::ComputedRating& r) {
          return r.initiative() == answered.initiative() &&
                 r.input_sha256() == answered.input_sha256();
        });
    EXPECT_TRUE(found) << answered.initiative() << " was answered as it was not recorded";
  }
}

// An outcome that moves the plan's latest as-of date changes the inputs of every initiative,
// the ones it is not of too: none of the snapshot's ratings is recorded, all are rated anew.
TEST_F(DomainRatingVersionTest, AnOutcomeThatMovedTheAsOfDateMakesTheWholePlanRatedAgain) {
  const TwoInitiatives made = MakeTwoInitiativePlan();
  ASSERT_FALSE(made.second.empty());
  const std::string& plan = made.plan;
  const std::string& written = made.first;
  const std::string& untouched = made.second;

  auto evaluated =
      EvaluateAcross(*ratings_, GatePath(), plan, [&] { WriteOutcome(written, 2020); });
  ASSERT_TRUE(evaluated.ok()) << evaluated.status();
  ASSERT_EQ(evaluated->ratings_size(), 2);
  const std::vector<v1::ComputedRating> recorded = RecordedRatings(plan);
  ASSERT_EQ(recorded.size(), 2u);
  for (const v1::ComputedRating& rating : recorded)
    EXPECT_EQ(rating.input_sha256(), InputHashNow(rating.initiative())) << rating.initiative();
  for (const v1::ComputedRating& answered : evaluated->ratings()) {
    if (answered.initiative() == untouched)
      EXPECT_EQ(answered.input_sha256(), InputHashNow(untouched));
  }
}

// An initiative written again during every attempt to record its rating is left out, and
// the call still answers the ratings it recorded: they are committed, so no error.
TEST_F(DomainRatingVersionTest, AnInitiativeWrittenDuringEveryAttemptIsLeftOutWithoutAnError) {
  const TwoInitiatives made = MakeTwoInitiativePlan();
  ASSERT_FALSE(made.second.empty());
  const std::string& plan = made.plan;
  const std::string& written = made.first;
  // Each attempt's evaluation is held at the gate while the initiative is written again.
  auto evaluated = EvaluateWhile(*ratings_, GatePath(), plan, [&](plugin_test::Gate& gate) {
    for (int attempt = 1; attempt <= 3; ++attempt) {
      ASSERT_TRUE(gate.wait_entered(attempt, 60000)) << "attempt " << attempt;
      WriteOutcome(written, 0, absl::StrCat("庁内 ", attempt, "人"));
      gate.let_through(1);
    }
  });
  ASSERT_TRUE(evaluated.ok()) << evaluated.status();
  ASSERT_EQ(evaluated->ratings_size(), 1);
  EXPECT_EQ(evaluated->ratings(0).initiative(), made.second);
  const std::vector<v1::ComputedRating> recorded = RecordedRatings(plan);
  ASSERT_EQ(recorded.size(), 1u) << "the written initiative got a rating of older inputs";
  EXPECT_EQ(recorded[0].initiative(), made.second);
}

TEST_F(DomainRatingVersionTest, AnInitiativeNamedTwiceIsRefused) {
  const std::string plan = MakeGatePlan();
  auto inputs = store_->ReadPlanInputs(plan, "");
  ASSERT_TRUE(inputs.ok() && inputs->initiatives.size() == 1u);
  v1::RatingServiceEvaluateRequest request;
  request.set_plan(plan);
  request.add_initiatives(inputs->initiatives[0].name());
  request.add_initiatives(inputs->initiatives[0].name());
  auto evaluated = ratings_->Evaluate(request);
  EXPECT_EQ(evaluated.status().code(), absl::StatusCode::kInvalidArgument) << evaluated.status();
  EXPECT_TRUE(absl::StrContains(evaluated.status().message(), "initiatives[1]"))
      << evaluated.status();
  EXPECT_TRUE(RecordedRatings(plan).empty()) << "a refused evaluation recorded a rating";
}

TEST_F(DomainRatingVersionTest, AnInitiativeDeletedWhileAWholePlanEvaluationRanIsLeftOut) {
  const std::string plan = MakeGatePlan();
  auto other = CreateInitiative(plan, SimpleInitiative("職員研修", 2, "研修"));
  ASSERT_TRUE(other.ok()) << other.status();
  auto evaluated = EvaluateAcross(*ratings_, GatePath(), plan, [&] {
    absl::Status deleted = store_->DeleteInitiative(other->name(), true, "");
    ASSERT_TRUE(deleted.ok()) << deleted;
  });
  ASSERT_TRUE(evaluated.ok()) << evaluated.status();
  ASSERT_EQ(evaluated->ratings_size(), 1);
  EXPECT_NE(evaluated->ratings(0).initiative(), other->name());
  const std::vector<v1::ComputedRating> recorded = RecordedRatings(plan);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].initiative(), evaluated->ratings(0).initiative());
}

TEST_F(DomainRatingVersionTest, PendingJobsAreBoundedAndTheSameWorkIsQueuedOnce) {
  const std::string plan = MakeGatePlan();
  plugin_test::Gate gate(GatePath());
  ASSERT_TRUE(gate.ok());
  RatingJobs jobs(*ratings_, *store_);
  absl::Cleanup open = [&] { gate.open(); };
  ASSERT_TRUE(jobs.Start("held", {plan}, kTriggerReload).ok());
  ASSERT_TRUE(gate.wait_entered(1, 60000));  // the worker is busy with it until the gate opens

  auto first = jobs.Start("again", {plan}, kTriggerReload);
  auto same = jobs.Start("again", {plan}, kTriggerReload);
  ASSERT_TRUE(first.ok() && same.ok());
  EXPECT_EQ(*first, *same) << "work equal to a pending job's is that job";
  for (int i = 1; i < kMaxPendingJobs; ++i) {
    ASSERT_TRUE(jobs.Start("other", {absl::StrCat(plan, "-", i)}, kTriggerReload).ok()) << i;
  }
  auto refused = jobs.Start("one too many", {plan + "-x"}, kTriggerReload);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "64 jobs are waiting already"))
      << refused.status();
  std::move(open).Invoke();
  EXPECT_TRUE(jobs.WaitIdle(absl::Minutes(1)));
  EXPECT_EQ(jobs.List()->size(), static_cast<size_t>(kMaxPendingJobs) + 1);
}

}  // namespace
}  // namespace torikumi::domain::testing
