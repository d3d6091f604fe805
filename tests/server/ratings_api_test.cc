// Computed ratings over gRPC: a real in-process server with the real plugins directory
// of this build (rules.so, targets.so loaded with dlopen), the seed table imported, the
// shipped abc-implementation rule set created and set on the plan (which rates it in a
// background job), the plan evaluated and recorded, and CompareRatings reporting the
// agreement with the human ratings. Rule sets with mistakes are refused naming the rule;
// recording an outcome re-rates the initiative; a new rule-set version and a plugin reload
// re-rate in background jobs that complete.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/server/server.h"
#include "tests/server/rating_jobs_support.h"
#include "tests/server/test_database.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/outcome_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/rating_service.grpc.pb.h"
#include "torikumi/v1/rule_set_service.grpc.pb.h"

namespace torikumi {
namespace {

using server_test::TempDir;

constexpr absl::string_view kOrg = "organizations/city";

class ServerRatingsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> database = TestDatabase(dir_);
    ASSERT_TRUE(database.ok()) << database.status();
    absl::StatusOr<std::unique_ptr<server::Server>> server = server::Server::Open(*database);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(server_->EnableRatings(TORIKUMI_BUILT_PLUGINS_DIR).ok());
    ASSERT_TRUE(server_->LoadDemoTable(TORIKUMI_SEED_TSV, "city").ok());
    absl::Status started = server_->Start("127.0.0.1:0");
    ASSERT_TRUE(started.ok()) << started;
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    plans_ = v1::PlanService::NewStub(channel_);
    outcomes_ = v1::OutcomeService::NewStub(channel_);
    rule_sets_ = v1::RuleSetService::NewStub(channel_);
    ratings_ = v1::RatingService::NewStub(channel_);

    v1::ListPlansRequest list;
    list.set_parent(std::string(kOrg));
    v1::ListPlansResponse listed;
    ASSERT_TRUE(plans_->ListPlans(Context().get(), list, &listed).ok());
    ASSERT_EQ(listed.plans_size(), 1);
    plan_ = listed.plans(0);
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    return context;
  }

  grpc::Status CreateRuleSet(const std::string& id, const std::string& body,
                             v1::CreateRuleSetResponse* created) {
    v1::CreateRuleSetRequest request;
    request.set_parent(std::string(kOrg));
    request.set_rule_set_id(id);
    request.mutable_rule_set()->set_evaluator("rules");
    request.mutable_rule_set()->set_body(body);
    request.set_plan(plan_.name());
    return rule_sets_->CreateRuleSet(Context().get(), request, created);
  }

  // Names `rule_set` on the plan and waits for the job that rates the plan with it.
  void UseRuleSet(const std::string& rule_set) {
    v1::UpdatePlanRequest update;
    update.mutable_plan()->set_name(plan_.name());
    update.mutable_plan()->set_rule_set(rule_set);
    update.mutable_update_mask()->add_paths("rule_set");
    v1::UpdatePlanResponse updated;
    grpc::Status status = plans_->UpdatePlan(Context().get(), update, &updated);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(updated.plan().rule_set(), rule_set);
    ASSERT_FALSE(updated.rating_job().empty());
    EXPECT_EQ(WaitForJob(updated.rating_job()).state(), v1::Job::STATE_SUCCEEDED);
  }

  v1::Job WaitForJob(const std::string& job) { return server_test::WaitForJob(*ratings_, job); }

  TempDir dir_;
  std::unique_ptr<server::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::PlanService::Stub> plans_;
  std::unique_ptr<v1::OutcomeService::Stub> outcomes_;
  std::unique_ptr<v1::RuleSetService::Stub> rule_sets_;
  std::unique_ptr<v1::RatingService::Stub> ratings_;
  v1::Plan plan_;
};

