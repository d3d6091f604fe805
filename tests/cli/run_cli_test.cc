// RunCli without a server: command lookup, usage errors (exit 2), help (exit 0), flag values
// read before any call, and a server that is not there (exit 1, naming the address).
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/cli/cli.h"

namespace torikumi::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Result {
  int exit_code;
  std::string out;
  std::string err;
};

Result RunTorikumi(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  // Nothing listens on this socket path, so a call that is made fails at once.
  int code = RunCli(args, out, err, "unix:/nonexistent/torikumi-cli-test.sock");
  return {code, out.str(), err.str()};
}

TEST(CliRunTest, UnknownFlagExitsTwoNamingIt) {
  Result r = RunTorikumi({"plans", "list", "--orgg", "city"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("error: unknown flag --orgg"));
  EXPECT_THAT(r.err, HasSubstr("torikumi plans list --help"));
  EXPECT_THAT(r.out, IsEmpty());
}

TEST(CliRunTest, MissingRequiredFlagAndValue) {
  Result missing_flag = RunTorikumi({"plans", "create", "--title", "x", "--period", "H30-R4"});
  EXPECT_EQ(missing_flag.exit_code, kExitUsage);
  EXPECT_THAT(missing_flag.err, HasSubstr("missing flag --org ORGANIZATION"));

  Result missing_value = RunTorikumi({"rate", "city/hr/i1", "--rater", "山田", "--grade"});
  EXPECT_EQ(missing_value.exit_code, kExitUsage);
  EXPECT_THAT(missing_value.err, HasSubstr("flag --grade needs a value"));
}

TEST(CliRunTest, UnknownCommandsListWhatExists) {
  Result unknown_group = RunTorikumi({"plan", "list"});
  EXPECT_EQ(unknown_group.exit_code, kExitUsage);
  EXPECT_THAT(unknown_group.err, HasSubstr("unknown command \"plan\""));

  Result unknown_verb = RunTorikumi({"plans", "remove", "x"});
  EXPECT_EQ(unknown_verb.exit_code, kExitUsage);
  EXPECT_THAT(unknown_verb.err, HasSubstr("plans has: list, get, create, delete"));

  Result no_verb = RunTorikumi({"outcomes"});
  EXPECT_EQ(no_verb.exit_code, kExitUsage);
  EXPECT_THAT(no_verb.err, HasSubstr("needs one of: set, list"));

  Result nothing = RunTorikumi({});
  EXPECT_EQ(nothing.exit_code, kExitUsage);
  EXPECT_THAT(nothing.err, HasSubstr("usage: torikumi"));
}

TEST(CliRunTest, HelpGoesToStdoutAndExitsZero) {
  Result top = RunTorikumi({"--help"});
  EXPECT_EQ(top.exit_code, kExitOk);
  EXPECT_THAT(top.out, HasSubstr("initiatives list"));
  EXPECT_THAT(top.out, HasSubstr("--timeout SECONDS"));

  Result command = RunTorikumi({"initiatives", "update", "--help"});
  EXPECT_EQ(command.exit_code, kExitOk);
  EXPECT_THAT(command.out, HasSubstr("usage: torikumi initiatives update INITIATIVE [flags]"));
  EXPECT_THAT(command.out, HasSubstr("--schedule LIST"));
  EXPECT_THAT(command.out, HasSubstr("--etag ETAG"));
  // Global flags are listed with every command.
  EXPECT_THAT(command.out, HasSubstr("--json"));
}

TEST(CliRunTest, BadFlagValuesAreUsageErrorsNamingTheFlag) {
  Result schedule = RunTorikumi({"initiatives", "create", "--plan", "city/hr", "--area", "職員研修",
                                 "--number", "1", "--title", "t", "--schedule", "H30=⇒"});
  EXPECT_EQ(schedule.exit_code, kExitUsage);
  EXPECT_THAT(schedule.err, HasSubstr("error: --schedule: H30=⇒ continues H29"));

  Result period =
      RunTorikumi({"plans", "create", "--org", "city", "--title", "t", "--period", "R4-H30"});
  EXPECT_EQ(period.exit_code, kExitUsage);
  EXPECT_THAT(period.err, HasSubstr("error: --period: \"R4-H30\" ends before it starts"));

  Result number = RunTorikumi({"initiatives", "update", "city/hr/i1", "--number", "three"});
  EXPECT_EQ(number.exit_code, kExitUsage);
  EXPECT_THAT(number.err, HasSubstr("--number: \"three\" is not a whole number"));

  Result nothing = RunTorikumi({"initiatives", "update", "city/hr/i1"});
  EXPECT_EQ(nothing.exit_code, kExitUsage);
  EXPECT_THAT(nothing.err, HasSubstr("nothing to update"));

  Result timeout = RunTorikumi({"--timeout", "0", "orgs", "list"});
  EXPECT_EQ(timeout.exit_code, kExitUsage);
  EXPECT_THAT(timeout.err, HasSubstr("--timeout: \"0\" is not a positive number"));
}

TEST(CliRunTest, UnreachableServerExitsOneNamingTheAddress) {
  Result r = RunTorikumi({"plans", "list"});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("error: UNAVAILABLE: cannot reach the torikumi server at "
                               "unix:/nonexistent/torikumi-cli-test.sock"));

  // --server after the command words overrides the default too.
  std::ostringstream out, err;
  int code = RunCli({"orgs", "get", "city", "--server=unix:/nonexistent/other.sock", "--json"}, out,
                    err, "127.0.0.1:1");
  EXPECT_EQ(code, kExitFailure);
  EXPECT_THAT(err.str(), HasSubstr("unix:/nonexistent/other.sock"));
  EXPECT_THAT(out.str(), IsEmpty());
}

}  // namespace
}  // namespace torikumi::cli
