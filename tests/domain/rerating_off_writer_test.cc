// When the rating an UpsertOutcome computed before its write no longer holds at the commit,
// the initiative is re-rated after the commit and the caller is answered only then; the
// re-rating runs on an executor, not on the store's single writer, so other writes commit
// while the evaluator works. The gate test plugin holds the evaluations.
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "services/common/bounded_executor.h"
#include "services/domain/auto_rerate.h"
#include "services/domain/rating_jobs.h"
#include "services/store/write_origin.h"
#include "tests/domain/gate_fixture.h"
#include "tests/evaluators/test_plugins/gate.h"

namespace torikumi::domain::testing {
namespace {

using Answer = absl::StatusOr<v1::UpsertOutcomeResponse>;

// Who writes the outcome: the re-rating's record is audited under their name too.
constexpr char kClerk[] = "organizations/city/tokens/clerk";
constexpr auto kLongEnough = std::chrono::seconds(60);
// How long another write may take to commit while the re-rating is held: far more than a
// commit takes, far less than the gate holds it.
constexpr auto kACommitTakesLess = std::chrono::seconds(20);

class DomainReratingOffWriterTest : public DomainGateTest {
 protected:
  void SetUp() override {
    DomainGateTest::SetUp();
    plan_ = MakeGatePlan();
    auto listed = store_->ListInitiatives(plan_, v1::InitiativeFilter(), store::Page{});
    ASSERT_TRUE(listed.ok()) << listed.status();
    ASSERT_EQ(listed->items.size(), 1u);
    initiative_ = listed->items.front().name();
    jobs_ = std::make_unique<RatingJobs>(*ratings_, *store_);
    triggers_ = std::make_unique<AutoRerate>(*ratings_, *jobs_);
    gate_ = std::make_unique<plugin_test::Gate>(GatePath());
    ASSERT_TRUE(gate_->ok());
  }
  void TearDown() override {
    gate_.reset();
    triggers_.reset();
    jobs_.reset();
    DomainGateTest::TearDown();
  }

  // Starts an upsert of an outcome of the plan's one initiative through `outcomes`, whose
  // rating computed before the write does not hold at its commit: version 2 of the rule set
  // is stored while the gate holds that first evaluation. Returns once the write is on its
  // way to the commit; `answered_` gets its answer.
  void StartUpsertWhoseRatingGoesStale(Outcomes& outcomes) {
    v1::UpsertOutcomeRequest upsert;
    upsert.set_parent(initiative_);
    upsert.mutable_outcome()->set_fiscal_year(2019);
    upsert.mutable_outcome()->set_text("研修を実施した");
    upsert.mutable_outcome()->set_status(v1::OUTCOME_STATUS_IMPLEMENTED);
    auto answer = std::make_shared<std::promise<Answer>>();
    answered_ = answer->get_future();
    caller_ = std::thread([&outcomes, upsert, answer] {
      store::ScopedWriteOrigin origin({.principal = kClerk, .method = "OutcomeService/Upsert"});
      outcomes.Upsert(upsert, [answer](Answer a) { answer->set_value(std::move(a)); });
    });
    ASSERT_TRUE(gate_->wait_entered(1, 60000));
    v1::RuleSet second;
    second.set_name("organizations/city/ruleSets/gate");
    second.set_evaluator("gate");
    second.set_body("another");
    ASSERT_TRUE(store_->CreateRuleSetVersion(second).ok());
    gate_->let_through(1);
  }

  // However a test ends, the gate opens and the upsert is answered before the Outcomes and
  // executor it uses go.
  void FinishUpsert() {
    gate_->open();
    if (caller_.joinable()) caller_.join();
    if (answered_.valid()) answered_.wait_for(kLongEnough);
  }

  // The initiative's newest computed rating.
  v1::ComputedRating LatestRating() {
    auto latest = store_->ListRatings(plan_, initiative_, false, store::Page{});
    EXPECT_TRUE(latest.ok()) << latest.status();
    EXPECT_EQ(latest.ok() ? latest->items.size() : 0u, 1u);
    return latest.ok() && !latest->items.empty() ? latest->items.front() : v1::ComputedRating();
  }

