// The pieces of the HTTP gateway without torikumi's server: path templates, the routes read
// from the google.api.http annotations, building a request from body, path and query, and
// one exchange through a small gRPC service that shows what metadata arrives.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "services/common/errors.h"
#include "services/server/http/exchange.h"
#include "services/server/http/http_routes.h"
#include "services/server/http/path_template.h"
#include "services/server/http/request_builder.h"
#include "services/server/http/status_json.h"
#include "services/server/http/table_transfer.h"
#include "torikumi/v1/initiative_service.pb.h"
#include "torikumi/v1/organization_service.pb.h"
#include "torikumi/v1/outcome_service.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/rating_service.pb.h"
#include "torikumi/v1/rule_set_service.pb.h"
#include "torikumi/v1/table_service.pb.h"

namespace torikumi::server::http {
namespace {

TEST(PathTemplateTest, BindsVariablesOverSeveralSegments) {
  auto parsed = PathTemplate::Parse("/v1/{plan.name=organizations/*/plans/*}");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  std::vector<PathBinding> bindings;
  ASSERT_TRUE(parsed->Match("/v1/organizations/demo/plans/p1", &bindings));
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].first, "plan.name");
  EXPECT_EQ(bindings[0].second, "organizations/demo/plans/p1");
  EXPECT_FALSE(parsed->Match("/v1/organizations/demo/plans", &bindings));
  EXPECT_FALSE(parsed->Match("/v1/organizations/demo/plans/p1/initiatives", &bindings));
  EXPECT_FALSE(parsed->Match("/v1/organizations//plans/p1", &bindings));
  EXPECT_FALSE(parsed->Match("/v1/organizations/demo/plans/p1:evaluate", &bindings));
}

TEST(PathTemplateTest, AVerbMustBeThere) {
  auto parsed = PathTemplate::Parse("/v1/{plan=organizations/*/plans/*}:evaluate");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  std::vector<PathBinding> bindings;
  ASSERT_TRUE(parsed->Match("/v1/organizations/o/plans/p:evaluate", &bindings));
  EXPECT_EQ(bindings[0].second, "organizations/o/plans/p");
  EXPECT_FALSE(parsed->Match("/v1/organizations/o/plans/p", &bindings));
  EXPECT_FALSE(parsed->Match("/v1/organizations/o/plans/p:explain", &bindings));
}

TEST(PathTemplateTest, RestAndBareVariables) {
  auto rest = PathTemplate::Parse("/files/{path=**}");
  ASSERT_TRUE(rest.ok()) << rest.status();
  std::vector<PathBinding> bindings;
  ASSERT_TRUE(rest->Match("/files/a/b/c", &bindings));
  EXPECT_EQ(bindings[0].second, "a/b/c");
  auto bare = PathTemplate::Parse("/v1/{name}");
  ASSERT_TRUE(bare.ok());
  ASSERT_TRUE(bare->Match("/v1/x", &bindings));
  EXPECT_EQ(bindings[0], PathBinding("name", "x"));
  EXPECT_FALSE(bare->Match("/v1/x/y", &bindings));
}

TEST(PathTemplateTest, RefusesBrokenTemplates) {
  for (const char* bad : {"v1/x", "/v1/{name", "/v1/{=a}", "/v1/**/x", "/v1//x", "/v1/{a=b}c"}) {
    EXPECT_FALSE(PathTemplate::Parse(bad).ok()) << bad;
  }
}

TEST(HttpRoutesTest, EveryServiceMethodHasARouteFromItsAnnotation) {
  auto table = RouteTable::FromGeneratedPool("torikumi/");
  ASSERT_TRUE(table.ok()) << table.status();
  std::set<std::string> routed;
  for (const Route& route : table->routes()) routed.insert(route.method->full_name());
  // The files of these types are linked into this test (and all of them into the server).
  for (const auto* type :
       {v1::GetPlanRequest::descriptor(), v1::GetInitiativeRequest::descriptor(),
        v1::ImportTableRequest::descriptor(), v1::RatingServiceEvaluateRequest::descriptor(),
        v1::GetOrganizationRequest::descriptor(), v1::UpsertOutcomeRequest::descriptor(),
        v1::GetRuleSetRequest::descriptor()}) {
    const google::protobuf::FileDescriptor* file = type->file();
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        EXPECT_TRUE(routed.count(file->service(s)->method(m)->full_name()))
            << file->service(s)->method(m)->full_name() << " has no google.api.http route";
      }
    }
  }
  RouteMatch get = table->Find("GET", "/v1/organizations/o/plans/p");
  ASSERT_NE(get.route, nullptr);
  EXPECT_EQ(get.route->grpc_method, "/torikumi.v1.PlanService/GetPlan");
  RouteMatch evaluate = table->Find("POST", "/v1/organizations/o/plans/p:evaluate");
  ASSERT_NE(evaluate.route, nullptr);
  EXPECT_EQ(evaluate.route->grpc_method, "/torikumi.v1.RatingService/Evaluate");
  RouteMatch wrong_method = table->Find("PUT", "/v1/organizations/o/plans/p");
  EXPECT_EQ(wrong_method.route, nullptr);
  EXPECT_TRUE(wrong_method.path_known);
  EXPECT_FALSE(table->Find("GET", "/v2/plans").path_known);
}

