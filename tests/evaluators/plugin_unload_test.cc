// Reloading a plugin unloads the old library for real: once no call or instance holds
// it, its file is no longer mapped into the process, even after its code ran on the
// host's long-lived worker threads (which is where a plugin's per-thread state would
// otherwise pin it).
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "plugin_test_util.h"
#include "services/evaluators/evaluator_host.h"

namespace torikumi::evaluators {
namespace {

using plugin_test::BuiltPlugin;
using plugin_test::TempDir;

// The lines of /proc/self/maps that map a file under `dir`.
std::vector<std::string> MappingsUnder(const std::string& dir) {
  std::ifstream maps("/proc/self/maps");
  std::vector<std::string> found;
  for (std::string line; std::getline(maps, line);) {
    if (absl::StrContains(line, dir + "/")) found.push_back(line);
  }
  return found;
}

// A batch big enough that the SDK's adapter uses its scratch memory.
v1::EvaluateRequest Batch() {
  std::vector<v1::EvaluationSubject> subjects;
  for (int i = 0; i < 200; ++i) {
    v1::EvaluationSubject s = plugin_test::Subject("i" + std::to_string(i));
    plugin_test::AddOutcome(&s, 2019, "実施した");
    subjects.push_back(s);
  }
  return plugin_test::Request(subjects);
}

TEST(PluginUnloadTest, ReloadedPluginsLeaveNoMappingBehind) {
  TempDir dir;
  EvaluatorHost host({.plugins_dir = dir.path()});
  const v1::EvaluateRequest batch = Batch();
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    // A new file each round (install by rename), so each load is a library of its own.
    dir.Replace(BuiltPlugin("rules"), "rules.so");
    auto report = host.Reload();
    ASSERT_TRUE(report.ok()) << report.status();
    ASSERT_EQ(report->loaded.size(), 1u);
    auto instance = host.Compile("rules", plugin_test::kSmallRuleSet);
    ASSERT_TRUE(instance.ok()) << instance.status();
    // Several calls, on the host's workers and on this thread.
    for (int call = 0; call < 3; ++call) {
      auto response = host.Evaluate(*instance, batch);
      ASSERT_TRUE(response.ok()) << response.status();
      ASSERT_EQ(response->evaluations_size(), batch.subjects_size());
    }
    auto here = host.Evaluate(*instance, batch, absl::InfiniteDuration());
    ASSERT_TRUE(here.ok()) << here.status();
    // Only the current library is mapped: the ones of earlier rounds are gone.
    instance->reset();
    EXPECT_EQ(host.loaded_libraries(), 1);
    std::vector<std::string> mapped = MappingsUnder(dir.path());
    ASSERT_FALSE(mapped.empty()) << "the current plugin is not mapped from " << dir.path();
    for (const std::string& line : mapped) {
      EXPECT_FALSE(absl::StrContains(line, "(deleted)"))
          << "round " << round << ": an unloaded plugin is still mapped: " << line;
    }
  }

  // With the directory emptied and reloaded, nothing of it stays mapped.
  std::filesystem::remove(dir.path() + "/rules.so");
  ASSERT_TRUE(host.Reload().ok());
  EXPECT_EQ(host.loaded_libraries(), 0);
  const std::vector<std::string> left = MappingsUnder(dir.path());
  EXPECT_TRUE(left.empty()) << left.size() << " mappings left, the first: " << left.front();
}

}  // namespace
}  // namespace torikumi::evaluators