  std::string plan_;
  std::string initiative_;
  std::unique_ptr<RatingJobs> jobs_;
  std::unique_ptr<AutoRerate> triggers_;
  std::unique_ptr<plugin_test::Gate> gate_;
  std::thread caller_;
  std::future<Answer> answered_;
};

TEST_F(DomainReratingOffWriterTest, OtherWritesCommitWhileTheReratingRunsAndTheAnswerWaitsForIt) {
  BoundedExecutor executor("rerating", 2, 8);
  Outcomes outcomes(*store_, executor);
  outcomes.set_rating_triggers(triggers_.get());
  absl::Cleanup finish = [&] { FinishUpsert(); };
  StartUpsertWhoseRatingGoesStale(outcomes);
  // The re-rating after the commit reaches the gate and waits there.
  ASSERT_TRUE(gate_->wait_entered(2, 60000));

  // A write of another organization (another initiative would do as well) commits meanwhile.
  auto other = std::async(std::launch::async, [&] {
    v1::CreateOrganizationRequest request;
    request.set_organization_id("other");
    request.mutable_organization()->set_display_name("伊達市");
    return organizations_->Create(request).status();
  });
  const bool committed_meanwhile = other.wait_for(kACommitTakesLess) == std::future_status::ready;
  const bool answered_early =
      answered_.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready;
  gate_->open();
  EXPECT_TRUE(committed_meanwhile) << "a write waited for the re-rating of another";
  EXPECT_TRUE(other.get().ok());
  EXPECT_FALSE(answered_early) << "the caller was answered before its initiative was re-rated";
  ASSERT_EQ(answered_.wait_for(kLongEnough), std::future_status::ready);
  Answer a = answered_.get();
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->created());
  // Once answered, the initiative's rating is the re-rating's, of version 2.
  const v1::ComputedRating latest = LatestRating();
  EXPECT_EQ(latest.trigger(), "outcome");
  EXPECT_EQ(latest.rule_set_version(), 2);
  // Recorded on the executor's thread, under the caller's origin still.
  store::AuditQuery query;
  query.principal = kClerk;
  auto audited = store_->ListAuditEvents(query, store::Page{});
  ASSERT_TRUE(audited.ok()) << audited.status();
  bool rating_audited = false;
  for (const v1::AuditEvent& event : audited->items)
    rating_audited |= absl::StrContains(event.resource(), "/computedRatings/");
  EXPECT_TRUE(rating_audited) << "the re-rating's record is not audited under " << kClerk;
}

TEST_F(DomainReratingOffWriterTest, AFullExecutorGetsTheCallerAClearStatusAndTheWriteStands) {
  // No queue: every piece of work is refused, as when the server is overloaded.
  BoundedExecutor full("rerating", 1, 0);
  Outcomes outcomes(*store_, full);
  outcomes.set_rating_triggers(triggers_.get());
  absl::Cleanup finish = [&] { FinishUpsert(); };
  StartUpsertWhoseRatingGoesStale(outcomes);
  ASSERT_EQ(answered_.wait_for(kLongEnough), std::future_status::ready);
  // Nothing evaluated in its place: not the writer's thread either.
  EXPECT_FALSE(gate_->wait_entered(2, 200));

  Answer a = answered_.get();
  EXPECT_EQ(a.status().code(), absl::StatusCode::kResourceExhausted) << a.status();
  const std::string outcome = initiative_ + "/outcomes/fy2019";
  EXPECT_TRUE(absl::StrContains(a.status().message(), "'" + outcome + "' was written"))
      << a.status();
  EXPECT_TRUE(absl::StrContains(a.status().message(), "was not re-rated")) << a.status();
  auto stored = store_->ListOutcomes(initiative_, 2019, store::Page{});
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(stored->items.size(), 1u);
  EXPECT_EQ(stored->items.front().text(), "研修を実施した");
}

TEST_F(DomainReratingOffWriterTest, AReratingQueuedWhenTheExecutorStopsRunsBeforeItGoes) {
  auto executor = std::make_unique<BoundedExecutor>("rerating", 1, 8);
  // The executor's one thread is busy until `release`: the re-rating waits in its queue.
  std::promise<void> release;
  ASSERT_TRUE(executor->TrySubmit([held = release.get_future().share()] { held.wait(); }).ok());
  Outcomes outcomes(*store_, *executor);
  outcomes.set_rating_triggers(triggers_.get());
  std::thread stopper;
  absl::Cleanup finish = [&] {
    FinishUpsert();
    if (stopper.joinable()) stopper.join();
  };
  StartUpsertWhoseRatingGoesStale(outcomes);
  gate_->open();
  // Once the outcome has committed, a write after it lands in a later group, which the writer
  // commits only after telling the earlier one: by then the re-rating is queued.
  for (int tries = 0; tries < 6000; ++tries) {
    auto stored = store_->ListOutcomes(initiative_, 2019, store::Page{});
    ASSERT_TRUE(stored.ok()) << stored.status();
    if (!stored->items.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  v1::CreateOrganizationRequest later;
  later.set_organization_id("other");
  later.mutable_organization()->set_display_name("伊達市");
  ASSERT_TRUE(organizations_->Create(later).ok());
  EXPECT_NE(answered_.wait_for(std::chrono::milliseconds(100)), std::future_status::ready)
      << "answered before the queued re-rating ran";

  // The server stops: the executor goes while the re-rating still waits in its queue.
  stopper = std::thread([&] { executor.reset(); });
  release.set_value();
  ASSERT_EQ(answered_.wait_for(kLongEnough), std::future_status::ready);
  Answer a = answered_.get();
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(LatestRating().rule_set_version(), 2);
}

}  // namespace
}  // namespace torikumi::domain::testing
