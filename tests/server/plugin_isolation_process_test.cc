// The real torikumi-server binary with plugins in worker processes (the default
// --plugin_isolation=process) and the fault plugin of tests/evaluators beside rules.so: a
// plugin that segfaults, aborts, calls exit(3), hangs, allocates without bound or prints
// to stdout leaves the server serving; its call and its background re-rating job fail
// with a message naming the plugin and the cause; the next call works, the crashing
// plugin's own included (its crash was a one-off of that rule set); repeated crashes show
// as unhealthy in ListEvaluators. Every wait is bounded.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/fault_causes.h"
#include "tests/server/plugin_server_support.h"

namespace torikumi::server_test {
namespace {

using torikumi::fault_causes::CauseIsExact;
using torikumi::fault_causes::kCrashCausesAreExact;

class PluginIsolationProcessTest : public PluginServerTest {
 protected:
  void SetUp() override {
    // The call limit also bounds starting a worker, which a sanitizer build on a loaded
    // machine can take seconds to do: generous, since only the hang waits it out.
    StartServer({{TORIKUMI_TEST_PLUGINS_DIR "/fault_v1.so", "fault.so"}},
                {"--plugin_call_limit=10s", "--plugin_memory_limit_mb=256"});
  }

  // Names a new `fault` rule set with `body` on the demo plan; returns its re-rating job.
  std::string RateWithFault(const std::string& body) {
    return RateWith("fault", absl::StrCat("fault-", body, "-", ++rule_sets_made_), body);
  }

  // The fault plugin with a well-behaved rule set rates the whole plan, job and call.
  void ExpectAGoodRuleSetWorks() {
    v1::Job job = WaitForJob(RateWithFault("ok"));
    EXPECT_EQ(job.state(), v1::Job::STATE_SUCCEEDED) << job.DebugString();
    v1::RatingServiceEvaluateResponse evaluated;
    grpc::Status status = EvaluatePlan(&evaluated);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_GT(evaluated.ratings_size(), 0);
  }

  int rule_sets_made_ = 0;
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
      {"hang", grpc::StatusCode::DEADLINE_EXCEEDED, "did not finish within 10s"},
  };
  for (const Fault& fault : faults) {
    SCOPED_TRACE(fault.body);
    // The background re-rating of the whole plan meets the fault first: it ends FAILED
    // with the reason.
    v1::Job job = WaitForJob(RateWithFault(fault.body));
    EXPECT_EQ(job.state(), v1::Job::STATE_FAILED);
    ASSERT_EQ(job.errors_size(), 1);
    if (CauseIsExact(fault.body)) {
      EXPECT_TRUE(absl::StrContains(job.errors(0), fault.cause)) << job.errors(0);
    }

    v1::RatingServiceEvaluateResponse evaluated;
    grpc::Status status = EvaluatePlan(&evaluated);
    EXPECT_EQ(status.error_code(), fault.code) << status.error_message();
    EXPECT_TRUE(absl::StrContains(status.error_message(), "evaluator fault 1.0.0"))
        << status.error_message();
    if (CauseIsExact(fault.body)) {
      EXPECT_TRUE(absl::StrContains(status.error_message(), fault.cause)) << status.error_message();
    }
    ExpectStillServing();
    ExpectAGoodRuleSetWorks();
  }
}

TEST_F(PluginIsolationProcessTest, APluginPrintingToStdoutStillRates) {
  v1::Job job = WaitForJob(RateWithFault("stdout"));
  EXPECT_EQ(job.state(), v1::Job::STATE_SUCCEEDED) << job.DebugString();
  v1::RatingServiceEvaluateResponse evaluated;
  grpc::Status status = EvaluatePlan(&evaluated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(evaluated.ratings_size(), 0);
}

TEST_F(PluginIsolationProcessTest, RepeatedCrashesShowAsUnhealthyInListEvaluators) {
  v1::Job job = WaitForJob(RateWithFault("segfault"));
  EXPECT_EQ(job.state(), v1::Job::STATE_FAILED);
  for (int i = 0; i < 2; ++i) {
    v1::RatingServiceEvaluateResponse evaluated;
    EXPECT_EQ(EvaluatePlan(&evaluated).error_code(), grpc::StatusCode::UNAVAILABLE);
  }
  v1::ListEvaluatorsResponse listed;
  ASSERT_TRUE(
      ratings_->ListEvaluators(PluginTestContext().get(), v1::ListEvaluatorsRequest(), &listed)
          .ok());
  ASSERT_EQ(listed.evaluators_size(), 2);
  const v1::EvaluatorInfo& fault = listed.evaluators(0);
  ASSERT_EQ(fault.name(), "fault");
  EXPECT_TRUE(fault.unhealthy());
  if (kCrashCausesAreExact) {
    EXPECT_TRUE(absl::StrContains(fault.last_error(), "SIGSEGV")) << fault.last_error();
  }
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
