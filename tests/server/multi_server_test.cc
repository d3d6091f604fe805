// Two torikumi servers on one PostgreSQL database, as a hosting setup runs them behind a load
// balancer: a write on one is read on the other at once, an etag read on one guards an update
// on the other, and a watch on one delivers what the other wrote.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "services/server/server.h"
#include "tests/server/test_support.h"
#include "tests/store/postgres_test_cluster.h"
#include "torikumi/v1/change_service.grpc.pb.h"
#include "torikumi/v1/organization_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  return context;
}

class MultiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> uri = store::testing::FreshPostgresUri();
    ASSERT_TRUE(uri.ok()) << uri.status();
    for (auto* server : {&first_, &second_}) {
      absl::StatusOr<std::unique_ptr<server::Server>> opened = server::Server::Open(*uri);
      ASSERT_TRUE(opened.ok()) << opened.status();
      ASSERT_TRUE((*opened)->EnableChangeFeed().ok());
      ASSERT_TRUE((*opened)->Start("127.0.0.1:0").ok());
      *server = *std::move(opened);
    }
  }
  void TearDown() override {
    for (auto* server : {&first_, &second_}) {
      if (*server != nullptr) (*server)->Shutdown(absl::Seconds(5));
    }
  }
  static std::shared_ptr<grpc::Channel> ChannelTo(server::Server& server) {
    return grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  }

  std::unique_ptr<server::Server> first_;
  std::unique_ptr<server::Server> second_;
};

TEST_F(MultiServerTest, WritesOnOneAreReadAndWatchedOnTheOther) {
  auto organizations = v1::OrganizationService::NewStub(ChannelTo(*first_));
  auto plans_on_first = v1::PlanService::NewStub(ChannelTo(*first_));
  auto plans_on_second = v1::PlanService::NewStub(ChannelTo(*second_));
  auto changes_on_second = v1::ChangeService::NewStub(ChannelTo(*second_));

  v1::CreateOrganizationRequest organization;
  organization.set_organization_id("city");
  organization.mutable_organization()->set_display_name("市役所");
  v1::CreateOrganizationResponse made;
  ASSERT_TRUE(organizations->CreateOrganization(Context().get(), organization, &made).ok());

  // A watch on the second server, from now on.
  grpc::ClientContext watch_context;
  watch_context.set_deadline(absl::ToChronoTime(absl::Now() + kWaitBound));
  v1::WatchChangesRequest watch;
  watch.set_parent("organizations/city");
  auto reader = changes_on_second->WatchChanges(&watch_context, watch);
  v1::WatchChangesResponse response;
  ASSERT_TRUE(reader->Read(&response));  // the first response: where the watch starts

  v1::CreatePlanRequest create;
  create.set_parent("organizations/city");
  create.set_plan_id("hr");
  create.mutable_plan()->set_title("人材育成推進プラン");
  create.mutable_plan()->mutable_period()->set_first_fiscal_year(2018);
  create.mutable_plan()->mutable_period()->set_last_fiscal_year(2022);
  v1::CreatePlanResponse created;
  grpc::Status status = plans_on_first->CreatePlan(Context().get(), create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // Listed on the other server at once.
  v1::ListPlansRequest list;
  list.set_parent("organizations/city");
  v1::ListPlansResponse listed;
  ASSERT_TRUE(plans_on_second->ListPlans(Context().get(), list, &listed).ok());
  ASSERT_EQ(listed.plans_size(), 1);
  EXPECT_EQ(listed.plans(0).name(), created.plan().name());
  EXPECT_EQ(listed.plans(0).etag(), created.plan().etag());

  // Its watch delivers the create the first server made.
  ASSERT_TRUE(reader->Read(&response)) << reader->Finish().error_message();
  ASSERT_GE(response.events_size(), 1);
  EXPECT_EQ(response.events(0).name(), created.plan().name());
  EXPECT_EQ(response.events(0).type(), v1::CHANGE_TYPE_CREATED);
  watch_context.TryCancel();
  reader->Finish();

  // An update on the second with the etag the first handed out; then the first's stale
  // etag is refused.
  v1::UpdatePlanRequest update;
  *update.mutable_plan() = created.plan();
  update.mutable_plan()->set_title("改題");
  update.mutable_update_mask()->add_paths("title");
  v1::UpdatePlanResponse updated;
  status = plans_on_second->UpdatePlan(Context().get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::UpdatePlanResponse refused;
  status = plans_on_first->UpdatePlan(Context().get(), update, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();
}

}  // namespace
}  // namespace torikumi::server_test
