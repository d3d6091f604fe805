// A real torikumi-server binary with the demo plan and a plugins directory of chosen
// `.so` files beside rules.so, for the tests of misbehaving plugins; and the calls they
// make: name a new rule set on the demo plan (which starts a re-rating job), rate the plan,
// check that the server still serves. Header-only, like rating_jobs_support.h.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "tests/server/rating_jobs_support.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/rating_service.grpc.pb.h"
#include "torikumi/v1/rule_set_service.grpc.pb.h"

namespace torikumi::server_test {

inline constexpr char kPluginTestOrg[] = "organizations/demo";
inline constexpr char kPluginTestPlan[] = "organizations/demo/plans/hr-plan-progress-h30-r4";

// Far past the plugins' 10 s call limit, which a test that hangs a plugin waits out, plus the
// start of a worker process in a sanitizer build.
inline std::unique_ptr<grpc::ClientContext> PluginTestContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  return context;
}

// Creates the rule set `id` run by `evaluator` with `body`, names it on the demo plan, and
// returns the re-rating job that the change started.
inline std::string RateDemoPlanWith(v1::RuleSetService::Stub& rule_sets,
                                    v1::PlanService::Stub& plans, const std::string& evaluator,
                                    const std::string& id, const std::string& body) {
  v1::CreateRuleSetRequest create;
  create.set_parent(kPluginTestOrg);
  create.set_rule_set_id(id);
  create.mutable_rule_set()->set_evaluator(evaluator);
  create.mutable_rule_set()->set_body(body);
  create.set_plan(kPluginTestPlan);
  v1::CreateRuleSetResponse created;
  grpc::Status status = rule_sets.CreateRuleSet(PluginTestContext().get(), create, &created);
  EXPECT_TRUE(status.ok()) << status.error_message();
  v1::UpdatePlanRequest update;
  update.mutable_plan()->set_name(kPluginTestPlan);
  update.mutable_plan()->set_rule_set(created.rule_set().name());
  update.mutable_update_mask()->add_paths("rule_set");
  v1::UpdatePlanResponse updated;
  status = plans.UpdatePlan(PluginTestContext().get(), update, &updated);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return updated.rating_job();
}

class PluginServerTest : public ::testing::Test {
 protected:
  // Starts the server with rules.so and `plugins` (each a file copied under a name) in its
  // plugins directory, with `flags` after the common ones.
  void StartServer(const std::vector<std::pair<std::string, std::string>>& plugins,
                   const std::vector<std::string>& flags) {
    const std::string dir = dir_.File("plugins");
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(TORIKUMI_BUILT_PLUGINS_DIR "/rules.so", dir + "/rules.so");
    for (const auto& [file, name] : plugins) std::filesystem::copy_file(file, dir + "/" + name);
    std::vector<std::string> all = {"--listen=127.0.0.1:0", "--db=" + dir_.File("torikumi.db"),
                                    "--demo_table=" TORIKUMI_SEED_TSV, "--demo_org=demo",
                                    "--plugins_dir=" + dir};
    all.insert(all.end(), flags.begin(), flags.end());
    server_ = std::make_unique<ServerProcess>(dir_, TORIKUMI_SERVER_BINARY, all);
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

  // Creates the rule set `id` run by `evaluator` with `body`, names it on the demo plan,
  // and returns the re-rating job that the change started.
  std::string RateWith(const std::string& evaluator, const std::string& id,
                       const std::string& body) {
    return RateDemoPlanWith(*rule_sets_, *plans_, evaluator, id, body);
  }

  v1::Job WaitForJob(const std::string& job) { return server_test::WaitForJob(*ratings_, job); }

  grpc::Status EvaluatePlan(v1::RatingServiceEvaluateResponse* evaluated = nullptr) {
    v1::RatingServiceEvaluateRequest evaluate;
    evaluate.set_plan(kPluginTestPlan);
    v1::RatingServiceEvaluateResponse ignored;
    return ratings_->Evaluate(PluginTestContext().get(), evaluate,
                              evaluated == nullptr ? &ignored : evaluated);
  }

  // The server still answers an ordinary read, and its health check says SERVING.
  void ExpectStillServing() {
    v1::GetPlanRequest get;
    get.set_name(kPluginTestPlan);
    v1::GetPlanResponse got;
    grpc::Status status = plans_->GetPlan(PluginTestContext().get(), get, &got);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(WaitForServing(server_->address(), kWaitBound));
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::PlanService::Stub> plans_;
  std::unique_ptr<v1::RuleSetService::Stub> rule_sets_;
  std::unique_ptr<v1::RatingService::Stub> ratings_;
};

}  // namespace torikumi::server_test