TEST(RequestBuilderTest, BodyThenPathThenQuery) {
  v1::UpdateInitiativeRequest request;
  ASSERT_TRUE(MergeBody(R"({"title": "題", "number": 3})", "initiative", &request).ok());
  QueryParameters query = {{"updateMask", "title,number"}};
  ASSERT_TRUE(MergePathAndQuery({{"initiative.name", "organizations/o/plans/p/initiatives/i"}},
                                query, &request)
                  .ok());
  EXPECT_EQ(request.initiative().title(), "題");
  EXPECT_EQ(request.initiative().number(), 3);
  EXPECT_EQ(request.initiative().name(), "organizations/o/plans/p/initiatives/i");
  ASSERT_EQ(request.update_mask().paths_size(), 2);
  EXPECT_EQ(request.update_mask().paths(1), "number");
}

TEST(RequestBuilderTest, QueryValuesByTypeEnumsAndRepeatedFields) {
  v1::ListInitiativesRequest list;
  ASSERT_TRUE(SetField("filter.kind", "new", &list).ok());
  ASSERT_TRUE(SetField("filter.fiscal_year", "2019", &list).ok());
  ASSERT_TRUE(SetField("pageSize", "7", &list).ok());
  EXPECT_EQ(list.filter().kind(), v1::INITIATIVE_KIND_NEW);
  EXPECT_EQ(list.filter().fiscal_year(), 2019);
  EXPECT_EQ(list.page_size(), 7);
  ASSERT_TRUE(SetField("filter.kind", "INITIATIVE_KIND_CONTINUING", &list).ok());
  EXPECT_EQ(list.filter().kind(), v1::INITIATIVE_KIND_CONTINUING);

  v1::ExportTableRequest export_request;
  ASSERT_TRUE(SetField("format", "4", &export_request).ok());
  EXPECT_EQ(export_request.format(), v1::TABLE_FORMAT_XLSX);

  v1::BatchCreateInitiativesRequest batch;
  EXPECT_FALSE(SetField("requests", "x", &batch).ok());
}

TEST(RequestBuilderTest, BadValuesNameTheirField) {
  v1::ListInitiativesRequest list;
  absl::Status status = SetField("pageSize", "many", &list);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(status).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(status)[0].field(), "pageSize");
  EXPECT_FALSE(SetField("filter.kind", "sometimes", &list).ok());
  EXPECT_FALSE(SetField("filter.nothing", "1", &list).ok());
  EXPECT_FALSE(SetField("page_size.x", "1", &list).ok());
  // Bytes that are not UTF-8 are refused before anything quotes them in a status message.
  EXPECT_EQ(FieldViolationsOf(SetField("filter.area", "\xff", &list))[0].description(),
            "is not valid UTF-8");
  EXPECT_EQ(FieldViolationsOf(SetField("\xff", "1", &list))[0].field(), "query");
  EXPECT_EQ(FieldViolationsOf(MergeBody("{\"parent\": \"\xff\"}", "*", &list))[0].field(), "body");
  absl::Status json = MergeBody("{\"title\": ", "*", &list);
  EXPECT_EQ(json.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(json)[0].field(), "body");
}

TEST(StatusJsonTest, GooglesMappingOfCodes) {
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::INVALID_ARGUMENT), 400);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::FAILED_PRECONDITION), 400);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::NOT_FOUND), 404);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::ALREADY_EXISTS), 409);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::ABORTED), 409);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAUTHENTICATED), 401);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::PERMISSION_DENIED), 403);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNIMPLEMENTED), 501);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAVAILABLE), 503);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::DEADLINE_EXCEEDED), 504);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::INTERNAL), 500);
  EXPECT_EQ(StatusJson(grpc::Status(grpc::StatusCode::NOT_FOUND, "no plan p")),
            R"({"code":5,"message":"no plan p"})");
}

// A PlanService whose GetPlan answers with the authorization metadata it received as the
// plan's title, and refuses a call without it as gRPC authentication would.
class MetadataEchoPlans final : public v1::PlanService::Service {
  grpc::Status GetPlan(grpc::ServerContext* context, const v1::GetPlanRequest* request,
                       v1::GetPlanResponse* response) override {
    auto found = context->client_metadata().find("authorization");
    if (found == context->client_metadata().end()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no authorization metadata");
    }
    response->mutable_plan()->set_name(request->name());
    response->mutable_plan()->set_title(std::string(found->second.data(), found->second.size()));
    return grpc::Status::OK;
  }
};

TEST(ExchangeTest, PassesTheAuthorizationHeaderOnAsMetadata) {
  MetadataEchoPlans plans;
  grpc::ServerBuilder builder;
  builder.RegisterService(&plans);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto routes = RouteTable::FromGeneratedPool("torikumi/");
  ASSERT_TRUE(routes.ok()) << routes.status();
  std::shared_ptr<grpc::Channel> channel = server->InProcessChannel(grpc::ChannelArguments());

  HttpRequestParts request{.method = "GET", .path = "/v1/organizations/o/plans/p"};
  request.metadata.authorization = "Bearer token-1";
  HttpAnswer answer = Serve(*routes, channel, request);
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.body, R"({"plan":{"name":"organizations/o/plans/p","title":"Bearer token-1"}})");

  request.metadata.authorization.clear();
  answer = Serve(*routes, channel, request);
  EXPECT_EQ(answer.status, 401) << answer.body;
  EXPECT_EQ(answer.body, R"({"code":16,"message":"no authorization metadata"})");
  server->Shutdown();
}

TEST(TableTransferTest, AttachmentNamesAsciiAndUtf8) {
  EXPECT_EQ(AttachmentHeader("hr-plan.tsv"), "attachment; filename=\"hr-plan.tsv\"");
  EXPECT_EQ(AttachmentHeader("計画.csv"),
            "attachment; filename=\"______.csv\"; filename*=UTF-8''%E8%A8%88%E7%94%BB.csv");
}

}  // namespace
}  // namespace torikumi::server::http
