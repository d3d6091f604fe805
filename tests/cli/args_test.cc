#include "services/cli/args.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace torikumi::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

CommandSpec CreateSpec() {
  return {.path = "plans create",
          .summary = "Create a plan.",
          .positionals = {},
          .flags = {{"org", "ORGANIZATION", "the organization", true},
                    {"title", "TEXT", "the title"},
                    {"force", "", "a boolean flag"}}};
}

TEST(CliArgsTest, ReadsSeparateAndInlineValues) {
  auto parsed = ParseCommandArgs(CreateSpec(), {"--org", "city", "--title=人材育成推進プラン"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Get("org"), "city");
  EXPECT_EQ(parsed->Get("title"), "人材育成推進プラン");
  EXPECT_FALSE(parsed->Has("force"));
  EXPECT_FALSE(parsed->help());
}

TEST(CliArgsTest, InlineValueMayBeEmptyOrContainEquals) {
  auto parsed = ParseCommandArgs(CreateSpec(), {"--org=city", "--title=a=b"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Get("title"), "a=b");

  parsed = ParseCommandArgs(CreateSpec(), {"--org", "city", "--title="});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->Has("title"));
  EXPECT_EQ(parsed->Get("title"), "");
}

TEST(CliArgsTest, BooleanFlagTakesNoValue) {
  auto parsed = ParseCommandArgs(CreateSpec(), {"--force", "--org", "city"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->Has("force"));
  EXPECT_EQ(parsed->Get("org"), "city");

  auto bad = ParseCommandArgs(CreateSpec(), {"--org", "city", "--force=yes"});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("--force takes no value"));
}

TEST(CliArgsTest, UnknownFlagIsNamed) {
  auto parsed = ParseCommandArgs(CreateSpec(), {"--org", "city", "--titel", "x"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), "unknown flag --titel");

  auto single_dash = ParseCommandArgs(CreateSpec(), {"-x"});
  ASSERT_FALSE(single_dash.ok());
  EXPECT_THAT(single_dash.status().message(), HasSubstr("unknown flag -x"));
}

TEST(CliArgsTest, MissingValueIsNamed) {
  auto at_end = ParseCommandArgs(CreateSpec(), {"--org"});
  ASSERT_FALSE(at_end.ok());
  EXPECT_THAT(at_end.status().message(), HasSubstr("flag --org needs a value"));

  // The next token is another flag, so --title has no value.
  auto before_flag = ParseCommandArgs(CreateSpec(), {"--title", "--org", "city"});
  ASSERT_FALSE(before_flag.ok());
  EXPECT_THAT(before_flag.status().message(), HasSubstr("flag --title needs a value"));
}

TEST(CliArgsTest, RequiredFlagAndRepeatsAreChecked) {
  auto missing = ParseCommandArgs(CreateSpec(), {"--title", "x"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "missing flag --org ORGANIZATION");

  auto twice = ParseCommandArgs(CreateSpec(), {"--org", "a", "--org=b"});
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(twice.status().message(), HasSubstr("--org is given twice"));
}

TEST(CliArgsTest, PositionalsAreCountedAndDashDashEndsFlags) {
  CommandSpec spec{.path = "plans get",
                   .summary = "Show a plan.",
                   .positionals = {"PLAN"},
                   .flags = {{"force", "", "boolean"}}};
  auto parsed = ParseCommandArgs(spec, {"city/hr", "--force"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->positionals(), ElementsAre("city/hr"));
  EXPECT_TRUE(parsed->Has("force"));

  auto after_dash_dash = ParseCommandArgs(spec, {"--", "--odd-name"});
  ASSERT_TRUE(after_dash_dash.ok()) << after_dash_dash.status();
  EXPECT_THAT(after_dash_dash->positionals(), ElementsAre("--odd-name"));

  auto missing = ParseCommandArgs(spec, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "missing argument PLAN");

  auto extra = ParseCommandArgs(spec, {"a", "b"});
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.status().message(), "unexpected argument \"b\"");
}

TEST(CliArgsTest, HelpWinsOverOtherProblems) {
  // An unknown flag and a missing required flag, but --help asks for the usage text.
  auto parsed = ParseCommandArgs(CreateSpec(), {"--bogus", "--help"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->help());
  auto short_help = ParseCommandArgs(CreateSpec(), {"-h"});
  ASSERT_TRUE(short_help.ok());
  EXPECT_TRUE(short_help->help());
}

TEST(CliArgsTest, UsageListsEveryFlag) {
  std::string usage = FormatUsage(CreateSpec());
  EXPECT_THAT(usage, HasSubstr("usage: torikumi plans create --org ORGANIZATION [flags]"));
  EXPECT_THAT(usage, HasSubstr("--org ORGANIZATION  the organization (required)"));
  EXPECT_THAT(usage, HasSubstr("--title TEXT"));
  EXPECT_THAT(usage, HasSubstr("--force"));
}

}  // namespace
}  // namespace torikumi::cli
