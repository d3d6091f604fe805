// The real torikumi-server binary with --demo_table, as `make serve` starts it: the seed is
// imported into an empty database once, a restart on the same file imports nothing again,
// and a missing seed file only logs a warning. Every wait is bounded.
#include <signal.h>
#include <sys/wait.h>

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

constexpr char kDemoPlan[] = "organizations/demo/plans/hr-plan-progress-h30-r4";

// Starts the server with the demo flags and waits until it serves; the address comes from
// its startup line. The child is SIGKILLed by Subprocess's destructor if a test fails.
class DemoServer {
 public:
  DemoServer(const TempDir& dir, const std::string& db, const std::string& demo_table, int n) {
    absl::StatusOr<std::unique_ptr<Subprocess>> child = Subprocess::Start(
        {TORIKUMI_SERVER_BINARY, "--listen=127.0.0.1:0", "--db=" + db,
         "--demo_table=" + demo_table, "--demo_org=demo", "--log_level=info"},
        dir.File(absl::StrCat("demo-", n, ".out")), dir.File(absl::StrCat("demo-", n, ".err")));
    if (!child.ok()) {
      error_ = std::string(child.status().message());
      return;
    }
    child_ = *std::move(child);
    const std::string marker = " listening on ";
    bool logged = PollUntil(kWaitBound, [&] {
      std::string err = child_->Stderr();
      size_t at = err.find(marker);
      if (at == std::string::npos) return !child_->Running();
      size_t begin = at + marker.size();
      size_t end = err.find(' ', begin);
      if (end == std::string::npos) return false;
      address_ = err.substr(begin, end - begin);
      return true;
    });
    if (!logged || address_.empty()) {
      error_ = absl::StrCat("no startup line; stderr:\n", child_->Stderr());
    } else if (!WaitForServing(address_, kWaitBound)) {
      error_ = absl::StrCat("not SERVING on ", address_, "; stderr:\n", child_->Stderr());
    }
  }

  const std::string& error() const { return error_; }
  std::string Log() const { return child_ == nullptr ? "" : child_->Stderr(); }

  // Stops it with SIGTERM; true when it exited 0 in time.
  bool Stop() {
    child_->Signal(SIGTERM);
    std::optional<int> status = child_->WaitForExit(kWaitBound);
    return status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) == 0;
  }

  std::vector<v1::Plan> Plans() const {
    auto channel = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    auto stub = v1::PlanService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    v1::ListPlansRequest request;
    request.set_parent("organizations/-");
    v1::ListPlansResponse response;
    grpc::Status status = stub->ListPlans(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.plans().begin(), response.plans().end()};
  }

  int Initiatives(const std::string& plan) const {
    auto channel = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    auto stub = v1::InitiativeService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    v1::ListInitiativesRequest request;
    request.set_parent(plan);
    request.set_page_size(1000);
    v1::ListInitiativesResponse response;
    grpc::Status status = stub->ListInitiatives(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.initiatives_size();
  }

 private:
  std::unique_ptr<Subprocess> child_;
  std::string address_;
  std::string error_;
};

TEST(ServerDemoTableProcess, ImportsTheSeedOnceAndNotAgainOnRestart) {
  TempDir dir;
  const std::string db = dir.File("torikumi.db");
  {
    DemoServer first(dir, db, TORIKUMI_SEED_TSV, 1);
    ASSERT_EQ(first.error(), "");
    std::vector<v1::Plan> plans = first.Plans();
    ASSERT_EQ(plans.size(), 1u) << first.Log();
    EXPECT_EQ(plans[0].name(), kDemoPlan);
    EXPECT_EQ(plans[0].title(), "人材育成推進プラン");
    EXPECT_EQ(first.Initiatives(kDemoPlan), 66);
    EXPECT_TRUE(absl::StrContains(first.Log(), "imported the demo table")) << first.Log();
    EXPECT_TRUE(absl::StrContains(first.Log(), "66 initiatives")) << first.Log();
    ASSERT_TRUE(first.Stop()) << first.Log();
  }
  {
    DemoServer second(dir, db, TORIKUMI_SEED_TSV, 2);
    ASSERT_EQ(second.error(), "");
    std::vector<v1::Plan> plans = second.Plans();
    ASSERT_EQ(plans.size(), 1u) << second.Log();
    EXPECT_EQ(second.Initiatives(kDemoPlan), 66);
    EXPECT_FALSE(absl::StrContains(second.Log(), "imported the demo table")) << second.Log();
    EXPECT_TRUE(absl::StrContains(second.Log(), "demo table not imported: the database already has plans"))
        << second.Log();
    ASSERT_TRUE(second.Stop()) << second.Log();
  }
}

TEST(ServerDemoTableProcess, MissingSeedStartsEmptyWithAWarning) {
  TempDir dir;
  DemoServer server(dir, dir.File("torikumi.db"), dir.File("no-such-seed.tsv"), 1);
  ASSERT_EQ(server.error(), "");
  EXPECT_TRUE(server.Plans().empty());
  EXPECT_TRUE(absl::StrContains(server.Log(), "WARNING")) << server.Log();
  EXPECT_TRUE(absl::StrContains(server.Log(), "no-such-seed.tsv")) << server.Log();
  EXPECT_TRUE(absl::StrContains(server.Log(), "starting with an empty database")) << server.Log();
  ASSERT_TRUE(server.Stop()) << server.Log();
}

TEST(ServerDemoTableProcess, ABrokenSeedStopsTheServerWithTheReason) {
  TempDir dir;
  const std::string seed = dir.File("broken.tsv");
  WriteFile(seed, std::string("\x00\x01\x02 not a table", 16));
  RunResult run = RunProgram({TORIKUMI_SERVER_BINARY, "--listen=127.0.0.1:0",
                              "--db=" + dir.File("torikumi.db"), "--demo_table=" + seed},
                             dir);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, "cannot load the demo table")) << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, "broken.tsv")) << run.err;
}

}  // namespace
}  // namespace torikumi::server_test
