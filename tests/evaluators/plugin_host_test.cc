// The plugin host against real .so files: the built-in plugins, and plugins built
// broken on purpose (wrong ABI, no entry point, malformed output, a call that hangs), with
// both isolations (in process, and in worker processes).
#include <dlfcn.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "plugin_test_util.h"
#include "services/evaluators/evaluator_host.h"
#include "test_plugins/gate.h"
#include "torikumi_evaluator.h"

namespace torikumi::evaluators {
namespace {

using plugin_test::BuiltPlugin;
using plugin_test::Gate;
using plugin_test::kSmallRuleSet;
using plugin_test::TempDir;

// A plugin built broken on purpose (tests/evaluators/test_plugins).
std::string TestPlugin(const std::string& name) {
  return std::string(TORIKUMI_TEST_PLUGINS_DIR) + "/" + name + ".so";
}

v1::EvaluateRequest OneSubjectRequest() {
  v1::EvaluationSubject s = plugin_test::Subject("i1");
  plugin_test::AddOutcome(&s, 2019, "実施した");
  return plugin_test::Request({s});
}

// Every test of the host runs with plugins in process and in worker processes, except
// those that hold a call at the gate of a plugin in this process (PluginHostInProcessTest;
// plugin_isolation_test.cc has their counterparts for workers).
class PluginHostTest : public testing::TestWithParam<Isolation> {
 protected:
  EvaluatorHost::Options HostOptions(const std::string& dir) const {
    return {.plugins_dir = dir, .isolation = GetParam()};
  }
};

INSTANTIATE_TEST_SUITE_P(BothIsolations, PluginHostTest,
                         testing::Values(Isolation::kInProcess, Isolation::kProcess),
                         [](const testing::TestParamInfo<Isolation>& info) {
                           return info.param == Isolation::kProcess ? "Process" : "InProcess";
                         });

// The `rules` plugin answers (the good plugin keeps working next to broken ones).
void ExpectRulesWorks(EvaluatorHost& host) {
  auto rules = host.Compile("rules", kSmallRuleSet);
  ASSERT_TRUE(rules.ok()) << rules.status();
  auto response = host.Evaluate(*rules, OneSubjectRequest());
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->evaluations_size(), 1);
  EXPECT_EQ(response->evaluations(0).grade(), "A");
}

// Reloads `dir` and returns the refusal reason for `file`, checking that the log has
// exactly one line about that file and that it says "refused" with the same reason.
std::string RefusalOf(EvaluatorHost& host, const std::string& file) {
  testing::internal::CaptureStderr();
  auto report = host.Reload();
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(report.ok()) << report.status();
  if (!report.ok()) return "";
  std::string reason;
  for (const auto& refused : report->refused) {
    if (refused.path == file) reason = refused.reason;
  }
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (!absl::StrContains(line, file)) continue;
    ++lines;
    EXPECT_TRUE(absl::StrContains(line, "refused: " + reason)) << line;
  }
  EXPECT_EQ(lines, 1) << log;
  return reason;
}

TEST_P(PluginHostTest, LoadsTheBuiltInPluginsAndListsThem) {
  TempDir dir;
  const std::string rules = dir.Add(BuiltPlugin("rules"), "rules.so");
  const std::string targets = dir.Add(BuiltPlugin("targets"), "targets.so");
  EvaluatorHost host(HostOptions(dir.path()));
  auto report = host.Reload();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->refused.empty());

  std::vector<v1::EvaluatorInfo> list = host.List();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name(), "rules");
  EXPECT_EQ(list[0].version(), "1.0.0");
  EXPECT_EQ(list[0].abi_major(), TORIKUMI_EVALUATOR_ABI_MAJOR);
  EXPECT_EQ(list[0].abi_minor(), TORIKUMI_EVALUATOR_ABI_MINOR);
  EXPECT_EQ(list[0].path(), rules);
  EXPECT_EQ(list[0].config_type(), "torikumi.plugins.rules.v1.RulesEvaluatorConfig");
  EXPECT_GT(list[0].facts_size(), 10);
  EXPECT_EQ(list[1].name(), "targets");
  EXPECT_EQ(list[1].path(), targets);
  EXPECT_EQ(list[1].config_type(), "torikumi.plugins.targets.v1.TargetsEvaluatorConfig");
  ExpectRulesWorks(host);
}

