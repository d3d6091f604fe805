// `torikumi round open|next|accept|override|status|close|reopen` against a real in-process
// server with this build's evaluator plugins, on the seed table, run through RunCli.
#include <regex>
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

constexpr char kPlan[] = "city/hr-plan-progress-h30-r4";
constexpr char kRound[] = "city/hr-plan-progress-h30-r4/2022";

class CliRoundTest : public CliServerTest {
 protected:
  void SetUp() override {
    StartServer(TORIKUMI_BUILT_PLUGINS_DIR, TORIKUMI_SEED_TSV);
    CliResult r =
        Cli({"rulesets", "create", "--org", "city", "--id", "abc", "--evaluator", "rules", "--file",
             TORIKUMI_RULESETS_DIR "/abc-implementation.textproto", "--plan", kPlan});
    ASSERT_EQ(r.exit_code, kExitOk) << r.err;
    r = Cli({"rulesets", "apply", "organizations/city/ruleSets/abc", "--plan", kPlan});
    ASSERT_EQ(r.exit_code, kExitOk) << r.err;
    ASSERT_TRUE(server_->ratings()->jobs.WaitIdle(absl::Minutes(1)));
  }
};

TEST_F(CliRoundTest, OpenReviewAndFollowTheProgress) {
  CliResult r = Cli({"round", "open", kPlan, "--year", "R4"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("0 of 64 reviewed"));
  EXPECT_THAT(r.out, HasSubstr("職員研修"));

  r = Cli({"round", "next", kRound});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  std::smatch found;
  ASSERT_TRUE(std::regex_search(r.out, found, std::regex(R"(initiative:\s+(\S+))"))) << r.out;
  const std::string initiative = found[1];
  EXPECT_THAT(r.out, HasSubstr("proposed:"));

  r = Cli({"round", "override", kRound, initiative, "--grade", "B"});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("reason"));
  r = Cli({"round", "accept", kRound, initiative});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1 of 64 reviewed (1 accepted, 0 overridden)"));

  r = Cli({"round", "status", kRound});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("open"));
  EXPECT_THAT(r.out, HasSubstr("1 of 64 reviewed"));
  r = Cli({"round", "close", kRound});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("1 of 64"));
  r = Cli({"round", "reopen", kRound, "--reason", "x"});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("not closed"));
}

}  // namespace
}  // namespace torikumi::cli
