// Plugins in worker processes (Isolation::kProcess) that misbehave: the fault plugin
// (test_plugins/fault_plugin.cc) crashes, aborts, exits, hangs, eats memory, prints or
// tries what the system-call filter denies, as its rule-set body says. Each fault fails
// only its own call, with a message naming the plugin and the cause, and the next call
// works; nothing is left running. Also: reloads by content, and a reload during a call.
#include <signal.h>

#include <cerrno>
#include <filesystem>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "plugin_test_util.h"
#include "services/evaluators/evaluator_host.h"
#include "services/evaluators/process_plugin.h"
#include "tests/fault_causes.h"

namespace torikumi::evaluators {
namespace {

using torikumi::fault_causes::CauseIsExact;
using torikumi::fault_causes::kCrashCausesAreExact;

using plugin_test::BuiltPlugin;
using plugin_test::kSmallRuleSet;
using plugin_test::TempDir;

std::string FaultPlugin(int version) {
  return absl::StrCat(TORIKUMI_TEST_PLUGINS_DIR, "/fault_v", version, ".so");
}

v1::EvaluateRequest OneSubjectRequest() {
  v1::EvaluationSubject s = plugin_test::Subject("i1");
  plugin_test::AddOutcome(&s, 2019, "実施した");
  return plugin_test::Request({s});
}

bool ProcessIsGone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

// Each call's limit, which also bounds starting a worker for it: generous, because a worker
// of a sanitizer build on a loaded machine can take seconds to start; only the hang waits it.
constexpr absl::Duration kCallLimit = absl::Seconds(10);

class PluginIsolationTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_.Add(BuiltPlugin("rules"), "rules.so");
    dir_.Add(FaultPlugin(1), "fault.so");
    ASSERT_TRUE(host_.Reload().ok());
    ASSERT_EQ(host_.List().size(), 2u);
  }

  // Compiles `body` with the fault plugin and evaluates one subject with it.
  absl::StatusOr<v1::EvaluateResponse> EvaluateFault(const std::string& body) {
    auto instance = host_.Compile("fault", body);
    if (!instance.ok()) return instance.status();
    return host_.Evaluate(*instance, OneSubjectRequest());
  }

  void ExpectGoodCallsWork() {
    auto fault = EvaluateFault("ok");
    ASSERT_TRUE(fault.ok()) << fault.status();
    EXPECT_EQ(fault->evaluations(0).reason(), "fault 1.0.0");
    auto rules = host_.Compile("rules", kSmallRuleSet);
    ASSERT_TRUE(rules.ok()) << rules.status();
    auto rated = host_.Evaluate(*rules, OneSubjectRequest());
    ASSERT_TRUE(rated.ok()) << rated.status();
    EXPECT_EQ(rated->evaluations(0).grade(), "A");
  }

  pid_t FaultWorker() const {
    return dynamic_cast<const ProcessPlugin&>(*host_.Find("fault")).worker_pid();
  }

  TempDir dir_;
  EvaluatorHost host_{{.plugins_dir = dir_.path(),
                       .call_limit = kCallLimit,
                       .isolation = Isolation::kProcess,
                       .worker = {.memory_limit_mb = 256}}};
};

struct Fault {
  std::string body;
  absl::StatusCode code;
  std::string cause;
};

TEST_F(PluginIsolationTest, EachFaultFailsOnlyItsCallAndTheNextCallWorks) {
  const Fault faults[] = {
      {"segfault", absl::StatusCode::kUnavailable, "killed by signal SIGSEGV (Segmentation fault)"},
      {"abort", absl::StatusCode::kUnavailable, "killed by signal SIGABRT (Aborted)"},
      {"exit3", absl::StatusCode::kUnavailable, "exited with code 3"},
      {"oom", absl::StatusCode::kUnavailable, "ran out of its memory limit (256 MiB)"},
      {"hang", absl::StatusCode::kDeadlineExceeded,
       absl::StrCat("did not finish within ", absl::FormatDuration(kCallLimit))},
  };
  for (const Fault& fault : faults) {
    SCOPED_TRACE(fault.body);
    const pid_t worker = FaultWorker();
    ASSERT_GT(worker, 0);
    auto response = EvaluateFault(fault.body);
    ASSERT_EQ(response.status().code(), fault.code) << response.status();
    EXPECT_TRUE(
        absl::StrContains(response.status().message(), "evaluate() of evaluator fault 1.0.0"))
        << response.status();
    if (CauseIsExact(fault.body)) {
      EXPECT_TRUE(absl::StrContains(response.status().message(), fault.cause)) << response.status();
    }
    // The worker is gone (a hung one killed, not abandoned), and nothing runs on.
    EXPECT_TRUE(ProcessIsGone(worker)) << worker;
    EXPECT_EQ(host_.abandoned_calls(), 0);
    // The same plugin's next call gets a new worker and works; so does every other plugin.
    ExpectGoodCallsWork();
    EXPECT_NE(FaultWorker(), worker);
  }
}

