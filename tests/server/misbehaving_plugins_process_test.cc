// The real torikumi-server binary with a plugins directory that holds, beside rules.so,
// plugins that misbehave in each way the host guards against (built by tests/evaluators):
// a wrong ABI version and a missing entry point are refused at start with one log line
// each; a plugin whose output is garbage and one that hangs fail their own calls
// (INTERNAL, and DEADLINE_EXCEEDED after --plugin_call_limit), and their background
// re-rating jobs, while the server keeps serving. Plugins run in the server's process
// (--plugin_isolation=none). Every wait is bounded.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/server/plugin_server_support.h"

namespace torikumi::server_test {
namespace {

// The lines of `log` that mention `text`.
std::vector<std::string> LinesWith(const std::string& log, const std::string& text) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, text)) lines.emplace_back(line);
  }
  return lines;
}

class MisbehavingPluginsTest : public PluginServerTest {
 protected:
  void SetUp() override {
    std::vector<std::pair<std::string, std::string>> plugins;
    for (const char* name : {"wrong_abi", "no_entry_point", "garbage_output", "gate_v1"}) {
      plugins.emplace_back(absl::StrCat(TORIKUMI_TEST_PLUGINS_DIR, "/", name, ".so"),
                           absl::StrCat(name, ".so"));
    }
    // Today's in-process host: plugin_isolation_process_test.cc has the same faults with
    // worker processes.
    StartServer(plugins, {"--plugin_call_limit=1s", "--plugin_isolation=none"});
  }

  // Creates a rule set run by `evaluator`, names it on the demo plan, and returns the job
  // that the change started.
  std::string RateWith(const std::string& evaluator) {
    return PluginServerTest::RateWith(evaluator, evaluator == "gate" ? "gate" : "garbage",
                                      "anything");
  }
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
  ASSERT_TRUE(
      ratings_->ListEvaluators(PluginTestContext().get(), v1::ListEvaluatorsRequest(), &listed)
          .ok());
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
