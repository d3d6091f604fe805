// The real torikumi-server binary as a child process: durability across SIGKILL, graceful
// SIGTERM, and clear failures for a taken port or an unopenable database. Every wait is
// bounded; a failing test's destructors SIGKILL the child.
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"
#include "torikumi/v1/organization_service.grpc.pb.h"
#include "torikumi/v1/outcome_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

constexpr char kOrg[] = "organizations/crash-city";
constexpr char kPlan[] = "organizations/crash-city/plans/hr-plan";

// A torikumi-server child on `listen` with the database `db`.
ServerProcess Server(const TempDir& dir, const std::string& db,
                     const std::string& listen = "127.0.0.1:0") {
  return ServerProcess(dir, TORIKUMI_SERVER_BINARY,
                       {"--listen=" + listen, "--db=" + db, "--log_level=info"});
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  return context;
}

std::string ExitDescription(const std::optional<int>& status) {
  if (!status.has_value()) return "still running";
  if (WIFEXITED(*status)) return absl::StrCat("exit code ", WEXITSTATUS(*status));
  if (WIFSIGNALED(*status)) return absl::StrCat("killed by signal ", WTERMSIG(*status));
  return "unknown";
}

// Everything one test writes, so that the restarted server can be checked against it.
struct Written {
  std::vector<std::string> initiatives;
  std::vector<std::string> outcomes;
};