TEST_F(ServerRatingsApiTest, SeedRatedWithAbcImplementationAgreesWithTheHumanRatings) {
  v1::ListEvaluatorsResponse evaluators;
  ASSERT_TRUE(
      ratings_->ListEvaluators(Context().get(), v1::ListEvaluatorsRequest(), &evaluators).ok());
  std::vector<std::string> names;
  for (const auto& e : evaluators.evaluators()) names.push_back(e.name());
  EXPECT_EQ(names, (std::vector<std::string>{"rules", "targets"}));

  v1::CreateRuleSetResponse created;
  grpc::Status status = CreateRuleSet(
      "abc-implementation",
      server_test::ReadFile(TORIKUMI_RULESETS_DIR "/abc-implementation.textproto"), &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.rule_set().name(), "organizations/city/ruleSets/abc-implementation");
  EXPECT_EQ(created.rule_set().version(), 1);
  UseRuleSet(created.rule_set().name());

  v1::RatingServiceEvaluateRequest evaluate;
  evaluate.set_plan(plan_.name());
  v1::RatingServiceEvaluateResponse evaluated;
  status = ratings_->Evaluate(Context().get(), evaluate, &evaluated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GE(evaluated.ratings_size(), 64);
  for (const v1::ComputedRating& rating : evaluated.ratings()) {
    EXPECT_FALSE(rating.reason().empty()) << rating.initiative();
    EXPECT_EQ(rating.rule_set(), created.rule_set().name());
    EXPECT_EQ(rating.input_sha256().size(), 64u);
  }

  v1::CompareRatingsRequest compare;
  compare.set_plan(plan_.name());
  v1::CompareRatingsResponse compared;
  status = ratings_->CompareRatings(Context().get(), compare, &compared);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(compared.compared(), 64);
  EXPECT_GE(compared.agreed(), 58);
  EXPECT_EQ(compared.agreed(), 60);
  EXPECT_NEAR(compared.agreement(), 60.0 / 64.0, 1e-9);
  EXPECT_EQ(compared.disagreements_size(), 4);
  for (const auto& d : compared.disagreements())
    EXPECT_FALSE(d.computed_reason().empty()) << d.initiative();

  v1::ExplainRatingRequest explain;
  explain.set_initiative(evaluated.ratings(0).initiative());
  v1::ExplainRatingResponse explained;
  ASSERT_TRUE(ratings_->ExplainRating(Context().get(), explain, &explained).ok());
  EXPECT_EQ(explained.computed().reason(), evaluated.ratings(0).reason());
  EXPECT_FALSE(explained.human().grade().empty());
}

TEST_F(ServerRatingsApiTest, RuleSetsWithMistakesAreRefusedNamingTheRule) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"pb(rules {
              id: "typo"
              grade: "B"
              when {
                fact {
                  name: "phse.fy2019"
                  any_of { values: "x" }
                }
              }
            }
            rules { id: "a" grade: "A" })pb",
       "typo"},
      {R"pb(rules {
              id: "excellent"
              grade: "S"
              when { fact { name: "outcomes" at_least: 3 } }
            }
            rules { id: "a" grade: "A" })pb",
       "excellent"},
      {R"pb(rules { id: "a" grade: "A" }
            rules {
              id: "late"
              grade: "C"
              when { fact { name: "outcomes" equals: 0 } }
            })pb",
       "late"},
      {R"pb(rules {
              id: "only-c"
              grade: "C"
              when { fact { name: "outcomes" equals: 0 } }
            })pb",
       "only-c"},
  };
  for (const auto& [body, rule] : cases) {
    v1::CreateRuleSetResponse created;
    grpc::Status status = CreateRuleSet("bad", body, &created);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << rule;
    EXPECT_TRUE(absl::StrContains(status.error_message(), absl::StrCat("\"", rule, "\"")))
        << status.error_message();
  }
  v1::ListRuleSetsRequest list;
  list.set_parent(std::string(kOrg));
  v1::ListRuleSetsResponse listed;
  ASSERT_TRUE(rule_sets_->ListRuleSets(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.rule_sets_size(), 0);
}

