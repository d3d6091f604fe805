// The real torikumi-server binary with --demo_table, as `make serve` starts it: the seed is
// imported into an empty database once, a restart on the same file imports nothing again,
// and a missing seed file only logs a warning. With --default_rule_set the demo plan is
// rated in the background right after start, with no Evaluate call. Every wait is bounded.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/server/rating_jobs_support.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/rating_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

constexpr char kDemoPlan[] = "organizations/demo/plans/hr-plan-progress-h30-r4";

// The server started with the demo flags, as `make serve` starts it, and waited for until
// it serves (error() says why not).
class DemoServer {
 public:
  DemoServer(const TempDir& dir, const std::string& db, const std::string& demo_table, int n,
             const std::vector<std::string>& more_flags = {})
      : server_(dir, TORIKUMI_SERVER_BINARY, Flags(db, demo_table, more_flags),
                absl::StrCat("demo-", n)) {
    error_ = server_.Launch();
  }

  const std::string& error() const { return error_; }
  std::string Log() const { return server_.Log(); }
  bool Stop() { return server_.Stop(); }

  std::vector<v1::Plan> Plans() const {
    auto stub = v1::PlanService::NewStub(server_.Channel());
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
    auto stub = v1::InitiativeService::NewStub(server_.Channel());
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

  std::unique_ptr<v1::RatingService::Stub> Ratings() const {
    return v1::RatingService::NewStub(server_.Channel());
  }

 private:
  static std::vector<std::string> Flags(const std::string& db, const std::string& demo_table,
                                        const std::vector<std::string>& more_flags) {
    std::vector<std::string> flags = {"--listen=127.0.0.1:0", "--db=" + db,
                                      "--demo_table=" + demo_table, "--demo_org=demo",
                                      "--log_level=info"};
    flags.insert(flags.end(), more_flags.begin(), more_flags.end());
    return flags;
  }

  ServerProcess server_;
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
    EXPECT_TRUE(
        absl::StrContains(second.Log(), "demo table not imported: the database already has plans"))
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

TEST(ServerDemoTableProcess, TheDemoPlanIsRatedInTheBackgroundRightAfterStart) {
  TempDir dir;
  DemoServer server(dir, dir.File("torikumi.db"), TORIKUMI_SEED_TSV, 1,
                    {"--plugins_dir=" TORIKUMI_BUILT_PLUGINS_DIR,
                     "--default_rule_set=" TORIKUMI_RULESETS_DIR "/abc-implementation.textproto"});
  ASSERT_EQ(server.error(), "");
  auto ratings = server.Ratings();
  auto deadline = [] {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    return context;
  };
  // Nobody calls Evaluate: the job the default rule set started rates the whole plan.
  const v1::Job job = WaitForJob(*ratings, "jobs/1");
  EXPECT_EQ(job.state(), v1::Job::STATE_SUCCEEDED) << job.DebugString() << server.Log();
  EXPECT_EQ(job.done(), 1);
  EXPECT_TRUE(absl::StrContains(job.description(), kDemoPlan)) << job.description();
  v1::ListJobsResponse jobs;
  ASSERT_TRUE(ratings->ListJobs(deadline().get(), v1::ListJobsRequest(), &jobs).ok());
  EXPECT_EQ(jobs.jobs_size(), 1) << "one job, for the one plan";

  v1::ListRatingsRequest list;

  list.set_page_size(1000);
  list.set_plan(kDemoPlan);
  v1::ListRatingsResponse listed;
  ASSERT_TRUE(ratings->ListRatings(deadline().get(), list, &listed).ok());
  EXPECT_EQ(listed.ratings_size(), 66);
  for (const v1::ComputedRating& rating : listed.ratings()) {
    EXPECT_EQ(rating.trigger(), "plan") << rating.initiative();
    EXPECT_EQ(rating.rule_set(), "organizations/demo/ruleSets/abc-implementation")
        << rating.initiative();
    EXPECT_FALSE(rating.reason().empty()) << rating.initiative();
  }
  v1::CompareRatingsRequest compare;
  compare.set_plan(kDemoPlan);
  v1::CompareRatingsResponse compared;
  ASSERT_TRUE(ratings->CompareRatings(deadline().get(), compare, &compared).ok());
  EXPECT_EQ(compared.compared(), 64);
  EXPECT_GE(compared.agreed(), 58);
  EXPECT_TRUE(absl::StrContains(server.Log(),
                                "now rates with organizations/demo/ruleSets/abc-implementation"))
      << server.Log();
  ASSERT_TRUE(server.Stop()) << server.Log();
}

}  // namespace
}  // namespace torikumi::server_test