TEST_F(PluginIsolationTest, APluginPrintingToStdoutDoesNotCorruptTheChannel) {
  auto response = EvaluateFault("stdout");
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->evaluations_size(), 1);
  EXPECT_EQ(response->evaluations(0).reason(), "fault 1.0.0");
}

TEST_F(PluginIsolationTest, RepeatedCrashesMarkThePluginUnhealthyUntilACallSucceeds) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(EvaluateFault("segfault").status().code(), absl::StatusCode::kUnavailable);
  }
  std::vector<v1::EvaluatorInfo> listed = host_.List();
  ASSERT_EQ(listed[0].name(), "fault");
  EXPECT_TRUE(listed[0].unhealthy());
  if (kCrashCausesAreExact) {
    EXPECT_TRUE(absl::StrContains(listed[0].last_error(), "SIGSEGV")) << listed[0].last_error();
  }
  EXPECT_FALSE(listed[1].unhealthy());  // rules

  ExpectGoodCallsWork();
  listed = host_.List();
  EXPECT_FALSE(listed[0].unhealthy());
  if (kCrashCausesAreExact) {
    EXPECT_TRUE(absl::StrContains(listed[0].last_error(), "SIGSEGV"));  // kept for the record
  }
}

TEST_F(PluginIsolationTest, AnInstanceCompiledBeforeACrashWorksAfterTheRestart) {
  auto good = host_.Compile("fault", "ok");
  ASSERT_TRUE(good.ok()) << good.status();
  ASSERT_TRUE(host_.Evaluate(*good, OneSubjectRequest()).ok());
  EXPECT_EQ(EvaluateFault("abort").status().code(), absl::StatusCode::kUnavailable);
  auto again = host_.Evaluate(*good, OneSubjectRequest());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->evaluations(0).reason(), "fault 1.0.0");
}

TEST_F(PluginIsolationTest, TheSystemCallFilterDeniesSocketsAndWritingFiles) {
  auto connect = EvaluateFault("connect");
  ASSERT_EQ(connect.status().code(), absl::StatusCode::kPermissionDenied) << connect.status();
  EXPECT_TRUE(absl::StrContains(connect.status().message(), "Operation not permitted"))
      << connect.status();
  const std::string file = dir_.path() + "/written-by-a-plugin";
  auto write = EvaluateFault("write-file:" + file);
  ASSERT_EQ(write.status().code(), absl::StatusCode::kPermissionDenied) << write.status();
  EXPECT_FALSE(std::filesystem::exists(file));
  // Reading is allowed: the rules plugin reads its dictionary.
  ExpectGoodCallsWork();
}

TEST_F(PluginIsolationTest, AReloadKeepsTheWorkerOfAnUnchangedFile) {
  const pid_t worker = FaultWorker();
  ASSERT_TRUE(host_.Reload().ok());
  EXPECT_EQ(FaultWorker(), worker);
}

TEST_F(PluginIsolationTest, AFileReplacedInPlaceRunsItsNewCodeAfterAReload) {
  const pid_t old_worker = FaultWorker();
  // Overwritten in place (same path and inode, new bytes), as `cp` over it does.
  std::filesystem::copy_file(FaultPlugin(2), dir_.path() + "/fault.so",
                             std::filesystem::copy_options::overwrite_existing);
  ASSERT_TRUE(host_.Reload().ok());
  auto response = EvaluateFault("ok");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->evaluations(0).reason(), "fault 2.0.0");
  EXPECT_EQ(host_.List()[0].version(), "2.0.0");
  EXPECT_TRUE(ProcessIsGone(old_worker));  // nothing held the old plugin: its worker stopped
}

TEST_F(PluginIsolationTest, AReloadDuringACallLetsItFinishOnTheOldWorkerThenStopsIt) {
  const pid_t old_worker = FaultWorker();
  absl::StatusOr<v1::EvaluateResponse> in_flight;
  {
    auto slow = host_.Compile("fault", "sleep");
    ASSERT_TRUE(slow.ok()) << slow.status();
    std::thread caller(
        [&, instance = *slow] { in_flight = host_.Evaluate(instance, OneSubjectRequest()); });
    slow->reset();
    absl::SleepFor(absl::Milliseconds(50));
    dir_.Replace(FaultPlugin(2), "fault.so");
    ASSERT_TRUE(host_.Reload().ok());
    auto fresh = EvaluateFault("ok");
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    EXPECT_EQ(fresh->evaluations(0).reason(), "fault 2.0.0");
    caller.join();
  }
  ASSERT_TRUE(in_flight.ok()) << in_flight.status();
  EXPECT_EQ(in_flight->evaluations(0).reason(), "fault 1.0.0");
  EXPECT_TRUE(ProcessIsGone(old_worker));
  EXPECT_EQ(host_.loaded_libraries(), 2);  // rules and the new fault
}

}  // namespace
}  // namespace torikumi::evaluators
