// Re-rating jobs with two real torikumi-server processes on one PostgreSQL database: a job
// runs on exactly one of them, and when the server that runs it is killed (SIGKILL, no
// chance to clean up) the other takes it over once its lease has expired and finishes it.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/server/plugin_server_support.h"
#include "tests/server/rating_jobs_support.h"
#include "tests/server/test_support.h"
#include "tests/store/postgres_test_cluster.h"

namespace torikumi::server_test {
namespace {

// The job lease (--job_lease), renewed every third of it: long enough that a server of a
// sanitizer build on a loaded machine renews it in time, so that no other server takes over a
// job whose server still lives.
constexpr absl::Duration kLease = absl::Seconds(6);

// The log lines of `log` that say `job` was claimed.
int Claims(const std::string& log, const std::string& job) {
  int claims = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, absl::StrCat(job, " (")) && absl::StrContains(line, "claimed by")) {
      ++claims;
    }
  }
  return claims;
}

class MultiServerJobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> uri = store::testing::FreshPostgresUri();
    ASSERT_TRUE(uri.ok()) << uri.status();
    uri_ = *uri;
  }
  void TearDown() override {
    for (auto* server : {&first_, &second_}) {
      if (*server != nullptr && (*server)->child().Running()) {
        EXPECT_TRUE((*server)->Stop()) << (*server)->Log();
      }
    }
  }

  // A server on the database whose "gate" evaluator is the gate plugin `variant` (v1 waits at
  // its gate, which no one opens here; v2 never waits). The first server loads the demo plan.
  std::unique_ptr<ServerProcess> StartServer(const std::string& name, const std::string& variant,
                                             bool demo) {
    const std::string dir = dir_.File(name + "-plugins");
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(absl::StrCat(TORIKUMI_TEST_PLUGINS_DIR, "/gate_", variant, ".so"),
                               dir + "/gate.so");
    std::vector<std::string> flags = {
        "--listen=127.0.0.1:0",     "--db=" + uri_,
        "--plugins_dir=" + dir,     "--plugin_isolation=none",
        "--plugin_call_limit=120s", "--job_lease=" + absl::FormatDuration(kLease)};
    if (demo) {
      flags.push_back("--demo_table=" TORIKUMI_SEED_TSV);
      flags.push_back("--demo_org=demo");
    }
    auto server = std::make_unique<ServerProcess>(dir_, TORIKUMI_SERVER_BINARY, flags, name);
    EXPECT_EQ(server->Launch(), "");
    return server;
  }

  // Names a new "gate" rule set on the demo plan through `server`: the re-rating job it starts.
  static std::string RateDemoPlan(ServerProcess& server) {
    auto rule_sets = v1::RuleSetService::NewStub(server.Channel());
    auto plans = v1::PlanService::NewStub(server.Channel());
    return RateDemoPlanWith(*rule_sets, *plans, "gate", "gate", "anything");
  }

  static std::vector<v1::Job> ListJobs(ServerProcess& server) {
    auto ratings = v1::RatingService::NewStub(server.Channel());
    v1::ListJobsResponse listed;
    grpc::Status status =
        ratings->ListJobs(PluginTestContext().get(), v1::ListJobsRequest(), &listed);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {listed.jobs().begin(), listed.jobs().end()};
  }

  // Every computed rating of the demo plan, its history included.
  static std::vector<v1::ComputedRating> RatingHistory(ServerProcess& server) {
    auto ratings = v1::RatingService::NewStub(server.Channel());
    v1::ListRatingsRequest list;
    list.set_plan(kPluginTestPlan);
    list.set_history(true);
    v1::ListRatingsResponse listed;
    grpc::Status status = ratings->ListRatings(PluginTestContext().get(), list, &listed);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {listed.ratings().begin(), listed.ratings().end()};
  }

  TempDir dir_;
  std::string uri_;
  std::unique_ptr<ServerProcess> first_;
  std::unique_ptr<ServerProcess> second_;
};

TEST_F(MultiServerJobsTest, AJobRunsOnceAcrossTwoServers) {
  first_ = StartServer("first", "v2", /*demo=*/true);
  second_ = StartServer("second", "v2", /*demo=*/false);
  const std::string job = RateDemoPlan(*first_);
  ASSERT_FALSE(job.empty());
  auto ratings_on_second = v1::RatingService::NewStub(second_->Channel());
  const v1::Job ended = WaitForJob(*ratings_on_second, job);
  EXPECT_EQ(ended.state(), v1::Job::STATE_SUCCEEDED) << ended.DebugString();
  EXPECT_EQ(ended.done(), 1);

  // Both list the one job; one server claimed it once.
  EXPECT_EQ(ListJobs(*first_).size(), 1u);
  EXPECT_EQ(ListJobs(*second_).size(), 1u);
  EXPECT_EQ(Claims(first_->Log(), job) + Claims(second_->Log(), job), 1)
      << first_->Log() << second_->Log();
  // Each initiative was rated once.
  std::map<std::string, int> ratings_per_initiative;
  for (const v1::ComputedRating& rating : RatingHistory(*second_)) {
    ++ratings_per_initiative[rating.initiative()];
  }
  ASSERT_FALSE(ratings_per_initiative.empty());
  for (const auto& [initiative, count] : ratings_per_initiative) {
    EXPECT_EQ(count, 1) << initiative;
  }
}

TEST_F(MultiServerJobsTest, AJobOfAKilledServerIsFinishedByTheOther) {
  // The first server claims the job and hangs at the gate with it.
  first_ = StartServer("first", "v1", /*demo=*/true);
  const std::string job = RateDemoPlan(*first_);
  ASSERT_FALSE(job.empty());
  ASSERT_TRUE(PollUntil(kWaitBound, [&] {
    const std::vector<v1::Job> jobs = ListJobs(*first_);
    return !jobs.empty() && jobs[0].state() == v1::Job::STATE_RUNNING;
  }));
  EXPECT_EQ(Claims(first_->Log(), job), 1) << first_->Log();

  // While the first lives it renews its lease: the second, running past a whole lease, leaves
  // the job alone.
  second_ = StartServer("second", "v2", /*demo=*/false);
  absl::SleepFor(kLease + absl::Seconds(2));
  std::vector<v1::Job> jobs = ListJobs(*second_);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].state(), v1::Job::STATE_RUNNING);
  EXPECT_EQ(Claims(second_->Log(), job), 0) << second_->Log();

  first_->child().Signal(SIGKILL);
  ASSERT_TRUE(first_->child().WaitForExit(kWaitBound).has_value());
  auto ratings_on_second = v1::RatingService::NewStub(second_->Channel());
  const v1::Job ended = WaitForJob(*ratings_on_second, job);
  EXPECT_EQ(ended.state(), v1::Job::STATE_SUCCEEDED) << ended.DebugString() << second_->Log();
  EXPECT_EQ(ended.done(), 1);
  EXPECT_EQ(Claims(second_->Log(), job), 1) << second_->Log();
  // The second server's evaluator rated the plan.
  const std::vector<v1::ComputedRating> ratings = RatingHistory(*second_);
  ASSERT_FALSE(ratings.empty());
  for (const v1::ComputedRating& rating : ratings) EXPECT_EQ(rating.evaluator_version(), "2.0.0");
}

}  // namespace
}  // namespace torikumi::server_test
