// The torikumi.v1 API end to end in one process: a real server on 127.0.0.1:0 over a real
// SQLite file, called through the generated client stubs over a real channel. Covers every
// RPC on the happy path and each error code the API promises.
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/server/server.h"
#include "tests/server/test_database.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"
#include "torikumi/v1/organization_service.grpc.pb.h"
#include "torikumi/v1/outcome_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr char kOrg[] = "organizations/example-city";
constexpr char kPlan[] = "organizations/example-city/plans/hr-plan";

// Text here is already NFKC-stable, so what the server normalises comes back unchanged.
v1::Plan HrPlan() {
  v1::Plan plan;
  plan.set_title("人材育成推進プラン");
  plan.mutable_period()->set_first_fiscal_year(2018);
  plan.mutable_period()->set_last_fiscal_year(2022);
  plan.add_areas("職員研修");
  plan.add_areas("組織文化");
  plan.add_areas("働きやすい環境");
  auto add_grade = [&](const char* code, const char* label) {
    v1::Grade* grade = plan.mutable_rating_scale()->add_grades();
    grade->set_code(code);
    grade->set_label(label);
  };
  add_grade("A", "実施できた");
  add_grade("B", "概ね実施できた");
  add_grade("C", "実施できなかった");
  return plan;
}

v1::Initiative TrainingInitiative(int number, const std::string& title) {
  v1::Initiative initiative;
  initiative.set_area("職員研修");
  initiative.set_theme("自己啓発");
  initiative.set_subtheme("自己啓発支援制度の充実");
  initiative.set_number(number);
  initiative.set_title(title);
  initiative.set_kind(v1::INITIATIVE_KIND_CONTINUING);
  for (int year = 2018; year <= 2022; ++year) {
    v1::ScheduleEntry* entry = initiative.add_schedule();
    entry->set_fiscal_year(year);
    entry->set_phase(v1::PHASE_IMPLEMENT);
    entry->set_continuation(year > 2018);
  }
  return initiative;
}

// The google.rpc.BadRequest inside grpc-status-details-bin (empty when there is none).
google::rpc::BadRequest BadRequestOf(const grpc::Status& status) {
  google::rpc::BadRequest bad_request;
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()))
      << "grpc-status-details-bin is not a google.rpc.Status";
  EXPECT_EQ(details.code(), static_cast<int>(status.error_code()));
  EXPECT_EQ(details.message(), status.error_message());
  for (const google::protobuf::Any& any : details.details()) {
    if (any.Is<google::rpc::BadRequest>()) {
      EXPECT_TRUE(any.UnpackTo(&bad_request));
    }
  }
  return bad_request;
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  const google::rpc::BadRequest bad_request = BadRequestOf(status);
  for (const auto& violation : bad_request.field_violations()) {
    EXPECT_FALSE(violation.description().empty()) << violation.field();
    fields.push_back(violation.field());
  }
  return fields;
}

class ServerApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> database = TestDatabase(dir_);
    ASSERT_TRUE(database.ok()) << database.status();
    absl::StatusOr<std::unique_ptr<server::Server>> server = server::Server::Open(*database);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    absl::Status started = server_->Start("127.0.0.1:0");
    ASSERT_TRUE(started.ok()) << started;
    ASSERT_GT(server_->port(), 0);
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    organizations_ = v1::OrganizationService::NewStub(channel_);
    plans_ = v1::PlanService::NewStub(channel_);
    initiatives_ = v1::InitiativeService::NewStub(channel_);
    outcomes_ = v1::OutcomeService::NewStub(channel_);
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }

  // Every call gets a deadline so a stuck server fails the test instead of hanging it.
  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    return context;
  }

  v1::Organization CreateOrganization() {
    v1::CreateOrganizationRequest request;
    request.set_organization_id("example-city");
    request.mutable_organization()->set_display_name("例市");
    v1::CreateOrganizationResponse response;
    grpc::Status status = organizations_->CreateOrganization(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.organization();
  }

  v1::Plan CreatePlan() {
    v1::CreatePlanRequest request;
    request.set_parent(kOrg);
    request.set_plan_id("hr-plan");
    *request.mutable_plan() = HrPlan();
    v1::CreatePlanResponse response;
    grpc::Status status = plans_->CreatePlan(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.plan();
  }

  grpc::Status CreateInitiative(const v1::Initiative& initiative, const std::string& id,
                                v1::Initiative* created, const std::string& request_id = "") {
    v1::CreateInitiativeRequest request;
    request.set_parent(kPlan);
    *request.mutable_initiative() = initiative;
    request.set_initiative_id(id);
    request.set_request_id(request_id);
    v1::CreateInitiativeResponse response;
    grpc::Status status = initiatives_->CreateInitiative(Context().get(), request, &response);
    if (created != nullptr) *created = response.initiative();
    return status;
  }

  int32_t CountInitiatives() {
    v1::ListInitiativesRequest request;
    request.set_parent(kPlan);
    v1::ListInitiativesResponse response;
    grpc::Status status = initiatives_->ListInitiatives(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.total_size(), response.initiatives_size());
    return response.total_size();
  }

  TempDir dir_;
  std::unique_ptr<server::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::OrganizationService::Stub> organizations_;
  std::unique_ptr<v1::PlanService::Stub> plans_;
  std::unique_ptr<v1::InitiativeService::Stub> initiatives_;
  std::unique_ptr<v1::OutcomeService::Stub> outcomes_;
};

TEST_F(ServerApiTest, OrganizationMethodsRoundTrip) {
  v1::Organization created = CreateOrganization();
  EXPECT_EQ(created.name(), kOrg);
  EXPECT_EQ(created.display_name(), "例市");
  EXPECT_FALSE(created.etag().empty());
  EXPECT_TRUE(created.has_create_time());

  v1::GetOrganizationRequest get;
  get.set_name(kOrg);
  v1::GetOrganizationResponse got;
  ASSERT_TRUE(organizations_->GetOrganization(Context().get(), get, &got).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(got.organization(), created));

  v1::ListOrganizationsResponse listed;
  ASSERT_TRUE(organizations_->ListOrganizations(Context().get(), {}, &listed).ok());
  ASSERT_EQ(listed.organizations_size(), 1);
  EXPECT_EQ(listed.total_size(), 1);
  EXPECT_EQ(listed.organizations(0).name(), kOrg);

  v1::UpdateOrganizationRequest update;
  update.mutable_organization()->set_name(kOrg);
  update.mutable_organization()->set_display_name("例市役所");
  update.mutable_organization()->set_etag(created.etag());
  update.mutable_update_mask()->add_paths("display_name");
  v1::UpdateOrganizationResponse updated;
  grpc::Status status = organizations_->UpdateOrganization(Context().get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.organization().display_name(), "例市役所");
  EXPECT_NE(updated.organization().etag(), created.etag());

  v1::DeleteOrganizationRequest remove;
  remove.set_name(kOrg);
  remove.set_etag(updated.organization().etag());
  v1::DeleteOrganizationResponse removed;
  status = organizations_->DeleteOrganization(Context().get(), remove, &removed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(organizations_->GetOrganization(Context().get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerApiTest, PlanMethodsRoundTrip) {
  CreateOrganization();
  v1::Plan created = CreatePlan();
  EXPECT_EQ(created.name(), kPlan);
  EXPECT_EQ(created.title(), "人材育成推進プラン");
  EXPECT_EQ(created.period().first_fiscal_year(), 2018);
  EXPECT_EQ(created.period().last_fiscal_year(), 2022);
  ASSERT_EQ(created.areas_size(), 3);
  EXPECT_EQ(created.areas(2), "働きやすい環境");
  ASSERT_EQ(created.rating_scale().grades_size(), 3);
  EXPECT_EQ(created.rating_scale().grades(1).code(), "B");

  v1::GetPlanRequest get;
  get.set_name(kPlan);
  v1::GetPlanResponse got;
  ASSERT_TRUE(plans_->GetPlan(Context().get(), get, &got).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(got.plan(), created));

  v1::ListPlansRequest list;
  list.set_parent("organizations/-");
  list.set_title_contains("育成");
  v1::ListPlansResponse listed;
  ASSERT_TRUE(plans_->ListPlans(Context().get(), list, &listed).ok());
  ASSERT_EQ(listed.plans_size(), 1);
  EXPECT_EQ(listed.total_size(), 1);
  EXPECT_EQ(listed.plans(0).name(), kPlan);
  list.set_title_contains("行政改革");
  ASSERT_TRUE(plans_->ListPlans(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.plans_size(), 0);
  EXPECT_EQ(listed.total_size(), 0);

  v1::UpdatePlanRequest update;
  update.mutable_plan()->set_name(kPlan);
  update.mutable_plan()->set_title("人材育成推進プラン 改訂版");
  update.mutable_plan()->set_etag(created.etag());
  update.mutable_update_mask()->add_paths("title");
  v1::UpdatePlanResponse updated;
  grpc::Status status = plans_->UpdatePlan(Context().get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.plan().title(), "人材育成推進プラン 改訂版");
  EXPECT_EQ(updated.plan().areas_size(), 3) << "fields outside the mask must stay";
  EXPECT_NE(updated.plan().etag(), created.etag());

  v1::DeletePlanRequest remove;
  remove.set_name(kPlan);
  v1::DeletePlanResponse removed;
  status = plans_->DeletePlan(Context().get(), remove, &removed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(plans_->GetPlan(Context().get(), get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerApiTest, InitiativeMethodsRoundTrip) {
  CreateOrganization();
  CreatePlan();

  v1::Initiative first;
  grpc::Status status = CreateInitiative(
      TrainingInitiative(1, "通信教育講座を受講する職員への経費の一部支援"), "i1", &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(first.name(), std::string(kPlan) + "/initiatives/i1");
  ASSERT_EQ(first.schedule_size(), 5);
  EXPECT_TRUE(first.schedule(4).continuation());
  EXPECT_EQ(first.schedule(4).phase(), v1::PHASE_IMPLEMENT);

  v1::BatchCreateInitiativesRequest batch;
  batch.set_parent(kPlan);
  v1::CreateInitiativeRequest* second = batch.add_requests();
  second->set_initiative_id("i2");
  *second->mutable_initiative() =
      TrainingInitiative(2, "自主研修活動を実施する職員への経費の一部支援");
  v1::CreateInitiativeRequest* third = batch.add_requests();
  third->set_initiative_id("i3");
  *third->mutable_initiative() = TrainingInitiative(1, "職場風土の改善");
  third->mutable_initiative()->set_area("組織文化");
  third->mutable_initiative()->set_kind(v1::INITIATIVE_KIND_NEW);
  v1::BatchCreateInitiativesResponse batched;
  status = initiatives_->BatchCreateInitiatives(Context().get(), batch, &batched);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(batched.initiatives_size(), 2);
  EXPECT_EQ(batched.initiatives(0).name(), std::string(kPlan) + "/initiatives/i2");
  EXPECT_EQ(batched.initiatives(1).area(), "組織文化");

  v1::GetInitiativeRequest get;
  get.set_name(first.name());
  v1::GetInitiativeResponse got;
  ASSERT_TRUE(initiatives_->GetInitiative(Context().get(), get, &got).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(got.initiative(), first));

  v1::ListInitiativesRequest list;
  list.set_parent(kPlan);
  v1::ListInitiativesResponse listed;
  ASSERT_TRUE(initiatives_->ListInitiatives(Context().get(), list, &listed).ok());
  ASSERT_EQ(listed.initiatives_size(), 3);
  EXPECT_EQ(listed.total_size(), 3);
  // The plan's area order first (職員研修 before 組織文化), then number.
  EXPECT_EQ(listed.initiatives(0).name(), first.name());
  EXPECT_EQ(listed.initiatives(1).name(), batched.initiatives(0).name());
  EXPECT_EQ(listed.initiatives(2).name(), batched.initiatives(1).name());
  list.mutable_filter()->set_area("組織文化");
  ASSERT_TRUE(initiatives_->ListInitiatives(Context().get(), list, &listed).ok());
  ASSERT_EQ(listed.initiatives_size(), 1);
  EXPECT_EQ(listed.total_size(), 1);
  EXPECT_EQ(listed.initiatives(0).name(), batched.initiatives(1).name());

  v1::UpdateInitiativeRequest update;
  update.mutable_initiative()->set_name(first.name());
  update.mutable_initiative()->set_title("通信教育講座の受講支援");
  update.mutable_initiative()->set_etag(first.etag());
  update.mutable_update_mask()->add_paths("title");
  v1::UpdateInitiativeResponse updated;
  status = initiatives_->UpdateInitiative(Context().get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.initiative().title(), "通信教育講座の受講支援");
  EXPECT_EQ(updated.initiative().number(), 1);
  EXPECT_NE(updated.initiative().etag(), first.etag());

  v1::RateInitiativeRequest rate;
  rate.set_name(first.name());
  rate.set_grade("B");
  rate.set_rater("人事課");
  rate.set_reason("一部の講座が中止になった");
  v1::RateInitiativeResponse rated;
  status = initiatives_->RateInitiative(Context().get(), rate, &rated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(rated.initiative().human_rating().grade(), "B");
  EXPECT_EQ(rated.initiative().human_rating().rater(), "人事課");
  EXPECT_EQ(rated.initiative().human_rating().reason(), "一部の講座が中止になった");
  EXPECT_GT(rated.initiative().human_rating().rate_time().seconds(), 0);
  list.mutable_filter()->Clear();
  list.mutable_filter()->set_grade("B");
  ASSERT_TRUE(initiatives_->ListInitiatives(Context().get(), list, &listed).ok());
  ASSERT_EQ(listed.initiatives_size(), 1);
  EXPECT_EQ(listed.initiatives(0).name(), first.name());

  v1::DeleteInitiativeRequest remove;
  remove.set_name(batched.initiatives(1).name());
  v1::DeleteInitiativeResponse removed;
  status = initiatives_->DeleteInitiative(Context().get(), remove, &removed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  get.set_name(batched.initiatives(1).name());
  EXPECT_EQ(initiatives_->GetInitiative(Context().get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(CountInitiatives(), 2);
}

TEST_F(ServerApiTest, OutcomeMethodsRoundTrip) {
  CreateOrganization();
  CreatePlan();
  v1::Initiative initiative;
  ASSERT_TRUE(CreateInitiative(TrainingInitiative(1, "経費の一部支援"), "i1", &initiative).ok());

  v1::UpsertOutcomeRequest upsert;
  upsert.set_parent(initiative.name());
  upsert.mutable_outcome()->set_fiscal_year(2018);
  upsert.mutable_outcome()->set_text("支援人数 1人");
  upsert.mutable_outcome()->set_status(v1::OUTCOME_STATUS_IMPLEMENTED);
  v1::Metric* metric = upsert.mutable_outcome()->add_metrics();
  metric->set_label("支援人数");
  metric->set_value(1);
  metric->set_unit("人");
  v1::UpsertOutcomeResponse upserted;
  grpc::Status status = outcomes_->UpsertOutcome(Context().get(), upsert, &upserted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(upserted.created());
  EXPECT_EQ(upserted.outcome().name(), initiative.name() + "/outcomes/fy2018");
  ASSERT_EQ(upserted.outcome().metrics_size(), 1);
  EXPECT_EQ(upserted.outcome().metrics(0).value(), 1);

  // The same year again replaces it.
  upsert.mutable_outcome()->set_text("支援人数 2人");
  upsert.mutable_outcome()->mutable_metrics(0)->set_value(2);
  status = outcomes_->UpsertOutcome(Context().get(), upsert, &upserted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(upserted.created());
  EXPECT_EQ(upserted.outcome().text(), "支援人数 2人");

  // A year reported only up to August, and the whole-period outcome.
  v1::UpsertOutcomeRequest partial;
  partial.set_parent(initiative.name());
  partial.mutable_outcome()->set_fiscal_year(2022);
  partial.mutable_outcome()->set_text("支援人数 0人※実施中");
  partial.mutable_outcome()->set_status(v1::OUTCOME_STATUS_IN_PROGRESS);
  partial.mutable_outcome()->mutable_as_of()->set_year(2022);
  partial.mutable_outcome()->mutable_as_of()->set_month(8);
  partial.mutable_outcome()->mutable_as_of()->set_day(31);
  status = outcomes_->UpsertOutcome(Context().get(), partial, &upserted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(upserted.outcome().as_of().month(), 8);
  v1::UpsertOutcomeRequest period;
  period.set_parent(initiative.name());
  period.mutable_outcome()->set_fiscal_year(0);
  period.mutable_outcome()->set_text("期間を通じて支援を続けた");
  period.mutable_outcome()->set_status(v1::OUTCOME_STATUS_IMPLEMENTED);
  status = outcomes_->UpsertOutcome(Context().get(), period, &upserted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(upserted.outcome().name(), initiative.name() + "/outcomes/period");

  v1::ListOutcomesRequest list;
  list.set_parent(initiative.name());
  v1::ListOutcomesResponse listed;
  ASSERT_TRUE(outcomes_->ListOutcomes(Context().get(), list, &listed).ok());
  ASSERT_EQ(listed.outcomes_size(), 3);
  EXPECT_EQ(listed.total_size(), 3);
  // The whole-period outcome first, then by fiscal year.
  EXPECT_EQ(listed.outcomes(0).fiscal_year(), 0);
  EXPECT_EQ(listed.outcomes(1).fiscal_year(), 2018);
  EXPECT_EQ(listed.outcomes(1).text(), "支援人数 2人");
  EXPECT_EQ(listed.outcomes(2).fiscal_year(), 2022);

  list.set_parent(std::string(kPlan) + "/initiatives/-");
  list.set_fiscal_year(2022);
  ASSERT_TRUE(outcomes_->ListOutcomes(Context().get(), list, &listed).ok());
  ASSERT_EQ(listed.outcomes_size(), 1);
  EXPECT_EQ(listed.outcomes(0).name(), initiative.name() + "/outcomes/fy2022");

  v1::DeleteOutcomeRequest remove;
  remove.set_name(initiative.name() + "/outcomes/fy2022");
  v1::DeleteOutcomeResponse removed;
  status = outcomes_->DeleteOutcome(Context().get(), remove, &removed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(outcomes_->ListOutcomes(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.outcomes_size(), 0);
  EXPECT_EQ(listed.total_size(), 0);
}

TEST_F(ServerApiTest, InvalidArgumentNamesTheFieldInErrorDetails) {
  v1::CreateOrganizationRequest bad_id;
  bad_id.set_organization_id("Not_An_Id");
  bad_id.mutable_organization()->set_display_name("例市");
  v1::CreateOrganizationResponse ignored;
  grpc::Status status = organizations_->CreateOrganization(Context().get(), bad_id, &ignored);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"organization_id"});
  EXPECT_NE(status.error_message().find("organization_id"), std::string::npos)
      << status.error_message();

  CreateOrganization();
  v1::CreatePlanRequest no_title;
  no_title.set_parent(kOrg);
  *no_title.mutable_plan() = HrPlan();
  no_title.mutable_plan()->clear_title();
  v1::CreatePlanResponse plan;
  status = plans_->CreatePlan(Context().get(), no_title, &plan);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"plan.title"});

  // Nothing was created by the rejected requests.
  v1::ListPlansRequest list;
  list.set_parent(kOrg);
  v1::ListPlansResponse listed;
  ASSERT_TRUE(plans_->ListPlans(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.total_size(), 0);
}

TEST_F(ServerApiTest, MissingResourcesAreNotFound) {
  v1::GetOrganizationRequest get_org;
  get_org.set_name("organizations/nowhere");
  v1::GetOrganizationResponse org;
  grpc::Status status = organizations_->GetOrganization(Context().get(), get_org, &org);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  EXPECT_NE(status.error_message().find("organizations/nowhere"), std::string::npos)
      << status.error_message();

  v1::CreatePlanRequest orphan;
  orphan.set_parent("organizations/nowhere");
  *orphan.mutable_plan() = HrPlan();
  v1::CreatePlanResponse plan;
  EXPECT_EQ(plans_->CreatePlan(Context().get(), orphan, &plan).error_code(),
            grpc::StatusCode::NOT_FOUND);

  CreateOrganization();
  v1::GetPlanRequest get_plan;
  get_plan.set_name(std::string(kOrg) + "/plans/missing");
  v1::GetPlanResponse got_plan;
  EXPECT_EQ(plans_->GetPlan(Context().get(), get_plan, &got_plan).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerApiTest, DuplicatesAreAlreadyExists) {
  CreateOrganization();
  v1::CreateOrganizationRequest again;
  again.set_organization_id("example-city");
  again.mutable_organization()->set_display_name("別の市");
  v1::CreateOrganizationResponse ignored;
  grpc::Status status = organizations_->CreateOrganization(Context().get(), again, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();

  CreatePlan();
  ASSERT_TRUE(CreateInitiative(TrainingInitiative(1, "経費の一部支援"), "i1", nullptr).ok());
  // The same id.
  status = CreateInitiative(TrainingInitiative(2, "別の取組"), "i1", nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
  // Another id, but the same area and number.
  status = CreateInitiative(TrainingInitiative(1, "番号の重複"), "i2", nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
  EXPECT_EQ(CountInitiatives(), 1);
}

TEST_F(ServerApiTest, StaleEtagIsAborted) {
  CreateOrganization();
  v1::Plan created = CreatePlan();

  v1::UpdatePlanRequest update;
  update.mutable_plan()->set_name(kPlan);
  update.mutable_plan()->set_title("第一の変更");
  update.mutable_plan()->set_etag(created.etag());
  update.mutable_update_mask()->add_paths("title");
  v1::UpdatePlanResponse updated;
  ASSERT_TRUE(plans_->UpdatePlan(Context().get(), update, &updated).ok());

  // A second writer still holding the first etag loses.
  update.mutable_plan()->set_title("古い版からの変更");
  grpc::Status status = plans_->UpdatePlan(Context().get(), update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();

  v1::GetPlanRequest get;
  get.set_name(kPlan);
  v1::GetPlanResponse got;
  ASSERT_TRUE(plans_->GetPlan(Context().get(), get, &got).ok());
  EXPECT_EQ(got.plan().title(), "第一の変更");
}

TEST_F(ServerApiTest, DeletingAPlanWithInitiativesNeedsForce) {
  CreateOrganization();
  CreatePlan();
  v1::Initiative initiative;
  ASSERT_TRUE(CreateInitiative(TrainingInitiative(1, "経費の一部支援"), "i1", &initiative).ok());

  v1::DeletePlanRequest remove;
  remove.set_name(kPlan);
  v1::DeletePlanResponse removed;
  grpc::Status status = plans_->DeletePlan(Context().get(), remove, &removed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(CountInitiatives(), 1);

  remove.set_force(true);
  status = plans_->DeletePlan(Context().get(), remove, &removed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::GetInitiativeRequest get;
  get.set_name(initiative.name());
  v1::GetInitiativeResponse got;
  EXPECT_EQ(initiatives_->GetInitiative(Context().get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerApiTest, RetryWithTheSameRequestIdCreatesOnce) {
  // No organization_id: without request_id a retry would make a second organization.
  v1::CreateOrganizationRequest create_org;
  create_org.mutable_organization()->set_display_name("例市");
  create_org.set_request_id("org-request-1");
  v1::CreateOrganizationResponse first_org, second_org;
  ASSERT_TRUE(organizations_->CreateOrganization(Context().get(), create_org, &first_org).ok());
  ASSERT_TRUE(organizations_->CreateOrganization(Context().get(), create_org, &second_org).ok());
  EXPECT_EQ(second_org.organization().name(), first_org.organization().name());
  v1::ListOrganizationsResponse orgs;
  ASSERT_TRUE(organizations_->ListOrganizations(Context().get(), {}, &orgs).ok());
  EXPECT_EQ(orgs.total_size(), 1);

  CreateOrganization();
  CreatePlan();
  v1::Initiative first, second;
  ASSERT_TRUE(CreateInitiative(TrainingInitiative(1, "経費の一部支援"), "", &first, "req-1").ok());
  ASSERT_TRUE(CreateInitiative(TrainingInitiative(1, "経費の一部支援"), "", &second, "req-1").ok());
  EXPECT_FALSE(first.name().empty());
  EXPECT_EQ(second.name(), first.name());
  EXPECT_EQ(second.create_time().seconds(), first.create_time().seconds());

  v1::BatchCreateInitiativesRequest batch;
  batch.set_parent(kPlan);
  batch.set_request_id("batch-1");
  *batch.add_requests()->mutable_initiative() = TrainingInitiative(2, "二つ目");
  *batch.add_requests()->mutable_initiative() = TrainingInitiative(3, "三つ目");
  v1::BatchCreateInitiativesResponse first_batch, second_batch;
  ASSERT_TRUE(initiatives_->BatchCreateInitiatives(Context().get(), batch, &first_batch).ok());
  grpc::Status status = initiatives_->BatchCreateInitiatives(Context().get(), batch, &second_batch);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(second_batch.initiatives_size(), 2);
  EXPECT_EQ(second_batch.initiatives(0).name(), first_batch.initiatives(0).name());
  EXPECT_EQ(second_batch.initiatives(1).name(), first_batch.initiatives(1).name());
  EXPECT_EQ(CountInitiatives(), 3);
}

TEST_F(ServerApiTest, PagingVisitsEveryInitiativeOnceInOrder) {
  CreateOrganization();
  CreatePlan();
  v1::BatchCreateInitiativesRequest batch;
  batch.set_parent(kPlan);
  for (int number = 1; number <= 7; ++number) {
    *batch.add_requests()->mutable_initiative() =
        TrainingInitiative(number, "取組 " + std::to_string(number));
  }
  v1::BatchCreateInitiativesResponse created;
  ASSERT_TRUE(initiatives_->BatchCreateInitiatives(Context().get(), batch, &created).ok());

  v1::ListInitiativesRequest list;
  list.set_parent(kPlan);
  list.set_page_size(3);
  std::vector<int> numbers;
  std::vector<int> page_sizes;
  std::set<std::string> names;
  for (int page = 0; page < 10; ++page) {
    v1::ListInitiativesResponse listed;
    grpc::Status status = initiatives_->ListInitiatives(Context().get(), list, &listed);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(listed.total_size(), 7);
    page_sizes.push_back(listed.initiatives_size());
    for (const v1::Initiative& initiative : listed.initiatives()) {
      numbers.push_back(initiative.number());
      names.insert(initiative.name());
    }
    if (listed.next_page_token().empty()) break;
    list.set_page_token(listed.next_page_token());
  }
  EXPECT_EQ(page_sizes, (std::vector<int>{3, 3, 1}));
  EXPECT_EQ(numbers, (std::vector<int>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(names.size(), 7u);

  // A token the server did not issue is rejected, and the error names the field.
  list.set_page_token("not-a-token");
  v1::ListInitiativesResponse rejected;
  grpc::Status status = initiatives_->ListInitiatives(Context().get(), list, &rejected);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"page_token"});
}

TEST_F(ServerApiTest, HealthCheckReportsServing) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  for (const std::string service : {"", "torikumi.v1.PlanService", "torikumi.v1.OutcomeService"}) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = health->Check(Context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << "service '" << service << "': " << status.error_message();
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
}

TEST_F(ServerApiTest, SecondServerOnTheSamePortFails) {
  absl::StatusOr<std::unique_ptr<server::Server>> second =
      server::Server::Open(dir_.File("second.db"));
  ASSERT_TRUE(second.ok()) << second.status();
  absl::Status started = (*second)->Start(server_->address());
  EXPECT_EQ(started.code(), absl::StatusCode::kUnavailable) << started;
  EXPECT_NE(started.message().find(server_->address()), std::string::npos) << started;
  // The first server is unaffected.
  EXPECT_TRUE(WaitForServing(server_->address(), kWaitBound));
}

}  // namespace
}  // namespace torikumi::server_test
