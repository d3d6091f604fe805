// The real torikumi-server binary with plugins in worker processes (the default
// --plugin_isolation=process) and the fault plugin of tests/evaluators beside rules.so: a
// plugin that segfaults, aborts, calls exit(3), hangs, allocates without bound or prints
// to stdout leaves the server serving; its call and its background re-rating job fail
// with a message naming the plugin and the cause; the next call works, the crashing
// plugin's own included (its crash was a one-off of that rule set); repeated crashes show
// as unhealthy in ListEvaluators. Every wait is bounded.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/server/rating_jobs_support.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/rating_service.grpc.pb.h"
#include "torikumi/v1/rule_set_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

constexpr char kOrg[] = "organizations/demo";
constexpr char kPlan[] = "organizations/demo/plans/hr-plan-progress-h30-r4";

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  return context;
}

class PluginIsolationProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string plugins = dir_.File("plugins");
    std::filesystem::create_directories(plugins);
    std::filesystem::copy_file(TORIKUMI_BUILT_PLUGINS_DIR "/rules.so", plugins + "/rules.so");
    std::filesystem::copy_file(TORIKUMI_TEST_PLUGINS_DIR "/fault_v1.so", plugins + "/fault.so");
    server_ = std::make_unique<ServerProcess>(
        dir_, TORIKUMI_SERVER_BINARY,
        std::vector<std::string>{"--listen=127.0.0.1:0", "--db=" + dir_.File("torikumi.db"),
                                 "--demo_table=" TORIKUMI_SEED_TSV, "--demo_org=demo",
                                 "--plugins_dir=" + plugins, "--plugin_call_limit=2s",
                                 "--plugin_memory_limit_mb=256"});
    ASSERT_EQ(server_->Launch(), "");
    plans_ = v1::PlanService::NewStub(server_->Channel());
    rule_sets_ = v1::RuleSetService::NewStub(server_->Channel());
    ratings_ = v1::RatingService::NewStub(server_->Channel());
  }

  void TearDown() override {
    if (server_ != nullptr) {
      EXPECT_TRUE(server_->Stop()) << server_->Log();
    }
  }

  // Names a new `fault` rule set with `body` on the demo plan; returns the re-rating job
  // that the change started.
  std::string RateWithFault(const std::string& body) {
    v1::CreateRuleSetRequest create;
    create.set_parent(kOrg);
    create.set_rule_set_id(absl::StrCat("fault-", body, "-", ++rule_sets_made_));
    create.mutable_rule_set()->set_evaluator("fault");
    create.mutable_rule_set()->set_body(body);
    create.set_plan(kPlan);
    v1::CreateRuleSetResponse created;
    grpc::Status status = rule_sets_->CreateRuleSet(Context().get(), create, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    v1::UpdatePlanRequest update;
    update.mutable_plan()->set_name(kPlan);
    update.mutable_plan()->set_rule_set(created.rule_set().name());
    update.mutable_update_mask()->add_paths("rule_set");
    v1::UpdatePlanResponse updated;
    status = plans_->UpdatePlan(Context().get(), update, &updated);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return updated.rating_job();
  }

  grpc::Status EvaluatePlan(v1::RatingServiceEvaluateResponse* evaluated) {
    v1::RatingServiceEvaluateRequest evaluate;
    evaluate.set_plan(kPlan);
    return ratings_->Evaluate(Context().get(), evaluate, evaluated);
  }

  // The server still answers an ordinary read, and its health check says SERVING.
  void ExpectStillServing() {
    v1::GetPlanRequest get;
    get.set_name(kPlan);
    v1::GetPlanResponse got;
    grpc::Status status = plans_->GetPlan(Context().get(), get, &got);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(WaitForServing(server_->address(), kWaitBound));
  }

  // The fault plugin with a well-behaved rule set rates the whole plan, job and call.
  void ExpectAGoodRuleSetWorks() {
    v1::Job job = WaitForJob(*ratings_, RateWithFault("ok"));
    EXPECT_EQ(job.state(), v1::Job::STATE_SUCCEEDED) << job.DebugString();
    v1::RatingServiceEvaluateResponse evaluated;
    grpc::Status status = EvaluatePlan(&evaluated);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_GT(evaluated.ratings_size(), 0);
  }

  TempDir dir_;
  int rule_sets_made_ = 0;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::PlanService::Stub> plans_;
  std::unique_ptr<v1::RuleSetService::Stub> rule_sets_;
  std::unique_ptr<v1::RatingService::Stub> ratings_;
};

