// `torikumi evaluators|rulesets|evaluate|ratings` against a real in-process server with this
// build's evaluator plugins, on the seed table, run through RunCli as the binary runs them.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/server/rating_services.h"
#include "tests/cli/cli_server_fixture.h"

namespace torikumi::cli {
namespace {

using ::testing::HasSubstr;

class CliRatingsTest : public CliServerTest {
 protected:
  void SetUp() override { StartServer(TORIKUMI_BUILT_PLUGINS_DIR, TORIKUMI_SEED_TSV); }
};

using Result = CliResult;

TEST_F(CliRatingsTest, CreateEvaluateAndCompare) {
  Result r = Cli({"evaluators", "list"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("rules.so"));

  const std::string plan = "city/hr-plan-progress-h30-r4";
  r = Cli({"rulesets", "create", "--org", "city", "--id", "abc-implementation", "--evaluator",
           "rules", "--file", TORIKUMI_RULESETS_DIR "/abc-implementation.textproto", "--plan",
           plan});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("organizations/city/ruleSets/abc-implementation version 1"));
  r = Cli({"rulesets", "list", "--org", "city"});
  EXPECT_THAT(r.out, HasSubstr("abc-implementation"));
  r = Cli({"rulesets", "get", "organizations/city/ruleSets/abc-implementation@1"});
  EXPECT_THAT(r.out, HasSubstr("no-outcome"));

  // Without the plan naming the rule set, evaluating is refused with the reason.
  r = Cli({"evaluate", "--plan", plan, "--dry-run"});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("names no rule set"));
  r = Cli({"rulesets", "apply", "organizations/city/ruleSets/abc-implementation", "--plan", plan});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("now rates with organizations/city/ruleSets/abc-implementation"));
  EXPECT_THAT(r.out, HasSubstr("re-rating in the background as jobs/1"));
  ASSERT_TRUE(server_->ratings()->jobs.WaitIdle(absl::Minutes(1)));
  r = Cli({"jobs", "list"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("jobs/1"));
  EXPECT_THAT(r.out, HasSubstr("succeeded"));
  EXPECT_THAT(r.out, HasSubstr("1/1"));
  r = Cli({"--json", "ratings", "list", "--plan", plan});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"trigger\": \"plan\""));  // recorded by the job, not by evaluate
  r = Cli({"evaluate", "--plan", plan});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("66 initiatives rated"));
  r = Cli({"ratings", "compare", "--plan", plan});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("agreement: 60 of 64 (93.8%)"));

  // A rule set with a mistake: the rule is named.
  const std::string bad = dir_ + "/bad.textproto";
  {
    std::ofstream(bad)
        << "rules { id: \"only-c\" grade: \"C\" when { fact { name: \"outcomes\" equals: 0 } } }";
  }
  r = Cli({"rulesets", "create", "--org", "city", "--id", "bad", "--file", bad, "--plan", plan});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("only-c"));
}

}  // namespace
}  // namespace torikumi::cli
