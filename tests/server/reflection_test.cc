// Server reflection end to end: reflection_json_client, which is built without any torikumi
// .proto, lists and describes every method of a real server (ratings on, so every service),
// calls the health check, creates and reads an organization from JSON, and decodes the
// google.rpc.BadRequest of an error, all from what reflection tells it.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.pb.h"
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
    ASSERT_TRUE(server_->EnableRatings(TORIKUMI_BUILT_PLUGINS_DIR).ok());
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

  static std::vector<std::string> Lines(const RunResult& result) {
    return absl::StrSplit(result.out, '\n', absl::SkipEmpty());
  }

  TempDir dir_;
  std::unique_ptr<server::Server> server_;
};

// The methods of `service` as package.Service/Method, from this test's own copy of the types.
std::vector<std::string> MethodsOf(const std::string& service) {
  const google::protobuf::ServiceDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
  std::vector<std::string> methods;
  if (descriptor == nullptr) return methods;
  for (int i = 0; i < descriptor->method_count(); ++i) {
    methods.push_back(absl::StrCat(service, "/", descriptor->method(i)->name()));
  }
  return methods;
}

TEST_F(ServerReflectionTest, ListsEveryServiceWithoutProtoFiles) {
  RunResult listed = Client({"list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::vector<std::string> services = Lines(listed);
  for (const char* expected :
       {"torikumi.v1.OrganizationService", "torikumi.v1.PlanService",
        "torikumi.v1.InitiativeService", "torikumi.v1.OutcomeService", "torikumi.v1.TableService",
        "torikumi.v1.RuleSetService", "torikumi.v1.RatingService", "grpc.health.v1.Health",
        "grpc.reflection.v1alpha.ServerReflection"}) {
    EXPECT_NE(std::find(services.begin(), services.end(), expected), services.end())
        << expected << " missing from:\n"
        << listed.out;
  }
}

TEST_F(ServerReflectionTest, ListsAndDescribesEveryMethodOfEveryService) {
  RunResult listed = Client({"list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::vector<std::string> expected;
  for (const std::string& service : Lines(listed)) {
    std::vector<std::string> methods = MethodsOf(service);
    EXPECT_FALSE(methods.empty()) << "this test does not know " << service;
    expected.insert(expected.end(), methods.begin(), methods.end());
  }

  // The client learns each service's methods from reflection alone: one service it cannot
  // resolve (as the health service once was) fails the whole listing.
  RunResult methods = Client({"methods"});
  ASSERT_EQ(methods.exit_code, 0) << methods.err;
  std::vector<std::string> got = Lines(methods);
  std::sort(got.begin(), got.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(got, expected);
  EXPECT_NE(std::find(got.begin(), got.end(), "grpc.health.v1.Health/Check"), got.end());
  EXPECT_NE(std::find(got.begin(), got.end(), "torikumi.v1.RatingService/Evaluate"), got.end());

  std::vector<std::string> describe = {"describe"};
  describe.insert(describe.end(), got.begin(), got.end());
  RunResult described = Client(describe);
  ASSERT_EQ(described.exit_code, 0) << described.err;
  for (const std::string& full_name : got) {
    const auto* method = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
        absl::StrReplaceAll(full_name, {{"/", "."}}));
    ASSERT_NE(method, nullptr) << full_name;
    // A method is described with its request and response messages, field by field.
    for (const std::string& expected_text :
         {absl::StrCat("rpc ", method->name(), "("),
          absl::StrCat("message ", method->input_type()->name(), " {"),
          absl::StrCat("message ", method->output_type()->name(), " {")}) {
      EXPECT_NE(described.out.find(expected_text), std::string::npos)
          << full_name << ": no \"" << expected_text << "\"";
    }
  }
}

TEST_F(ServerReflectionTest, ChecksHealthThroughReflection) {
  for (const char* service : {"", "torikumi.v1.PlanService", "torikumi.v1.RatingService"}) {
    RunResult checked = Client({"call", "grpc.health.v1.Health/Check",
                                absl::StrCat(R"({"service": ")", service, R"("})")});
    ASSERT_EQ(checked.exit_code, 0) << service << ": " << checked.err;
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(checked.out, &response).ok())
        << checked.out;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
}

TEST_F(ServerReflectionTest, DecodesBadRequestDetailsThroughReflection) {
  RunResult refused = Client({"call", "torikumi.v1.PlanService/CreatePlan", "{}"});
  ASSERT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  // grpc::StatusCode::INVALID_ARGUMENT is 3.
  EXPECT_EQ(refused.err.rfind("3: ", 0), 0u) << refused.err;
  // The client resolved google.rpc.BadRequest through reflection, or it would have exited 2
  // instead of printing the details as JSON.
  EXPECT_NE(refused.out.find(R"("@type":"type.googleapis.com/google.rpc.BadRequest")"),
            std::string::npos)
      << refused.out;
  EXPECT_NE(refused.out.find(R"("fieldViolations":[{"field":"parent")"), std::string::npos)
      << refused.out;
  google::rpc::Status status;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(refused.out, &status).ok())
      << refused.out;
  EXPECT_EQ(status.code(), 3);
  ASSERT_EQ(status.details_size(), 2);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(status.details(0).UnpackTo(&bad_request));
  ASSERT_GE(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "parent");
  EXPECT_FALSE(bad_request.field_violations(0).description().empty());
  // The readable copy for clients that cannot decode a BadRequest holds the same violations.
  google::protobuf::Struct readable;
  ASSERT_TRUE(status.details(1).UnpackTo(&readable));
  google::rpc::BadRequest copied;
  std::string readable_json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(readable, &readable_json).ok());
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(readable_json, &copied).ok())
      << readable_json;
  EXPECT_EQ(copied.SerializeAsString(), bad_request.SerializeAsString()) << readable_json;
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
