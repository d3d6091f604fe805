// The real torikumi-server binary with a plugins directory that holds, beside rules.so,
// plugins that misbehave in each way the host guards against (built by tests/evaluators):
// a wrong ABI version and a missing entry point are refused at start with one log line
// each; a plugin whose output is garbage and one that hangs fail their own calls
// (INTERNAL, and DEADLINE_EXCEEDED after --plugin_call_limit), and their background
// re-rating jobs, while the server keeps serving. Every wait is bounded.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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

// The lines of `log` that mention `text`.
std::vector<std::string> LinesWith(const std::string& log, const std::string& text) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, text)) lines.emplace_back(line);
  }
  return lines;
}

class MisbehavingPluginsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string plugins = dir_.File("plugins");
    std::filesystem::create_directories(plugins);
    std::filesystem::copy_file(TORIKUMI_BUILT_PLUGINS_DIR "/rules.so", plugins + "/rules.so");
    for (const char* name : {"wrong_abi", "no_entry_point", "garbage_output", "gate_v1"}) {
      std::filesystem::copy_file(absl::StrCat(TORIKUMI_TEST_PLUGINS_DIR, "/", name, ".so"),
                                 absl::StrCat(plugins, "/", name, ".so"));
    }
    server_ = std::make_unique<ServerProcess>(
        dir_, TORIKUMI_SERVER_BINARY,
        std::vector<std::string>{"--listen=127.0.0.1:0", "--db=" + dir_.File("torikumi.db"),
                                 "--demo_table=" TORIKUMI_SEED_TSV, "--demo_org=demo",
                                 "--plugins_dir=" + plugins, "--plugin_call_limit=1s",
                                 // Today's in-process host: plugin_isolation_process_test.cc
                                 // has the same faults with worker processes.
                                 "--plugin_isolation=none"});
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

  // Creates a rule set run by `evaluator`, names it on the demo plan, and returns the job
  // that the change started.
  std::string RateWith(const std::string& evaluator) {
    v1::CreateRuleSetRequest create;
    create.set_parent(kOrg);
    create.set_rule_set_id(evaluator == "gate" ? "gate" : "garbage");
    create.mutable_rule_set()->set_evaluator(evaluator);
    create.mutable_rule_set()->set_body("anything");
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

  v1::Job WaitForJob(const std::string& job) { return server_test::WaitForJob(*ratings_, job); }

  grpc::Status EvaluatePlan() {
    v1::RatingServiceEvaluateRequest evaluate;
    evaluate.set_plan(kPlan);
    v1::RatingServiceEvaluateResponse evaluated;
    return ratings_->Evaluate(Context().get(), evaluate, &evaluated);
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

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::PlanService::Stub> plans_;
  std::unique_ptr<v1::RuleSetService::Stub> rule_sets_;
  std::unique_ptr<v1::RatingService::Stub> ratings_;
};

TEST_F(MisbehavingPluginsTest, WrongAbiAndMissingEntryPointAreRefusedWithOneLogLineEach) {
  const std::string log = server_->Log();
  const std::vector<std::string> wrong_abi = LinesWith(log, "wrong_abi.so");
  ASSERT_EQ(wrong_abi.size(), 1u) << log;
  EXPECT_TRUE(absl::StrContains(wrong_abi[0], "refused")) << wrong_abi[0];
  EXPECT_TRUE(absl::StrContains(wrong_abi[0], "ABI")) << wrong_abi[0];
  const std::vector<std::string> no_entry = LinesWith(log, "no_entry_point.so");
  ASSERT_EQ(no_entry.size(), 1u) << log;
  EXPECT_TRUE(absl::StrContains(no_entry[0], "refused")) << no_entry[0];
  EXPECT_TRUE(absl::StrContains(no_entry[0], "torikumi_evaluator_api")) << no_entry[0];

  v1::ListEvaluatorsResponse listed;
  ASSERT_TRUE(ratings_->ListEvaluators(Context().get(), v1::ListEvaluatorsRequest(), &listed).ok());
  std::vector<std::string> names;
  for (const v1::EvaluatorInfo& e : listed.evaluators()) names.push_back(e.name());
  EXPECT_EQ(names, (std::vector<std::string>{"garbage_output", "gate", "rules"}));
  EXPECT_EQ(listed.refused_size(), 2);
  ExpectStillServing();
}

TEST_F(MisbehavingPluginsTest, GarbageOutputFailsItsCallsAndItsJobOnly) {
  const std::string job = RateWith("garbage_output");
  ASSERT_FALSE(job.empty());
  v1::Job ended = WaitForJob(job);
  EXPECT_EQ(ended.state(), v1::Job::STATE_FAILED);
  ASSERT_EQ(ended.errors_size(), 1);
  EXPECT_TRUE(absl::StrContains(ended.errors(0), "malformed output")) << ended.errors(0);

  grpc::Status status = EvaluatePlan();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "garbage_output"))
      << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(), "malformed output"))
      << status.error_message();
  ExpectStillServing();
}

TEST_F(MisbehavingPluginsTest, AHangIsDeadlineExceededAfterTheCallLimitAndTheServerGoesOn) {
  const std::string job = RateWith("gate");
  ASSERT_FALSE(job.empty());
  v1::Job ended = WaitForJob(job);
  EXPECT_EQ(ended.state(), v1::Job::STATE_FAILED);
  ASSERT_EQ(ended.errors_size(), 1);
  EXPECT_TRUE(absl::StrContains(ended.errors(0), "DEADLINE_EXCEEDED")) << ended.errors(0);

  const absl::Time start = absl::Now();
  grpc::Status status = EvaluatePlan();
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(), "did not finish within 1s"))
      << status.error_message();
  EXPECT_GE(took, absl::Seconds(1));
  EXPECT_LT(took, absl::Seconds(15)) << "the call limit, not the client's deadline, ended it";
  ExpectStillServing();
  // SIGTERM still stops it (TearDown checks the exit), saying why it skips exit-time work.
  ASSERT_TRUE(server_->Stop()) << server_->Log();
  EXPECT_TRUE(absl::StrContains(server_->Log(), "abandoned past their time limit still running"))
      << server_->Log();
  server_.reset();
}

TEST(MisbehavingPluginsFlags, ANonPositiveCallLimitIsAUsageError) {
  TempDir dir;
  RunResult result = RunProgram(
      {TORIKUMI_SERVER_BINARY, "--plugin_call_limit=0s", "--db=" + dir.File("x.db")}, dir);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_TRUE(absl::StrContains(result.err, "--plugin_call_limit")) << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("x.db"))) << "nothing should be created";
}

}  // namespace
}  // namespace torikumi::server_test
