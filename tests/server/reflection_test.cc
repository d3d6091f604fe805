// Server reflection end to end: reflection_json_client, which is built without any torikumi
// .proto, lists the services of a real server and creates and reads an organization from JSON.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "services/server/server.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/organization_service.pb.h"

namespace torikumi::server_test {
namespace {

class ServerReflectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<server::Server>> server =
        server::Server::Open(dir_.File("torikumi.db"));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    absl::Status started = server_->Start("127.0.0.1:0");
    ASSERT_TRUE(started.ok()) << started;
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }

  RunResult Client(std::vector<std::string> args) {
    args.insert(args.begin(), {TORIKUMI_REFLECTION_JSON_CLIENT, server_->address()});
    return RunProgram(args, dir_);
  }

  TempDir dir_;
  std::unique_ptr<server::Server> server_;
};

TEST_F(ServerReflectionTest, ListsEveryServiceWithoutProtoFiles) {
  RunResult listed = Client({"list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::vector<std::string> services = absl::StrSplit(listed.out, '\n', absl::SkipEmpty());
  for (const char* expected :
       {"torikumi.v1.OrganizationService", "torikumi.v1.PlanService",
        "torikumi.v1.InitiativeService", "torikumi.v1.OutcomeService", "grpc.health.v1.Health",
        "grpc.reflection.v1alpha.ServerReflection"}) {
    EXPECT_NE(std::find(services.begin(), services.end(), expected), services.end())
        << expected << " missing from:\n"
        << listed.out;
  }
}

TEST_F(ServerReflectionTest, CreatesAndReadsAnOrganizationFromJson) {
  RunResult created =
      Client({"call", "torikumi.v1.OrganizationService/CreateOrganization",
              R"({"organizationId": "json-city", "organization": {"displayName": "ＪＳＯＮ市"}})"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  // The test itself knows the types, so it can check the client's JSON strictly.
  v1::CreateOrganizationResponse create_response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(created.out, &create_response).ok())
      << created.out;
  EXPECT_EQ(create_response.organization().name(), "organizations/json-city");
  // The server normalises names people type (NFKC), and the JSON carries the result back.
  EXPECT_EQ(create_response.organization().display_name(), "JSON市");
  EXPECT_FALSE(create_response.organization().etag().empty());

  RunResult got = Client({"call", "torikumi.v1.OrganizationService/GetOrganization",
                          R"({"name": "organizations/json-city"})"});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  v1::GetOrganizationResponse get_response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(got.out, &get_response).ok()) << got.out;
  EXPECT_EQ(get_response.organization().name(), "organizations/json-city");
  EXPECT_EQ(get_response.organization().display_name(), "JSON市");
  EXPECT_EQ(get_response.organization().etag(), create_response.organization().etag());
}

TEST_F(ServerReflectionTest, ReportsServerErrorsThroughJsonCalls) {
  RunResult missing = Client({"call", "torikumi.v1.PlanService/GetPlan",
                              R"({"name": "organizations/nowhere/plans/none"})"});
  EXPECT_EQ(missing.exit_code, 1) << missing.out << missing.err;
  // grpc::StatusCode::NOT_FOUND is 5.
  EXPECT_EQ(missing.err.rfind("5: ", 0), 0u) << missing.err;
  EXPECT_NE(missing.err.find("organizations/nowhere"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace torikumi::server_test