// The SDK adapter keeps a scratch block per thread for each call's arena, grown to the
// largest batch seen: batches that shrink and grow again on the same worker thread must
// each get exactly their own answers, none left over from an earlier batch.
TEST_P(PluginHostTest, BatchesOfChangingSizeOnOneThreadEachGetTheirOwnAnswers) {
  TempDir dir;
  dir.Add(BuiltPlugin("rules"), "rules.so");
  EvaluatorHost host(HostOptions(dir.path()));
  ASSERT_TRUE(host.Reload().ok());
  auto rules = host.Compile("rules", kSmallRuleSet);
  ASSERT_TRUE(rules.ok()) << rules.status();
  for (int size : {1, 300, 2, 1200, 5, 40}) {
    std::vector<v1::EvaluationSubject> subjects;
    for (int i = 0; i < size; ++i) {
      v1::EvaluationSubject s = plugin_test::Subject(absl::StrCat("s", size, "-", i));
      if (i % 3 != 0) plugin_test::AddOutcome(&s, 2019, std::string(50 + i % 7, 'x') + "実施した");
      subjects.push_back(std::move(s));
    }
    // A single worker thread: InfiniteDuration runs on this thread every time.
    auto response = host.Evaluate(*rules, plugin_test::Request(subjects), absl::InfiniteDuration());
    ASSERT_TRUE(response.ok()) << response.status();
    ASSERT_EQ(response->evaluations_size(), size);
    for (int i = 0; i < size; ++i) {
      EXPECT_EQ(response->evaluations(i).initiative(), subjects[i].initiative().name());
      EXPECT_EQ(response->evaluations(i).grade(), i % 3 != 0 ? "A" : "C") << size << " " << i;
    }
  }
}

TEST_P(PluginHostTest, RefusesWrongAbiMajorAndKeepsTheOthers) {
  TempDir dir;
  dir.Add(BuiltPlugin("rules"), "rules.so");
  const std::string bad = dir.Add(TestPlugin("wrong_abi"), "wrong_abi.so");
  EvaluatorHost host(HostOptions(dir.path()));
  const std::string reason = RefusalOf(host, bad);
  EXPECT_TRUE(absl::StrContains(reason, "wrong ABI 99.0")) << reason;
  EXPECT_TRUE(absl::StrContains(reason, "major version must match")) << reason;
  ASSERT_EQ(host.List().size(), 1u);
  ExpectRulesWorks(host);
}

TEST_P(PluginHostTest, RefusesAnAbiMinorNewerThanTheHost) {
  TempDir dir;
  dir.Add(BuiltPlugin("rules"), "rules.so");
  const std::string bad = dir.Add(TestPlugin("newer_minor"), "newer_minor.so");
  EvaluatorHost host(HostOptions(dir.path()));
  const std::string reason = RefusalOf(host, bad);
  EXPECT_TRUE(absl::StrContains(reason, "is newer than this host's")) << reason;
  ExpectRulesWorks(host);
}

TEST_P(PluginHostTest, RefusesALibraryWithoutTheEntryPoint) {
  TempDir dir;
  dir.Add(BuiltPlugin("rules"), "rules.so");
  const std::string bad = dir.Add(TestPlugin("no_entry_point"), "no_entry_point.so");
  EvaluatorHost host(HostOptions(dir.path()));
  const std::string reason = RefusalOf(host, bad);
  EXPECT_TRUE(absl::StrContains(reason, "missing entry point torikumi_evaluator_api")) << reason;
  ExpectRulesWorks(host);
}

TEST_P(PluginHostTest, RefusesAFileDlopenCannotLoad) {
  TempDir dir;
  dir.Add(BuiltPlugin("rules"), "rules.so");
  const std::string junk = dir.path() + "/junk.so";
  {
    std::FILE* f = std::fopen(junk.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("this is not a shared library\n", f);
    std::fclose(f);
  }
  EvaluatorHost host(HostOptions(dir.path()));
  const std::string reason = RefusalOf(host, junk);
  EXPECT_TRUE(absl::StartsWith(reason, "dlopen failed: ")) << reason;
  // The message names the file, not the /proc/self/fd path it was opened through.
  EXPECT_TRUE(absl::StrContains(reason, junk)) << reason;
  EXPECT_FALSE(absl::StrContains(reason, "/proc/self/fd")) << reason;
  ExpectRulesWorks(host);
}

TEST_P(PluginHostTest, RefusesASecondPluginWithATakenName) {
  TempDir dir;
  const std::string first = dir.Add(BuiltPlugin("rules"), "a-rules.so");
  const std::string second = dir.Add(BuiltPlugin("rules"), "b-rules.so");
  EvaluatorHost host(HostOptions(dir.path()));
  const std::string reason = RefusalOf(host, second);
  EXPECT_EQ(reason, "evaluator name \"rules\" is already taken by " + first);
  ASSERT_EQ(host.List().size(), 1u);
  EXPECT_EQ(host.List()[0].path(), first);
}

TEST_P(PluginHostTest, IgnoresFilesThatAreNotSharedLibraries) {
  TempDir dir;
  dir.Add(BuiltPlugin("rules"), "rules.so");
  dir.Add(plugin_test::RuleSetPath("abc-implementation"), "abc-implementation.textproto");
  EvaluatorHost host(HostOptions(dir.path()));
  auto report = host.Reload();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->loaded.size(), 1u);
  EXPECT_TRUE(report->refused.empty());
}

