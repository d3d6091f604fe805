// When the rating an UpsertOutcome computed before its write no longer holds at the commit,
// the initiative is re-rated after the commit and the caller is answered only then; the
// re-rating runs on the executor, not on the store's single writer, so other writes commit
// while the evaluator works. The gate test plugin holds the re-rating's evaluation.
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "absl/cleanup/cleanup.h"
#include "services/common/bounded_executor.h"
#include "services/domain/auto_rerate.h"
#include "services/domain/rating_jobs.h"
#include "tests/domain/gate_fixture.h"
#include "tests/evaluators/test_plugins/gate.h"

namespace torikumi::domain::testing {
namespace {

using DomainReratingOffWriterTest = DomainGateTest;
using Answer = absl::StatusOr<v1::UpsertOutcomeResponse>;

constexpr auto kLongEnough = std::chrono::seconds(60);

TEST_F(DomainReratingOffWriterTest, OtherWritesCommitWhileTheReratingRunsAndTheAnswerWaitsForIt) {
  const std::string plan = MakeGatePlan();
  auto listed = store_->ListInitiatives(plan, v1::InitiativeFilter(), store::Page{});
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->items.size(), 1u);
  const std::string initiative = listed->items.front().name();
  plugin_test::Gate gate(GatePath());
  ASSERT_TRUE(gate.ok());
  RatingJobs jobs(*ratings_, *store_);
  AutoRerate triggers(*ratings_, jobs);
  BoundedExecutor executor("rerating", 2, 8);
  Outcomes outcomes(*store_, &executor);
  outcomes.set_rating_triggers(&triggers);

  v1::UpsertOutcomeRequest upsert;
  upsert.set_parent(initiative);
  upsert.mutable_outcome()->set_fiscal_year(2019);
  upsert.mutable_outcome()->set_text("研修を実施した");
  upsert.mutable_outcome()->set_status(v1::OUTCOME_STATUS_IMPLEMENTED);
  auto answer = std::make_shared<std::promise<Answer>>();
  std::future<Answer> answered = answer->get_future();
  std::thread caller(
      [&] { outcomes.Upsert(upsert, [answer](Answer a) { answer->set_value(std::move(a)); }); });
  // However the test ends, the gate opens and the answer comes before what it uses goes.
  absl::Cleanup finish = [&] {
    gate.open();
    caller.join();
    if (answered.valid()) answered.wait_for(kLongEnough);
  };

  // The rating before the write is computed with version 1 of the rule set; version 2 is
  // stored before the write commits, so the rating does not hold there.
  ASSERT_TRUE(gate.wait_entered(1, 60000));
  v1::RuleSet second;
  second.set_name("organizations/city/ruleSets/gate");
  second.set_evaluator("gate");
  second.set_body("another");
  ASSERT_TRUE(store_->CreateRuleSetVersion(second).ok());
  gate.let_through(1);
  // The re-rating after the commit reaches the gate and waits there.
  ASSERT_TRUE(gate.wait_entered(2, 60000));

  auto other = std::async(std::launch::async, [&] {
    v1::CreateOrganizationRequest request;
    request.set_organization_id("other");
    request.mutable_organization()->set_display_name("伊達市");
    return organizations_->Create(request).status();
  });
  const bool committed_meanwhile = other.wait_for(kLongEnough) == std::future_status::ready;
  const bool answered_early =
      answered.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready;
  gate.open();
  EXPECT_TRUE(committed_meanwhile) << "a write waited for the re-rating of another";
  EXPECT_TRUE(other.get().ok());
  EXPECT_FALSE(answered_early) << "the caller was answered before its initiative was re-rated";
  ASSERT_EQ(answered.wait_for(kLongEnough), std::future_status::ready);
  Answer a = answered.get();
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->created());
  // Once answered, the initiative's rating is the re-rating's, of version 2.
  auto latest = store_->ListRatings(plan, initiative, false, store::Page{});
  ASSERT_TRUE(latest.ok()) << latest.status();
  ASSERT_EQ(latest->items.size(), 1u);
  EXPECT_EQ(latest->items.front().trigger(), "outcome");
  EXPECT_EQ(latest->items.front().rule_set_version(), 2);
}

}  // namespace
}  // namespace torikumi::domain::testing
