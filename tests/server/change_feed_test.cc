// The change feed over gRPC, with a real in-process server, the real SQLite file and this
// build's plugins: a watch of the seed plan sees every kind of change, a client that
// disconnects half-way and resumes with its cursor gets each event exactly once and in
// order, a cursor older than the retention window is FAILED_PRECONDITION, and a watch whose
// token is revoked while it is open is ended with UNAUTHENTICATED.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "services/server/rating_services.h"
#include "services/server/server.h"
#include "tests/server/test_database.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/change_service.grpc.pb.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"
#include "torikumi/v1/outcome_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/rule_set_service.grpc.pb.h"
#include "torikumi/v1/token_service.grpc.pb.h"

namespace torikumi {
namespace {

using server_test::TempDir;

constexpr char kOrg[] = "organizations/city";

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  return context;
}

int64_t CursorValue(const std::string& cursor) {
  int64_t value = -1;
  EXPECT_TRUE(absl::SimpleAtoi(cursor, &value)) << cursor;
  return value;
}

// One open WatchChanges stream.
class Watch {
 public:
  // `token`: the bearer secret to watch with; none when empty.
  Watch(v1::ChangeService::Stub& stub, const std::string& parent, const std::string& cursor,
        const std::string& token = "") {
    if (!token.empty()) context_.AddMetadata("authorization", "Bearer " + token);
    v1::WatchChangesRequest request;
    request.set_parent(parent);
    request.set_cursor(cursor);
    context_.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    reader_ = stub.WatchChanges(&context_, request);
  }
  ~Watch() {
    context_.TryCancel();
    Finish();
  }
  // The next response; false when the stream ended.
  bool Next(v1::WatchChangesResponse* response) { return reader_->Read(response); }
  // Reads until `done(response)`; every event read is appended to `events`.
  std::string ReadUntil(std::vector<v1::ChangeEvent>& events,
                        const std::function<bool(const v1::WatchChangesResponse&)>& done) {
    v1::WatchChangesResponse response;
    while (Next(&response)) {
      for (const auto& event : response.events()) events.push_back(event);
      if (done(response)) return response.cursor();
    }
    ADD_FAILURE() << "the watch ended early: " << Finish().error_message();
    return "";
  }
  // The stream's status (once it ended; Finish on the stream may be called only once).
  grpc::Status Finish() {
    if (!finished_) status_ = reader_->Finish();
    finished_ = true;
    return status_;
  }

 private:
  bool finished_ = false;
  grpc::Status status_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> reader_;
};

class ChangeFeedTest : public ::testing::Test {
 protected:
  void StartServer(const server::ChangeFeedOptions& options) {
    absl::StatusOr<std::string> database = TestDatabase(dir_);
    ASSERT_TRUE(database.ok()) << database.status();
    absl::StatusOr<std::unique_ptr<server::Server>> server = server::Server::Open(*database);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(server_->EnableRatings(TORIKUMI_BUILT_PLUGINS_DIR).ok());
    ASSERT_TRUE(server_->EnableChangeFeed(options).ok());
    ASSERT_TRUE(server_->LoadDemoTable(TORIKUMI_SEED_TSV, "city").ok());
    absl::Status started = server_->Start("127.0.0.1:0");
    ASSERT_TRUE(started.ok()) << started;
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    changes_ = v1::ChangeService::NewStub(channel_);
    plans_ = v1::PlanService::NewStub(channel_);
    initiatives_ = v1::InitiativeService::NewStub(channel_);
    outcomes_ = v1::OutcomeService::NewStub(channel_);
    rule_sets_ = v1::RuleSetService::NewStub(channel_);
    v1::ListPlansRequest list;
    list.set_parent(kOrg);
    v1::ListPlansResponse listed;
    ASSERT_TRUE(plans_->ListPlans(Context().get(), list, &listed).ok());
    ASSERT_EQ(listed.plans_size(), 1);
    plan_ = listed.plans(0).name();
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }
  // One change to the plan: its title.
  void RetitlePlan() {
    v1::UpdatePlanRequest update;
    update.mutable_plan()->set_name(plan_);
    update.mutable_plan()->set_title("改題したプラン");
    update.mutable_update_mask()->add_paths("title");
    v1::UpdatePlanResponse updated;
    ASSERT_TRUE(plans_->UpdatePlan(Context().get(), update, &updated).ok());
  }
  void WaitForJobs() { ASSERT_TRUE(server_->ratings()->jobs.WaitIdle(absl::Seconds(60))); }