TEST_F(ServerRatingsApiTest, OutcomesNewVersionsAndReloadsReRate) {
  v1::CreateRuleSetResponse created;
  ASSERT_TRUE(
      CreateRuleSet("abc-implementation",
                    server_test::ReadFile(TORIKUMI_RULESETS_DIR "/abc-implementation.textproto"),
                    &created)
          .ok());
  UseRuleSet(created.rule_set().name());
  v1::RatingServiceEvaluateRequest evaluate;
  evaluate.set_plan(plan_.name());
  v1::RatingServiceEvaluateResponse evaluated;
  ASSERT_TRUE(ratings_->Evaluate(Context().get(), evaluate, &evaluated).ok());
  const std::string initiative = evaluated.ratings(0).initiative();

  // Recording an outcome re-rates that initiative: its history grows by one.
  v1::UpsertOutcomeRequest upsert;
  upsert.set_parent(initiative);
  upsert.mutable_outcome()->set_fiscal_year(2021);
  upsert.mutable_outcome()->set_text("実施できなかった");
  upsert.mutable_outcome()->set_status(v1::OUTCOME_STATUS_NOT_IMPLEMENTED);
  v1::UpsertOutcomeResponse upserted;
  grpc::Status status = outcomes_->UpsertOutcome(Context().get(), upsert, &upserted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::ListRatingsRequest history;
  history.set_page_size(1000);
  history.set_plan(plan_.name());
  history.set_initiative(initiative);
  history.set_history(true);
  v1::ListRatingsResponse listed;
  ASSERT_TRUE(ratings_->ListRatings(Context().get(), history, &listed).ok());
  ASSERT_EQ(listed.ratings_size(), 3);
  EXPECT_EQ(listed.ratings(0).trigger(), "outcome");
  EXPECT_EQ(listed.ratings(1).trigger(), "evaluate");
  EXPECT_EQ(listed.ratings(2).trigger(), "plan");

  // A plugin reload re-rates every plan with a rule set in a job that completes.
  v1::ReloadEvaluatorsResponse reloaded;
  ASSERT_TRUE(
      ratings_->ReloadEvaluators(Context().get(), v1::ReloadEvaluatorsRequest(), &reloaded).ok());
  EXPECT_EQ(reloaded.evaluators_size(), 2);
  ASSERT_FALSE(reloaded.job().empty());
  v1::Job job = WaitForJob(reloaded.job());
  EXPECT_EQ(job.state(), v1::Job::STATE_SUCCEEDED);
  EXPECT_EQ(job.done(), 1);
  EXPECT_EQ(job.total(), 1);
  ASSERT_TRUE(ratings_->ListRatings(Context().get(), history, &listed).ok());
  ASSERT_EQ(listed.ratings_size(), 4);
  EXPECT_EQ(listed.ratings(0).trigger(), "reload");

  // A new version of the plan's rule set re-rates it too, with the new version.
  v1::CreateRuleSetResponse second;
  ASSERT_TRUE(CreateRuleSet("abc-implementation",
                            "rules { id: \"all-a\" grade: \"A\" reason: \"always A\" }", &second)
                  .ok());
  EXPECT_EQ(second.rule_set().version(), 2);
  ASSERT_FALSE(second.rating_job().empty());
  v1::ListJobsResponse jobs;
  ASSERT_TRUE(ratings_->ListJobs(Context().get(), v1::ListJobsRequest(), &jobs).ok());
  ASSERT_EQ(jobs.jobs_size(), 3);  // the plan's rule set, the reload, the new version
  EXPECT_EQ(jobs.jobs(0).name(), second.rating_job());
  EXPECT_TRUE(absl::StrContains(jobs.jobs(0).description(), "abc-implementation@2"));
  job = WaitForJob(second.rating_job());
  EXPECT_EQ(job.state(), v1::Job::STATE_SUCCEEDED);
  ASSERT_TRUE(ratings_->ListRatings(Context().get(), history, &listed).ok());
  ASSERT_EQ(listed.ratings_size(), 5);
  EXPECT_EQ(listed.ratings(0).rule_set_version(), 2);
  EXPECT_EQ(listed.ratings(0).grade(), "A");

  // Both lists page like the others: pages of two give the same ratings in the same order.
  v1::ListRatingsRequest paged = history;
  paged.set_page_size(2);
  std::vector<std::string> triggers;
  do {
    v1::ListRatingsResponse page;
    ASSERT_TRUE(ratings_->ListRatings(Context().get(), paged, &page).ok());
    EXPECT_LE(page.ratings_size(), 2);
    EXPECT_EQ(page.total_size(), 5);
    for (const v1::ComputedRating& rating : page.ratings()) triggers.push_back(rating.trigger());
    paged.set_page_token(page.next_page_token());
  } while (!paged.page_token().empty());
  ASSERT_EQ(triggers.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(triggers[i], listed.ratings(i).trigger());
  v1::ListJobsRequest jobs_page;
  jobs_page.set_page_size(1);
  jobs_page.set_page_token("not-a-token");
  grpc::Status refused = ratings_->ListJobs(Context().get(), jobs_page, &jobs);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "page_token"));
  jobs_page.clear_page_token();
  ASSERT_TRUE(ratings_->ListJobs(Context().get(), jobs_page, &jobs).ok());
  ASSERT_EQ(jobs.jobs_size(), 1);
  EXPECT_EQ(jobs.total_size(), 3);
  EXPECT_FALSE(jobs.next_page_token().empty());

  v1::GetRuleSetRequest get;
  get.set_name("organizations/city/ruleSets/abc-implementation@1");
  v1::GetRuleSetResponse got;
  ASSERT_TRUE(rule_sets_->GetRuleSet(Context().get(), get, &got).ok());
  EXPECT_EQ(got.rule_set().version(), 1);
}

}  // namespace
}  // namespace torikumi
