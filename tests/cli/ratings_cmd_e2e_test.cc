// `torikumi evaluators|rulesets|evaluate|ratings` against a real in-process server with this
// build's evaluator plugins, on the seed table, run through RunCli as the binary runs them.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/server/rating_services.h"
#include "tests/cli/cli_server_fixture.h"

namespace torikumi::cli {
namespace {

using ::testing::ContainsRegex;
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

// Insufficient data without outcomes, else one grade for everything: rule sets whose
// ratings follow from the seed alone, whatever the shipped rule set does.
std::string WriteOneGradeRuleSet(const std::string& dir, const std::string& grade) {
  const std::string path = absl::StrCat(dir, "/all-", grade, ".textproto");
  std::ofstream(path)
      << "rules { id: \"no-outcome\" insufficient_data: true reason: \"no outcome\"\n"
      << "  when { fact { name: \"outcomes\" equals: 0 } } }\n"
      << "rules { id: \"all-" << grade << "\" grade: \"" << grade << "\" reason: \"always " << grade
      << "\" }\n";
  return path;
}

TEST_F(CliRatingsTest, BackTestingACandidateRuleSetPrintsTheDiffAndRecordsNothing) {
  const std::string plan = "city/hr-plan-progress-h30-r4";
  const std::string all_b = WriteOneGradeRuleSet(dir_, "B");
  const std::string all_a = WriteOneGradeRuleSet(dir_, "A");
  Result r = Cli(
      {"rulesets", "create", "--org", "city", "--id", "all-b", "--file", all_b, "--plan", plan});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  r = Cli(
      {"rulesets", "create", "--org", "city", "--id", "all-a", "--file", all_a, "--plan", plan});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  r = Cli({"rulesets", "apply", "city/all-b", "--plan", plan});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  ASSERT_TRUE(server_->ratings()->jobs.WaitIdle(absl::Minutes(1)));
  r = Cli({"--json", "ratings", "list", "--plan", plan, "--history"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const std::string recorded = r.out;

  // The seed's 64 human ratings are 50 A, 12 B and 2 C; four initiatives have no outcome
  // (two of them rated A) and stay insufficient data, every other one goes from B to A.
  r = Cli({"evaluate", "--plan", plan, "--rule-set", "city/all-a", "--dry-run", "--diff"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("diff of organizations/city/ruleSets/all-a@1 against the recorded "
                               "ratings (dry run, nothing recorded)\n"));
  EXPECT_THAT(r.out, HasSubstr("\n62 of 66 initiatives change grade, 4 unchanged\n"));
  EXPECT_THAT(r.out, ContainsRegex("\n組織文化 4 [^\n]* B +B +A +always A *\n"));
  EXPECT_THAT(r.out, ContainsRegex("\n職員研修 1 [^\n]* A +B +A +always A *\n"));
  EXPECT_THAT(r.out, HasSubstr("agreement with the human ratings: before 12 of 64 (18.8%), after "
                               "48 of 64 (75.0%)\n"));
  // Nothing was written: the recorded ratings are as they were.
  r = Cli({"--json", "ratings", "list", "--plan", plan, "--history"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out, recorded);

  // The same rules given inline change nothing.
  r = Cli({"evaluate", "--plan", plan, "--rule-set-file", all_b, "--dry-run", "--diff"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("diff of inline against the recorded ratings"));
  EXPECT_THAT(r.out, HasSubstr("\n0 of 66 initiatives change grade, 66 unchanged\n"));
  EXPECT_THAT(r.out, HasSubstr("before 12 of 64 (18.8%), after 12 of 64 (18.8%)"));

  // A candidate is never recorded; the refusal names the field.
  r = Cli({"evaluate", "--plan", plan, "--rule-set", "city/all-a", "--diff"});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("dry_run"));
  r = Cli({"evaluate", "--plan", plan, "--rule-set", "city/all-a", "--rule-set-file", all_b,
           "--dry-run"});
  EXPECT_EQ(r.exit_code, kExitUsage);
}

TEST_F(CliRatingsTest, RatingsShowAreaAndNumberAndCompareFindsTheSameTextGradedTwice) {
  const std::string plan = "city/hr-plan-progress-h30-r4";
  Result r = Cli({"rulesets", "create", "--org", "city", "--id", "all-b", "--file",
                  WriteOneGradeRuleSet(dir_, "B"), "--plan", plan});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  r = Cli({"rulesets", "apply", "city/all-b", "--plan", plan});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  ASSERT_TRUE(server_->ratings()->jobs.WaitIdle(absl::Minutes(1)));

  r = Cli({"ratings", "list", "--plan", plan});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, ContainsRegex("\n職員研修 6 +B +all-B +always B +organizations/city/plans/"));
  EXPECT_THAT(r.out, ContainsRegex("\n組織文化 4 +B +all-B "));
  r = Cli({"evaluate", "--plan", plan, "--dry-run", "--area", "組織文化"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, ContainsRegex("\n組織文化 5 +B +all-B "));
  r = Cli({"--json", "evaluate", "--plan", plan, "--dry-run", "--area", "職員研修"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"area\": \"職員研修\""));
  EXPECT_THAT(r.out, HasSubstr("\"number\": 6"));

  r = Cli({"ratings", "compare", "--plan", plan});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const size_t check = r.out.find("same or nearly the same outcome text, different human grades");
  ASSERT_NE(check, std::string::npos) << r.out;
  EXPECT_THAT(r.out.substr(check),
              ContainsRegex("^[^\n]*\n  identical: 地域貢献活動の手引き[^\n]*\n"
                            "    B  組織文化 4 [^\n]*\n"
                            "    A  組織文化 5 "));
}

}  // namespace
}  // namespace torikumi::cli