  // A rule set on the plan (RULE_SET, PLAN updated, JOB, COMPUTED_RATING), a new initiative
  // (INITIATIVE) rated by hand (HUMAN_RATING).
  std::string FirstHalf() {
    v1::CreateRuleSetRequest rule_set;
    rule_set.set_parent(kOrg);
    rule_set.set_rule_set_id("abc");
    rule_set.mutable_rule_set()->set_evaluator("rules");
    rule_set.mutable_rule_set()->set_body(
        server_test::ReadFile(TORIKUMI_RULESETS_DIR "/abc-implementation.textproto"));
    rule_set.set_plan(plan_);
    v1::CreateRuleSetResponse created_rule_set;
    EXPECT_TRUE(rule_sets_->CreateRuleSet(Context().get(), rule_set, &created_rule_set).ok());
    v1::UpdatePlanRequest update;
    update.mutable_plan()->set_name(plan_);
    update.mutable_plan()->set_rule_set(created_rule_set.rule_set().name());
    update.mutable_update_mask()->add_paths("rule_set");
    v1::UpdatePlanResponse updated;
    EXPECT_TRUE(plans_->UpdatePlan(Context().get(), update, &updated).ok());
    WaitForJobs();

    v1::CreateInitiativeRequest create;
    create.set_parent(plan_);
    create.set_initiative_id("watched");
    v1::Initiative& initiative = *create.mutable_initiative();
    initiative.set_area("職員研修");
    initiative.set_number(99);
    initiative.set_title("見守られる取組");
    v1::CreateInitiativeResponse created;
    grpc::Status status = initiatives_->CreateInitiative(Context().get(), create, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    v1::UpdateInitiativeRequest rate;
    *rate.mutable_initiative() = created.initiative();
    rate.mutable_initiative()->mutable_human_rating()->set_grade("B");
    rate.mutable_update_mask()->add_paths("human_rating");
    v1::UpdateInitiativeResponse rated;
    status = initiatives_->UpdateInitiative(Context().get(), rate, &rated);
    EXPECT_TRUE(status.ok()) << status.error_message();
    WaitForJobs();
    return created.initiative().name();
  }

  // An outcome recorded and deleted (OUTCOME), the initiative and the plan deleted.
  void SecondHalf(const std::string& initiative) {
    v1::UpsertOutcomeRequest upsert;
    upsert.set_parent(initiative);
    upsert.mutable_outcome()->set_fiscal_year(2019);
    upsert.mutable_outcome()->set_text("研修を実施した");
    v1::UpsertOutcomeResponse upserted;
    grpc::Status status = outcomes_->UpsertOutcome(Context().get(), upsert, &upserted);
    EXPECT_TRUE(status.ok()) << status.error_message();
    WaitForJobs();
    v1::DeleteOutcomeRequest delete_outcome;
    delete_outcome.set_name(upserted.outcome().name());
    v1::DeleteOutcomeResponse deleted_outcome;
    EXPECT_TRUE(outcomes_->DeleteOutcome(Context().get(), delete_outcome, &deleted_outcome).ok());
    WaitForJobs();
    v1::DeleteInitiativeRequest delete_initiative;
    delete_initiative.set_name(initiative);
    delete_initiative.set_force(true);
    v1::DeleteInitiativeResponse deleted_initiative;
    EXPECT_TRUE(
        initiatives_->DeleteInitiative(Context().get(), delete_initiative, &deleted_initiative)
            .ok());
    WaitForJobs();
    v1::DeletePlanRequest delete_plan;
    delete_plan.set_name(plan_);
    delete_plan.set_force(true);
    v1::DeletePlanResponse deleted_plan;
    EXPECT_TRUE(plans_->DeletePlan(Context().get(), delete_plan, &deleted_plan).ok());
  }

  TempDir dir_;
  std::unique_ptr<server::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ChangeService::Stub> changes_;
  std::unique_ptr<v1::PlanService::Stub> plans_;
  std::unique_ptr<v1::InitiativeService::Stub> initiatives_;
  std::unique_ptr<v1::OutcomeService::Stub> outcomes_;
  std::unique_ptr<v1::RuleSetService::Stub> rule_sets_;
  std::string plan_;
};

bool HasEvent(const std::vector<v1::ChangeEvent>& events, v1::ChangeType type,
              v1::ResourceKind kind) {
  for (const auto& event : events) {
    if (event.type() == type && event.kind() == kind) return true;
  }
  return false;
}

TEST_F(ChangeFeedTest, ResumedWatchSeesEveryChangeExactlyOnceInOrder) {
  StartServer({});
  std::vector<v1::ChangeEvent> received;
  std::string start;
  std::string resume;
  std::string initiative;
  {
    Watch first(*changes_, plan_, "");
    v1::WatchChangesResponse opening;
    ASSERT_TRUE(first.Next(&opening));
    EXPECT_EQ(opening.events_size(), 0);
    start = opening.cursor();
    initiative = FirstHalf();
    // Read up to the hand rating, then hang up in the middle of the feed.
    resume = first.ReadUntil(received, [](const v1::WatchChangesResponse& response) {
      for (const auto& event : response.events()) {
        if (event.kind() == v1::RESOURCE_KIND_HUMAN_RATING) return true;
      }
      return false;
    });
  }
  SecondHalf(initiative);
  {
    Watch second(*changes_, plan_, resume);
    second.ReadUntil(received, [&](const v1::WatchChangesResponse& response) {
      for (const auto& event : response.events()) {
        if (event.kind() == v1::RESOURCE_KIND_PLAN && event.type() == v1::CHANGE_TYPE_DELETED)
          return true;
      }
      return false;
    });
  }
  // The whole history read again in one go from the start is what the two halves saw.
  std::vector<v1::ChangeEvent> reference;
  {
    Watch whole(*changes_, plan_, start);
    whole.ReadUntil(reference, [&](const v1::WatchChangesResponse& response) {
      return !reference.empty() && reference.back().kind() == v1::RESOURCE_KIND_PLAN &&
             reference.back().type() == v1::CHANGE_TYPE_DELETED;
    });
  }
  ASSERT_EQ(received.size(), reference.size());
  int64_t previous = CursorValue(start);
  for (size_t i = 0; i < received.size(); ++i) {
    EXPECT_EQ(received[i].cursor(), reference[i].cursor()) << i;
    EXPECT_GT(CursorValue(received[i].cursor()), previous) << "out of order or twice at " << i;
    previous = CursorValue(received[i].cursor());
  }
  EXPECT_TRUE(HasEvent(received, v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_RULE_SET));
  EXPECT_TRUE(HasEvent(received, v1::CHANGE_TYPE_UPDATED, v1::RESOURCE_KIND_PLAN));
  EXPECT_TRUE(HasEvent(received, v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_JOB));
  EXPECT_TRUE(HasEvent(received, v1::CHANGE_TYPE_UPDATED, v1::RESOURCE_KIND_JOB));
  EXPECT_TRUE(HasEvent(received, v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_COMPUTED_RATING));
  EXPECT_TRUE(HasEvent(received, v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_INITIATIVE));
  EXPECT_TRUE(HasEvent(received, v1::CHANGE_TYPE_UPDATED, v1::RESOURCE_KIND_INITIATIVE));
  EXPECT_TRUE(HasEvent(received, v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_HUMAN_RATING));
  EXPECT_TRUE(HasEvent(received, v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_OUTCOME));
  EXPECT_TRUE(HasEvent(received, v1::CHANGE_TYPE_DELETED, v1::RESOURCE_KIND_OUTCOME));
  EXPECT_TRUE(HasEvent(received, v1::CHANGE_TYPE_DELETED, v1::RESOURCE_KIND_INITIATIVE));
  EXPECT_TRUE(HasEvent(received, v1::CHANGE_TYPE_DELETED, v1::RESOURCE_KIND_PLAN));
  // A deleted resource comes by name only; a written one with its body.
  for (const auto& event : received) {
    if (event.type() == v1::CHANGE_TYPE_DELETED) {
      EXPECT_EQ(event.resource_case(), v1::ChangeEvent::RESOURCE_NOT_SET) << event.name();
    } else {
      EXPECT_NE(event.resource_case(), v1::ChangeEvent::RESOURCE_NOT_SET) << event.name();
    }
  }
}

TEST_F(ChangeFeedTest, CursorOlderThanRetentionIsFailedPrecondition) {
  server::ChangeFeedOptions options;
  options.retention = absl::Milliseconds(1);
  options.prune_every = absl::Milliseconds(50);
  StartServer(options);
  std::string start;
  {
    Watch watch(*changes_, kOrg, "");
    v1::WatchChangesResponse opening;
    ASSERT_TRUE(watch.Next(&opening));
    start = opening.cursor();
  }
  ASSERT_NO_FATAL_FAILURE(RetitlePlan());
  grpc::Status status;
  EXPECT_TRUE(server_test::PollUntil(server_test::kWaitBound, [&] {
    Watch stale(*changes_, kOrg, start);
    v1::WatchChangesResponse response;
    while (stale.Next(&response)) {
      if (response.events_size() > 0) return false;  // not pruned yet
    }
    status = stale.Finish();
    return status.error_code() == grpc::StatusCode::FAILED_PRECONDITION;
  }));
  EXPECT_NE(status.error_message().find("list the resources again"), std::string::npos)
      << status.error_message();
}

TEST_F(ChangeFeedTest, MalformedWatchIsInvalidArgument) {
  StartServer({});
  Watch watch(*changes_, "plans/x", "");
  v1::WatchChangesResponse response;
  EXPECT_FALSE(watch.Next(&response));
  grpc::Status status = watch.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("parent"), std::string::npos) << status.error_message();
}

// The hub asks again, every watch_recheck, whether an open watch's caller may still watch: a
// viewer's watch ends with UNAUTHENTICATED soon after its token is revoked, while a watch
// without credentials (the loopback server admin) goes on.
TEST_F(ChangeFeedTest, RevokingTheTokenEndsItsOpenWatch) {
  server::ChangeFeedOptions options;
  options.watch_recheck = absl::Milliseconds(100);
  StartServer(options);
  auto tokens = v1::TokenService::NewStub(channel_);
  v1::CreateTokenRequest create;
  create.set_parent(kOrg);
  create.set_token_id("watcher");
  create.mutable_token()->set_role(v1::ROLE_VIEWER);
  v1::CreateTokenResponse created;
  grpc::Status made = tokens->CreateToken(Context().get(), create, &created);
  ASSERT_TRUE(made.ok()) << made.error_message();

  Watch watch(*changes_, plan_, "", created.secret());
  Watch admin(*changes_, plan_, "");
  v1::WatchChangesResponse response;
  ASSERT_TRUE(watch.Next(&response)) << watch.Finish().error_message();
  ASSERT_TRUE(admin.Next(&response)) << admin.Finish().error_message();
  // Still open well past a recheck while the token is valid: nothing ends it.
  absl::SleepFor(absl::Milliseconds(300));

  v1::DeleteTokenRequest revoke;
  revoke.set_name(created.token().name());
  v1::DeleteTokenResponse revoked;
  ASSERT_TRUE(tokens->DeleteToken(Context().get(), revoke, &revoked).ok());
  const absl::Time start = absl::Now();
  EXPECT_FALSE(watch.Next(&response))
      << "the revoked token's watch sent " << response.DebugString();
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  const grpc::Status ended = watch.Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAUTHENTICATED) << ended.error_message();

  // The other watch is not cut: it still gets the next change.
  ASSERT_NO_FATAL_FAILURE(RetitlePlan());
  std::vector<v1::ChangeEvent> events;
  admin.ReadUntil(events, [](const v1::WatchChangesResponse& r) { return r.events_size() > 0; });
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].name(), plan_);
}

}  // namespace
}  // namespace torikumi
