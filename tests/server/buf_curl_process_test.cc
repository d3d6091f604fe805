// buf curl, a reflection client nobody here wrote, against the real torikumi-server binary:
// it lists every method of every service, the health service included, and shows the field
// violations of a refused call as readable JSON. No .proto file is given to buf.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/server/test_support.h"

namespace torikumi::server_test {
namespace {

class BufCurlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(std::string(TORIKUMI_BUF), "") << "buf not found: run 'make deps'";
    std::string error = server_.Launch();
    ASSERT_EQ(error, "") << error;
  }

  // buf curl over gRPC without TLS, as the README shows it; `args` follow the flags.
  RunResult BufCurl(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {TORIKUMI_BUF, "curl", "--protocol", "grpc",
                                     "--http2-prior-knowledge"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProgram(argv, dir_);
  }

  std::string Url(const std::string& path = "") const {
    return absl::StrCat("http://", server_.address(), path);
  }

  static std::vector<std::string> SortedLines(const std::string& text) {
    std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
    std::sort(lines.begin(), lines.end());
    return lines;
  }

  TempDir dir_;
  ServerProcess server_{
      dir_, TORIKUMI_SERVER_BINARY, {"--listen=127.0.0.1:0", "--db=" + dir_.File("torikumi.db")}};
};

TEST_F(BufCurlTest, ListsEveryMethodOfEveryService) {
  RunResult listed = BufCurl({"--list-methods", Url()});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::vector<std::string> methods = SortedLines(listed.out);
  for (const char* expected :
       {"grpc.health.v1.Health/Check", "grpc.health.v1.Health/Watch",
        "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        "torikumi.v1.OrganizationService/CreateOrganization", "torikumi.v1.PlanService/CreatePlan",
        "torikumi.v1.InitiativeService/BatchCreateInitiatives",
        "torikumi.v1.OutcomeService/UpsertOutcome", "torikumi.v1.TableService/ImportTable",
        "torikumi.v1.RuleSetService/CreateRuleSet", "torikumi.v1.RatingService/Evaluate"}) {
    EXPECT_NE(std::find(methods.begin(), methods.end(), expected), methods.end())
        << expected << " missing from:\n"
        << listed.out;
  }
  // The same list as reflection_json_client's, whose every method reflection_test checks
  // against the generated descriptors: two independent clients agree.
  RunResult ours =
      RunProgram({TORIKUMI_REFLECTION_JSON_CLIENT, server_.address(), "methods"}, dir_);
  ASSERT_EQ(ours.exit_code, 0) << ours.err;
  EXPECT_EQ(methods, SortedLines(ours.out));
}

TEST_F(BufCurlTest, ShowsTheFieldViolationsOfAnEmptyCreatePlan) {
  RunResult refused = BufCurl({"-d", "{}", Url("/torikumi.v1.PlanService/CreatePlan")});
  EXPECT_NE(refused.exit_code, 0) << refused.out;
  EXPECT_NE(refused.err.find(R"("code": "invalid_argument")"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find(R"("type": "google.rpc.BadRequest")"), std::string::npos)
      << refused.err;
  // buf prints a detail as JSON only for types compiled into it, which the BadRequest is not
  // (its value stays base64); the server's readable copy is a Struct, which buf knows.
  EXPECT_NE(refused.err.find(R"("type": "google.protobuf.Struct")"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find(R"("fieldViolations")"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find(R"("field": "parent")"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace torikumi::server_test
