// Durability under load: the real torikumi-server takes UpsertOutcome calls from 16 writers
// at once (so its writes are committed in groups) and is killed with SIGKILL in the middle.
// After a restart on the same file, every write the server acknowledged must be there: each
// outcome holds the last acknowledged text of its writer, or a later one whose answer the
// kill cut off, never an older one.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"
#include "torikumi/v1/organization_service.grpc.pb.h"
#include "torikumi/v1/outcome_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

constexpr int kWriters = 16;
constexpr int kFirstYear = 2018;
constexpr int kYears = 5;
constexpr char kPlan[] = "organizations/load-city/plans/hr-plan";

ServerProcess Server(const TempDir& dir, const std::string& db) {
  return ServerProcess(dir, TORIKUMI_SERVER_BINARY,
                       {"--listen=127.0.0.1:0", "--db=" + db, "--log_level=info"});
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  return context;
}

// An organization, a plan and one initiative per writer; returns the initiatives' names.
std::vector<std::string> CreateInitiatives(const std::shared_ptr<grpc::Channel>& channel) {
  v1::CreateOrganizationRequest org;
  org.set_organization_id("load-city");
  org.mutable_organization()->set_display_name("負荷市");
  v1::CreateOrganizationResponse org_response;
  EXPECT_TRUE(v1::OrganizationService::NewStub(channel)
                  ->CreateOrganization(Context().get(), org, &org_response)
                  .ok());
  v1::CreatePlanRequest plan;
  plan.set_parent("organizations/load-city");
  plan.set_plan_id("hr-plan");
  plan.mutable_plan()->set_title("人材育成推進プラン");
  plan.mutable_plan()->mutable_period()->set_first_fiscal_year(kFirstYear);
  plan.mutable_plan()->mutable_period()->set_last_fiscal_year(kFirstYear + kYears - 1);
  plan.mutable_plan()->add_areas("職員研修");
  for (const char* code : {"A", "B", "C"}) {
    v1::Grade* grade = plan.mutable_plan()->mutable_rating_scale()->add_grades();
    grade->set_code(code);
    grade->set_label(absl::StrCat("評価", code));
  }
  v1::CreatePlanResponse plan_response;
  grpc::Status status =
      v1::PlanService::NewStub(channel)->CreatePlan(Context().get(), plan, &plan_response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::vector<std::string> names;
  auto initiatives = v1::InitiativeService::NewStub(channel);
  for (int number = 1; number <= kWriters; ++number) {
    v1::CreateInitiativeRequest create;
    create.set_parent(kPlan);
    create.set_initiative_id(absl::StrCat("i", number));
    create.mutable_initiative()->set_area("職員研修");
    create.mutable_initiative()->set_number(number);
    create.mutable_initiative()->set_title(absl::StrCat("取組", number));
    create.mutable_initiative()->set_kind(v1::INITIATIVE_KIND_NEW);
    v1::CreateInitiativeResponse created;
    status = initiatives->CreateInitiative(Context().get(), create, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    names.push_back(created.initiative().name());
  }
  return names;
}

// What one writer did: per fiscal year, the sequence number of the last acknowledged write
// and of the last one sent (acknowledged or not).
struct WriterLog {
  std::map<int, int> acknowledged;
  std::map<int, int> sent;
};

// Upserts the outcomes of `initiative`, year after year, with text "seq N", until a call
// fails (the server is gone).
void Write(const std::shared_ptr<grpc::Channel>& channel, const std::string& initiative,
           std::atomic<int>* acknowledged, WriterLog* log) {
  auto outcomes = v1::OutcomeService::NewStub(channel);
  for (int seq = 1;; ++seq) {
    const int year = kFirstYear + seq % kYears;
    v1::UpsertOutcomeRequest upsert;
    upsert.set_parent(initiative);
    upsert.mutable_outcome()->set_fiscal_year(year);
    upsert.mutable_outcome()->set_text(absl::StrCat("seq ", seq));
    log->sent[year] = seq;
    v1::UpsertOutcomeResponse response;
    if (!outcomes->UpsertOutcome(Context().get(), upsert, &response).ok()) return;
    log->acknowledged[year] = seq;
    acknowledged->fetch_add(1);
  }
}

// The sequence number in each stored outcome's text, by initiative and fiscal year.
std::map<std::string, std::map<int, int>> StoredSequences(
    const std::shared_ptr<grpc::Channel>& channel) {
  v1::ListOutcomesRequest list;
  list.set_parent(absl::StrCat(kPlan, "/initiatives/-"));
  list.set_page_size(1000);
  v1::ListOutcomesResponse listed;
  grpc::Status status =
      v1::OutcomeService::NewStub(channel)->ListOutcomes(Context().get(), list, &listed);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::map<std::string, std::map<int, int>> stored;
  for (const v1::Outcome& outcome : listed.outcomes()) {
    int seq = 0;
    EXPECT_TRUE(absl::SimpleAtoi(outcome.text().substr(4), &seq)) << outcome.text();
    const std::string initiative = outcome.name().substr(0, outcome.name().find("/outcomes/"));
    stored[initiative][outcome.fiscal_year()] = seq;
  }
  return stored;
}

TEST(KillUnderLoadTest, EveryAcknowledgedWriteSurvivesSigkill) {
  TempDir dir;
  const std::string db = dir.File("torikumi.db");
  std::vector<std::string> initiatives;
  std::vector<WriterLog> logs(kWriters);
  std::atomic<int> acknowledged{0};
  {
    ServerProcess server = Server(dir, db);
    ASSERT_EQ(server.Launch(), "");
    initiatives = CreateInitiatives(server.Channel());
    ASSERT_EQ(initiatives.size(), static_cast<size_t>(kWriters));
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      // A channel each, so the writes arrive side by side rather than queued on one connection.
      grpc::ChannelArguments arguments;
      arguments.SetInt("torikumi.test.writer", w);
      auto channel = grpc::CreateCustomChannel(server.address(), grpc::InsecureChannelCredentials(),
                                               arguments);
      writers.emplace_back(Write, channel, initiatives[w], &acknowledged, &logs[w]);
    }
    // Mid-load: well after the writers got going, while all sixteen are still writing.
    const bool loaded = PollUntil(kWaitBound, [&] { return acknowledged.load() >= 400; });
    server.child().Signal(SIGKILL);
    std::optional<int> status = server.child().WaitForExit(kWaitBound);
    for (std::thread& writer : writers) writer.join();
    ASSERT_TRUE(loaded) << acknowledged.load() << " writes acknowledged\n" << server.Log();
    ASSERT_TRUE(status.has_value() && WIFSIGNALED(*status)) << server.Log();
  }
  ServerProcess restarted = Server(dir, db);
  ASSERT_EQ(restarted.Launch(), "");
  std::map<std::string, std::map<int, int>> stored = StoredSequences(restarted.Channel());
  int checked = 0;
  for (int w = 0; w < kWriters; ++w) {
    for (const auto& [year, seq] : logs[w].acknowledged) {
      const int found = stored[initiatives[w]][year];
      EXPECT_GE(found, seq) << initiatives[w] << " FY" << year << ": acknowledged write lost";
      EXPECT_LE(found, logs[w].sent[year]) << initiatives[w] << " FY" << year;
      ++checked;
    }
  }
  EXPECT_GE(checked, kWriters) << "the writers had barely started when the server was killed";
}

}  // namespace
}  // namespace torikumi::server_test