TEST_P(PluginHostTest, GarbageOutputIsAnErrorOfThatCallOnly) {
  TempDir dir;
  dir.Add(BuiltPlugin("rules"), "rules.so");
  dir.Add(TestPlugin("garbage_output"), "garbage_output.so");
  EvaluatorHost host(HostOptions(dir.path()));
  ASSERT_TRUE(host.Reload().ok());
  ASSERT_EQ(host.List().size(), 2u);
  auto garbage = host.Compile("garbage_output", "");
  ASSERT_TRUE(garbage.ok()) << garbage.status();
  auto response = host.Evaluate(*garbage, OneSubjectRequest());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(absl::StrContains(response.status().message(), "garbage_output 0.0.1"))
      << response.status();
  EXPECT_TRUE(
      absl::StrContains(response.status().message(),
                        "malformed output: the bytes do not parse as torikumi.v1.EvaluateResponse"))
      << response.status();
  ExpectRulesWorks(host);
}

TEST_P(PluginHostTest, AResponseMissingAnInitiativeIsAnError) {
  TempDir dir;
  dir.Add(TestPlugin("empty_output"), "empty_output.so");
  EvaluatorHost host(HostOptions(dir.path()));
  ASSERT_TRUE(host.Reload().ok());
  auto empty = host.Compile("empty_output", "");
  ASSERT_TRUE(empty.ok()) << empty.status();
  auto response = host.Evaluate(*empty, OneSubjectRequest());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(absl::StrContains(
      response.status().message(),
      "malformed output: no evaluation for \"organizations/o/plans/p/initiatives/i1\""))
      << response.status();
}

TEST_P(PluginHostTest, RefusesARequestWithoutUniqueInitiativeNames) {
  TempDir dir;
  dir.Add(BuiltPlugin("rules"), "rules.so");
  EvaluatorHost host(HostOptions(dir.path()));
  ASSERT_TRUE(host.Reload().ok());
  auto rules = host.Compile("rules", kSmallRuleSet);
  ASSERT_TRUE(rules.ok());
  v1::EvaluateRequest request =
      plugin_test::Request({plugin_test::Subject("i1"), plugin_test::Subject("i1")});
  auto response = host.Evaluate(*rules, request);
  ASSERT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(response.status().message(), "subjects[1].initiative.name"))
      << response.status();
}

TEST(PluginHostInProcessTest, ACallPastItsLimitIsDeadlineExceededAndOthersKeepWorking) {
  TempDir dir;
  dir.Add(BuiltPlugin("rules"), "rules.so");
  const std::string gate_path = dir.Add(TestPlugin("gate_v1"), "gate.so");
  EvaluatorHost host({.plugins_dir = dir.path(), .isolation = Isolation::kInProcess});
  ASSERT_TRUE(host.Reload().ok());
  Gate gate(gate_path);
  ASSERT_TRUE(gate.ok()) << dlerror();
  auto hanging = host.Compile("gate", "");
  ASSERT_TRUE(hanging.ok()) << hanging.status();
  // Whatever happens below, the abandoned call gets to finish before the test ends.
  absl::Cleanup finish = [&] {
    gate.open();
    host.WaitForAbandonedCalls(absl::Seconds(60));
  };

  // The gate stays shut until the end of the test, so the call cannot finish in time.
  auto response = host.Evaluate(*hanging, OneSubjectRequest(), absl::Milliseconds(50));
  ASSERT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded) << response.status();
  EXPECT_TRUE(absl::StrContains(response.status().message(), "evaluate() of evaluator gate 1.0.0"))
      << response.status();
  EXPECT_EQ(host.abandoned_calls(), 1);
  ASSERT_TRUE(gate.wait_entered(1, 30000));

  ExpectRulesWorks(host);

  // Once the plugin returns, the abandoned worker finishes and lets go of everything.
  gate.open();
  EXPECT_TRUE(host.WaitForAbandonedCalls(absl::Seconds(60)));
  EXPECT_EQ(host.abandoned_calls(), 0);
}

