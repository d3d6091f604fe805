// The second line of defence against a deeply nested rule set: even when a body reaches a
// plugin without the server's nesting check (services/domain/rule_set_limits.h), the SDK's
// text-format parser stops at its recursion limit, and the real rules.so (whose conditions
// nest) refuses the body instead of overflowing its stack.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "plugin_test_util.h"
#include "services/evaluators/evaluator_host.h"

namespace torikumi::evaluators {
namespace {

using plugin_test::BuiltPlugin;
using plugin_test::TempDir;

// `depth` nested `not { … }` inside one rule (about 8 bytes a level).
std::string NestedRuleSet(int depth) {
  std::string body = "rules { id: \"deep\" grade: \"A\" when { ";
  for (int i = 0; i < depth; ++i) body += "not { ";
  body += "fact { name: \"outcomes\" equals: 0 } ";
  for (int i = 0; i < depth; ++i) body += "} ";
  return body + "} }\nrules { id: \"rest\" grade: \"B\" }\n";
}

TEST(PluginDeepRuleSet, ThePluginsRefuseABodyNestedPastTheRecursionLimit) {
  TempDir dir;
  dir.Add(BuiltPlugin("rules"), "rules.so");
  EvaluatorHost host({.plugins_dir = dir.path()});
  ASSERT_TRUE(host.Reload().ok());
  const std::string hostile = NestedRuleSet(20000);
  absl::Status validated = host.ValidateRuleSet("rules", hostile, plugin_test::AbcScale());
  EXPECT_EQ(validated.code(), absl::StatusCode::kInvalidArgument) << validated;
  EXPECT_TRUE(absl::StrContains(validated.ToString(), "recursion limit")) << validated;
  auto compiled = host.Compile("rules", hostile);
  EXPECT_EQ(compiled.status().code(), absl::StatusCode::kInvalidArgument) << compiled.status();
  // Well under the limit the same shape is an ordinary rule set.
  EXPECT_TRUE(host.ValidateRuleSet("rules", NestedRuleSet(50), plugin_test::AbcScale()).ok());
}

}  // namespace
}  // namespace torikumi::evaluators
