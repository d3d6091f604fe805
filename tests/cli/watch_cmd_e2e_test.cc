// torikumi watch and torikumi subscriptions against a real in-process server.
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_server_fixture.h"
#include "torikumi/v1/change_service.pb.h"

namespace torikumi::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class WatchCommandTest : public CliServerTest {
 protected:
  void SetUp() override {
    StartServer();
    ASSERT_EQ(Cli({"orgs", "create", "--id", "city", "--display-name", "市"}).exit_code, 0);
    CliResult plan = Cli({"plans", "create", "--org", "city", "--id", "hr", "--title",
                          "人材育成推進プラン", "--period", "2018-2022"});
    ASSERT_EQ(plan.exit_code, 0) << plan.err;
    ASSERT_EQ(Cli({"plans", "delete", "city/hr"}).exit_code, 0);
  }
};

TEST_F(WatchCommandTest, PrintsEachChangeFromTheCursorOn) {
  CliResult watched =
      Cli({"watch", "--org", "city", "--cursor", "0", "--kinds", "plan", "--max-events", "2"});
  ASSERT_EQ(watched.exit_code, 0) << watched.err;
  std::vector<std::string> lines = absl::StrSplit(watched.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << watched.out;
  EXPECT_THAT(lines[0], HasSubstr("CREATED\tplan\torganizations/city/plans/hr"));
  EXPECT_THAT(lines[1], HasSubstr("DELETED\tplan\torganizations/city/plans/hr"));
}

TEST_F(WatchCommandTest, JsonPrintsOneChangeEventPerLine) {
  CliResult watched = Cli({"watch", "--org", "city", "--cursor", "0", "--kinds", "plan",
                           "--max-events", "2", "--json"});
  ASSERT_EQ(watched.exit_code, 0) << watched.err;
  std::vector<std::string> lines = absl::StrSplit(watched.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << watched.out;
  v1::ChangeEvent created;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[0], &created).ok()) << lines[0];
  EXPECT_EQ(created.type(), v1::CHANGE_TYPE_CREATED);
  EXPECT_EQ(created.plan().title(), "人材育成推進プラン");
}

TEST_F(WatchCommandTest, BadKindAndBadCursorAreRefused) {
  CliResult bad_kind = Cli({"watch", "--org", "city", "--kinds", "plans"});
  EXPECT_EQ(bad_kind.exit_code, kExitUsage);
  EXPECT_THAT(bad_kind.err, HasSubstr("'plans' is not a resource kind"));
  CliResult bad_cursor = Cli({"watch", "--plan", "city/hr", "--cursor", "x"});
  EXPECT_EQ(bad_cursor.exit_code, kExitFailure);
  EXPECT_THAT(bad_cursor.err, HasSubstr("cursor"));
}

TEST_F(WatchCommandTest, SubscriptionsCreateListGetDelete) {
  CliResult created =
      Cli({"subscriptions", "create", "--org", "city", "--id", "hr-tool", "--url",
           "http://hr.example/hook", "--secret", "s", "--kinds", "computed-rating,human-rating"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("COMPUTED_RATING,HUMAN_RATING"));
  CliResult listed = Cli({"subscriptions", "list", "--org", "city"});
  EXPECT_THAT(listed.out, HasSubstr("organizations/city/subscriptions/hr-tool"));
  CliResult got = Cli({"subscriptions", "get", "city/hr-tool", "--json"});
  EXPECT_THAT(got.out, Not(HasSubstr("\"secret\": \"s\"")));
  CliResult bad = Cli({"subscriptions", "create", "--org", "city", "--id", "x", "--url",
                       "ftp://nope", "--secret", "s"});
  EXPECT_EQ(bad.exit_code, kExitFailure);
  EXPECT_THAT(bad.err, HasSubstr("subscription.url"));
  // The server runs without --webhook_allow_private_targets: loopback is no target.
  CliResult loopback = Cli({"subscriptions", "create", "--org", "city", "--id", "y", "--url",
                            "http://127.0.0.1:9/hook", "--secret", "s"});
  EXPECT_EQ(loopback.exit_code, kExitFailure);
  EXPECT_THAT(loopback.err, HasSubstr("subscription.url"));
  EXPECT_THAT(loopback.err, HasSubstr("a loopback address"));
  EXPECT_EQ(Cli({"subscriptions", "delete", "city/hr-tool"}).exit_code, 0);
}

}  // namespace
}  // namespace torikumi::cli