TEST(PluginHostInProcessTest, ReloadDuringACallKeepsTheCallOnItsPluginAndUnloadsItAfter) {
  TempDir dir;
  const std::string gate_path = dir.Add(TestPlugin("gate_v1"), "gate.so");
  EvaluatorHost host({.plugins_dir = dir.path(), .isolation = Isolation::kInProcess});
  ASSERT_TRUE(host.Reload().ok());
  ASSERT_EQ(host.List().at(0).version(), "1.0.0");
  Gate gate(gate_path);
  ASSERT_TRUE(gate.ok()) << dlerror();

  absl::StatusOr<v1::EvaluateResponse> in_flight;
  {
    auto old_instance = host.Compile("gate", "");
    ASSERT_TRUE(old_instance.ok()) << old_instance.status();
    std::thread caller([&, instance = *old_instance] {
      in_flight = host.Evaluate(instance, OneSubjectRequest(), absl::InfiniteDuration());
    });
    absl::Cleanup finish = [&] {
      gate.open();
      caller.join();
    };
    old_instance->reset();
    ASSERT_TRUE(gate.wait_entered(1, 30000));

    // A new build of the plugin is installed (by rename) and the directory reloaded
    // while the call waits inside the old one.
    dir.Replace(TestPlugin("gate_v2"), "gate.so");
    auto report = host.Reload();
    ASSERT_TRUE(report.ok()) << report.status();
    ASSERT_EQ(host.List().size(), 1u);
    EXPECT_EQ(host.List()[0].version(), "2.0.0");
    EXPECT_EQ(host.loaded_libraries(), 2);  // the old one is held by the call

    // New calls go to the new plugin.
    auto new_instance = host.Compile("gate", "");
    ASSERT_TRUE(new_instance.ok()) << new_instance.status();
    auto fresh = host.Evaluate(*new_instance, OneSubjectRequest());
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    EXPECT_EQ(fresh->evaluations(0).reason(), "gate 2.0.0");
    EXPECT_EQ((*new_instance)->evaluator_version(), "2.0.0");
  }
  ASSERT_TRUE(in_flight.ok()) << in_flight.status();
  EXPECT_EQ(in_flight->evaluations(0).reason(), "gate 1.0.0");
  // The call was the last holder of the old plugin (the test's own dlopen handle aside).
  EXPECT_EQ(host.loaded_libraries(), 1);
}

TEST_P(PluginHostTest, CompiledRuleSetsAreCachedPerKeyUntilTheNextReload) {
  TempDir dir;
  dir.Add(BuiltPlugin("rules"), "rules.so");
  EvaluatorHost host(HostOptions(dir.path()));
  ASSERT_TRUE(host.Reload().ok());
  auto first = host.CompileCached("rules", "ruleSets/small@1", kSmallRuleSet);
  auto again = host.CompileCached("rules", "ruleSets/small@1", kSmallRuleSet);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->get(), again->get());
  ASSERT_TRUE(host.Reload().ok());
  auto after_reload = host.CompileCached("rules", "ruleSets/small@1", kSmallRuleSet);
  ASSERT_TRUE(after_reload.ok());
  EXPECT_NE(first->get(), after_reload->get());
}

TEST_P(PluginHostTest, UnknownEvaluatorIsNotFound) {
  TempDir dir;
  EvaluatorHost host(HostOptions(dir.path()));
  ASSERT_TRUE(host.Reload().ok());
  EXPECT_TRUE(host.List().empty());
  auto compiled = host.Compile("rules", kSmallRuleSet);
  EXPECT_EQ(compiled.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(host.ValidateRuleSet("rules", kSmallRuleSet, plugin_test::AbcScale()).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(PluginHostTest, AnUnreadableDirectoryFailsTheReloadAndKeepsTheEvaluators) {
  auto dir = std::make_unique<TempDir>();
  dir->Add(BuiltPlugin("rules"), "rules.so");
  EvaluatorHost host(HostOptions(dir->path()));
  ASSERT_TRUE(host.Reload().ok());
  const std::string gone = dir->path();
  dir.reset();
  auto report = host.Reload();
  ASSERT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(report.status().message(), gone)) << report.status();
  ASSERT_EQ(host.List().size(), 1u);
  ExpectRulesWorks(host);
}

}  // namespace
}  // namespace torikumi::evaluators