struct Fault {
  std::string body;
  grpc::StatusCode code;
  std::string cause;
};

TEST_F(PluginIsolationProcessTest, EachFaultFailsItsCallAndJobClearlyAndTheServerGoesOn) {
  const Fault faults[] = {
      {"segfault", grpc::StatusCode::UNAVAILABLE, "killed by signal SIGSEGV"},
      {"abort", grpc::StatusCode::UNAVAILABLE, "killed by signal SIGABRT"},
      {"exit3", grpc::StatusCode::UNAVAILABLE, "exited with code 3"},
      {"oom", grpc::StatusCode::UNAVAILABLE, "ran out of its memory limit (256 MiB)"},
      {"hang", grpc::StatusCode::DEADLINE_EXCEEDED, "did not finish within 2s"},
  };
  for (const Fault& fault : faults) {
    SCOPED_TRACE(fault.body);
    // The background re-rating of the whole plan meets the fault first: it ends FAILED
    // with the reason.
    v1::Job job = WaitForJob(*ratings_, RateWithFault(fault.body));
    EXPECT_EQ(job.state(), v1::Job::STATE_FAILED);
    ASSERT_EQ(job.errors_size(), 1);
    EXPECT_TRUE(absl::StrContains(job.errors(0), fault.cause)) << job.errors(0);

    v1::RatingServiceEvaluateResponse evaluated;
    grpc::Status status = EvaluatePlan(&evaluated);
    EXPECT_EQ(status.error_code(), fault.code) << status.error_message();
    EXPECT_TRUE(absl::StrContains(status.error_message(), "evaluator fault 1.0.0"))
        << status.error_message();
    EXPECT_TRUE(absl::StrContains(status.error_message(), fault.cause)) << status.error_message();
    ExpectStillServing();
    ExpectAGoodRuleSetWorks();
  }
}

TEST_F(PluginIsolationProcessTest, APluginPrintingToStdoutStillRates) {
  v1::Job job = WaitForJob(*ratings_, RateWithFault("stdout"));
  EXPECT_EQ(job.state(), v1::Job::STATE_SUCCEEDED) << job.DebugString();
  v1::RatingServiceEvaluateResponse evaluated;
  grpc::Status status = EvaluatePlan(&evaluated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(evaluated.ratings_size(), 0);
}

TEST_F(PluginIsolationProcessTest, RepeatedCrashesShowAsUnhealthyInListEvaluators) {
  v1::Job job = WaitForJob(*ratings_, RateWithFault("segfault"));
  EXPECT_EQ(job.state(), v1::Job::STATE_FAILED);
  for (int i = 0; i < 2; ++i) {
    v1::RatingServiceEvaluateResponse evaluated;
    EXPECT_EQ(EvaluatePlan(&evaluated).error_code(), grpc::StatusCode::UNAVAILABLE);
  }
  v1::ListEvaluatorsResponse listed;
  ASSERT_TRUE(ratings_->ListEvaluators(Context().get(), v1::ListEvaluatorsRequest(), &listed).ok());
  ASSERT_EQ(listed.evaluators_size(), 2);
  const v1::EvaluatorInfo& fault = listed.evaluators(0);
  ASSERT_EQ(fault.name(), "fault");
  EXPECT_TRUE(fault.unhealthy());
  EXPECT_TRUE(absl::StrContains(fault.last_error(), "SIGSEGV")) << fault.last_error();
  EXPECT_FALSE(listed.evaluators(1).unhealthy());
  ExpectStillServing();
}

TEST(PluginIsolationFlags, AnUnknownIsolationIsAUsageError) {
  TempDir dir;
  RunResult result = RunProgram(
      {TORIKUMI_SERVER_BINARY, "--plugin_isolation=container", "--db=" + dir.File("x.db")}, dir);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_TRUE(absl::StrContains(result.err, "--plugin_isolation")) << result.err;
}

}  // namespace
}  // namespace torikumi::server_test