// Writes an organization, a plan, three initiatives and an outcome for each, asserting that
// every write was acknowledged.
void WriteRecords(const std::shared_ptr<grpc::Channel>& channel, Written* written) {
  auto organizations = v1::OrganizationService::NewStub(channel);
  auto plans = v1::PlanService::NewStub(channel);
  auto initiatives = v1::InitiativeService::NewStub(channel);
  auto outcomes = v1::OutcomeService::NewStub(channel);

  v1::CreateOrganizationRequest org;
  org.set_organization_id("crash-city");
  org.mutable_organization()->set_display_name("耐障害市");
  v1::CreateOrganizationResponse org_response;
  grpc::Status status = organizations->CreateOrganization(Context().get(), org, &org_response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  v1::CreatePlanRequest plan;
  plan.set_parent(kOrg);
  plan.set_plan_id("hr-plan");
  plan.mutable_plan()->set_title("人材育成推進プラン");
  plan.mutable_plan()->mutable_period()->set_first_fiscal_year(2018);
  plan.mutable_plan()->mutable_period()->set_last_fiscal_year(2022);
  plan.mutable_plan()->add_areas("職員研修");
  for (const char* code : {"A", "B", "C"}) {
    v1::Grade* grade = plan.mutable_plan()->mutable_rating_scale()->add_grades();
    grade->set_code(code);
    grade->set_label(absl::StrCat("評価", code));
  }
  v1::CreatePlanResponse plan_response;
  status = plans->CreatePlan(Context().get(), plan, &plan_response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  for (int number = 1; number <= 3; ++number) {
    v1::CreateInitiativeRequest create;
    create.set_parent(kPlan);
    create.set_initiative_id(absl::StrCat("i", number));
    create.mutable_initiative()->set_area("職員研修");
    create.mutable_initiative()->set_number(number);
    create.mutable_initiative()->set_title(absl::StrCat("取組", number));
    create.mutable_initiative()->set_kind(v1::INITIATIVE_KIND_NEW);
    v1::CreateInitiativeResponse created;
    status = initiatives->CreateInitiative(Context().get(), create, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
    written->initiatives.push_back(created.initiative().name());

    v1::UpsertOutcomeRequest upsert;
    upsert.set_parent(created.initiative().name());
    upsert.mutable_outcome()->set_fiscal_year(2018 + number);
    upsert.mutable_outcome()->set_text(absl::StrCat("支援人数 ", number, "人"));
    upsert.mutable_outcome()->set_status(v1::OUTCOME_STATUS_IMPLEMENTED);
    v1::UpsertOutcomeResponse upserted;
    status = outcomes->UpsertOutcome(Context().get(), upsert, &upserted);
    ASSERT_TRUE(status.ok()) << status.error_message();
    written->outcomes.push_back(upserted.outcome().name());
  }
}

// Reads every record back through a (restarted) server.
void ExpectRecords(const std::shared_ptr<grpc::Channel>& channel, const Written& written) {
  auto organizations = v1::OrganizationService::NewStub(channel);
  auto plans = v1::PlanService::NewStub(channel);
  auto initiatives = v1::InitiativeService::NewStub(channel);
  auto outcomes = v1::OutcomeService::NewStub(channel);

  v1::GetOrganizationRequest get_org;
  get_org.set_name(kOrg);
  v1::GetOrganizationResponse org;
  grpc::Status status = organizations->GetOrganization(Context().get(), get_org, &org);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(org.organization().display_name(), "耐障害市");

  v1::GetPlanRequest get_plan;
  get_plan.set_name(kPlan);
  v1::GetPlanResponse plan;
  status = plans->GetPlan(Context().get(), get_plan, &plan);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(plan.plan().rating_scale().grades_size(), 3);

  v1::ListInitiativesRequest list;
  list.set_parent(kPlan);
  v1::ListInitiativesResponse listed;
  status = initiatives->ListInitiatives(Context().get(), list, &listed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(listed.initiatives_size(), static_cast<int>(written.initiatives.size()));
  for (size_t i = 0; i < written.initiatives.size(); ++i) {
    EXPECT_EQ(listed.initiatives(static_cast<int>(i)).name(), written.initiatives[i]);
  }

  v1::ListOutcomesRequest list_outcomes;
  list_outcomes.set_parent(std::string(kPlan) + "/initiatives/-");
  v1::ListOutcomesResponse outcome_list;
  status = outcomes->ListOutcomes(Context().get(), list_outcomes, &outcome_list);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(outcome_list.outcomes_size(), static_cast<int>(written.outcomes.size()));
  for (size_t i = 0; i < written.outcomes.size(); ++i) {
    EXPECT_EQ(outcome_list.outcomes(static_cast<int>(i)).name(), written.outcomes[i]);
    EXPECT_EQ(outcome_list.outcomes(static_cast<int>(i)).text(),
              absl::StrCat("支援人数 ", i + 1, "人"));
  }
}

TEST(ServerProcessTest, AcknowledgedWritesSurviveSigkill) {
  TempDir dir;
  const std::string db = dir.File("data/torikumi.db");  // the folder is created by the server
  Written written;
  {
    ServerProcess server = Server(dir, db);
    ASSERT_EQ(server.Launch(), "");
    ASSERT_NO_FATAL_FAILURE(WriteRecords(server.Channel(), &written));
    // No grace, no shutdown path: the process dies the moment the last write was acknowledged.
    server.child().Signal(SIGKILL);
    std::optional<int> status = server.child().WaitForExit(kWaitBound);
    ASSERT_TRUE(status.has_value() && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL)
        << ExitDescription(status);
  }
  ServerProcess restarted = Server(dir, db);
  ASSERT_EQ(restarted.Launch(), "");
  ExpectRecords(restarted.Channel(), written);
}

TEST(ServerProcessTest, SigtermShutsDownCleanly) {
  TempDir dir;
  const std::string db = dir.File("torikumi.db");
  Written written;
  ServerProcess server = Server(dir, db);
  ASSERT_EQ(server.Launch(), "");
  std::string startup = server.child().Stderr();
  EXPECT_NE(startup.find(absl::StrCat("torikumi-server ", TORIKUMI_VERSION)), std::string::npos)
      << startup;
  EXPECT_NE(startup.find(db), std::string::npos) << startup;
  ASSERT_NO_FATAL_FAILURE(WriteRecords(server.Channel(), &written));

  server.child().Signal(SIGTERM);
  std::optional<int> status = server.child().WaitForExit(kWaitBound);
  ASSERT_TRUE(status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << ExitDescription(status) << "\n"
      << server.child().Stderr();
  // Closing the last connection checkpoints the WAL into the main file and removes it.
  EXPECT_FALSE(std::filesystem::exists(db + "-wal")) << "the database was not closed";

  // The file opens cleanly without the server and holds what was written.
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::OpenSqliteStore(db);
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<v1::Organization> org = (*store)->GetOrganization(kOrg);
  ASSERT_TRUE(org.ok()) << org.status();
  EXPECT_EQ(org->display_name(), "耐障害市");
  ASSERT_EQ(written.initiatives.size(), 3u);
  for (const std::string& name : written.initiatives) {
    EXPECT_TRUE((*store)->GetInitiative(name).ok()) << name;
  }
}

TEST(ServerProcessTest, TakenPortFailsNamingTheAddress) {
  // Hold a port the way any other program would: bound and listening, no SO_REUSEPORT.
  int holder = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(holder, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ASSERT_EQ(bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(holder, 1), 0);
  socklen_t length = sizeof(address);
  ASSERT_EQ(getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string taken = absl::StrCat("127.0.0.1:", ntohs(address.sin_port));

  TempDir dir;
  ServerProcess server = Server(dir, dir.File("torikumi.db"), taken);
  ASSERT_EQ(server.Start(), "");
  std::optional<int> status = server.child().WaitForExit(kWaitBound);
  close(holder);
  ASSERT_TRUE(status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) != 0)
      << ExitDescription(status);
  std::string err = server.child().Stderr();
  EXPECT_NE(err.find(taken), std::string::npos) << err;
  EXPECT_NE(err.find("already in use"), std::string::npos) << err;
  EXPECT_EQ(err.find(" listening on "), std::string::npos) << err;
}

TEST(ServerProcessTest, UnopenableDatabaseFailsNamingThePath) {
  TempDir dir;
  const std::string folder = dir.File("a-folder.db");
  std::filesystem::create_directory(folder);
  const std::string garbage = dir.File("garbage.db");
  std::string bytes;
  for (int i = 0; i < 8192; ++i) bytes.push_back(static_cast<char>((i * 7919 + 13) % 251));
  WriteFile(garbage, bytes);

  for (const std::string& db : {folder, garbage}) {
    ServerProcess server = Server(dir, db);
    ASSERT_EQ(server.Start(), "");
    std::optional<int> status = server.child().WaitForExit(kWaitBound);
    ASSERT_TRUE(status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) != 0)
        << db << ": " << ExitDescription(status);
    std::string err = server.child().Stderr();
    EXPECT_NE(err.find(db), std::string::npos) << err;
    EXPECT_EQ(err.find(" listening on "), std::string::npos) << err;
  }
  // The garbage file was left as it was.
  EXPECT_EQ(ReadFile(garbage), bytes);
}

TEST(ServerProcessTest, BadLogLevelIsAUsageError) {
  TempDir dir;
  RunResult result =
      RunProgram({TORIKUMI_SERVER_BINARY, "--log_level=loud", "--db=" + dir.File("x.db")}, dir);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("loud"), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("x.db"))) << "nothing should be created";
}

}  // namespace
}  // namespace torikumi::server_test
