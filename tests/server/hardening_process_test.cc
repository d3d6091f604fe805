// The real torikumi-server binary under load and failure: each hostile input (a deeply
// nested rule set, 10 000 patterns, a 50 MB string, a string over its field's limit,
// thousands of field violations, 500 concurrent import streams) gets a clear error and a
// normal call works after each; an evaluation whose caller gives up stops between batches;
// /metrics answers in the Prometheus text format with counters that move; the access log
// is JSON with --log_format=json; and health says NOT_SERVING while the database cannot be
// used (its folder moved away), SERVING again once it can, as `torikumi health` reports.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/server/hostile_inputs.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"
#include "torikumi/v1/organization_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/rating_service.grpc.pb.h"
#include "torikumi/v1/rule_set_service.grpc.pb.h"
#include "torikumi/v1/table_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

namespace fs = std::filesystem;

constexpr char kOrg[] = "organizations/demo";
constexpr char kPlan[] = "organizations/demo/plans/hr-plan-progress-h30-r4";
constexpr int kTableStreams = 4;
// How long each evaluate() of the slow plugin takes (GATE_SLEEP_MS in tests/evaluators).
constexpr absl::Duration kSlowBatch = absl::Seconds(3);

std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = absl::Seconds(20)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat("code ", status.error_code(), ": ", status.error_message());
}

class HardeningProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string plugins = dir_.File("plugins");
    fs::create_directories(plugins);
    fs::create_directories(DataDir());
    fs::copy_file(TORIKUMI_BUILT_PLUGINS_DIR "/rules.so", plugins + "/rules.so");
    // "gate", every evaluate() of which takes kSlowBatch.
    fs::copy_file(TORIKUMI_SLOW_PLUGIN, plugins + "/slow.so");
    server_ = std::make_unique<ServerProcess>(
        dir_, TORIKUMI_SERVER_BINARY,
        std::vector<std::string>{"--listen=127.0.0.1:0", "--db=" + DataDir() + "/torikumi.db",
                                 "--demo_table=" TORIKUMI_SEED_TSV, "--demo_org=demo",
                                 "--plugins_dir=" + plugins, "--metrics_listen=127.0.0.1:0",
                                 "--health_listen=127.0.0.1:0", "--store_check_interval=100ms",
                                 absl::StrCat("--max_table_streams=", kTableStreams),
                                 "--log_format=json", "--evaluate_batch=25"});
    ASSERT_EQ(server_->Launch(), "");
    plans_ = v1::PlanService::NewStub(server_->Channel());
  }
  void TearDown() override {
    if (server_ != nullptr) {
      EXPECT_TRUE(server_->Stop()) << server_->Log();
    }
  }

  std::string DataDir() const { return dir_.File("data"); }

  // An ordinary read still answers, and the process still runs.
  void ExpectStillServing(absl::string_view after) {
    ASSERT_TRUE(server_->child().Running()) << after << "\n" << server_->Log();
    v1::GetPlanRequest get;
    get.set_name(kPlan);
    v1::GetPlanResponse got;
    grpc::Status status = plans_->GetPlan(Context().get(), get, &got);
    EXPECT_TRUE(status.ok()) << after << ": " << Describe(status);
  }

  // GET /metrics on the port the server logged.
  std::string Scrape() {
    const int port = LoggedPort("metrics on http://127.0.0.1:");
    if (port == 0) return "";
    httplib::Client client("127.0.0.1", port);
    httplib::Result response = client.Get("/metrics");
    if (!response || response->status != 200) return "";
    EXPECT_TRUE(absl::StartsWith(response->get_header_value("Content-Type"), "text/plain"));
    return response->body;
  }

  // The value of the series `series` (name and labels, as rendered) in `text`, or 0.
  static double Sample(const std::string& text, const std::string& series) {
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (!absl::ConsumePrefix(&line, series + " ")) continue;
      double value = 0;
      if (absl::SimpleAtod(line, &value)) return value;
    }
    return 0;
  }

  // The port the server logged for `what` ("metrics on http://127.0.0.1:", "only) on port ").
  int LoggedPort(const std::string& what) {
    const std::string log = server_->Log();
    const size_t at = log.find(what);
    int port = 0;
    if (at == std::string::npos) return 0;
    const size_t begin = at + what.size();
    const size_t end = log.find_first_not_of("0123456789", begin);
    return absl::SimpleAtoi(log.substr(begin, end - begin), &port) ? port : 0;
  }

  // The health service's answer, on the API port or (`health_port`) the health-only one.
  grpc::health::v1::HealthCheckResponse::ServingStatus Health(int health_port = 0) {
    auto health = grpc::health::v1::Health::NewStub(
        health_port == 0 ? server_->Channel()
                         : grpc::CreateChannel(absl::StrCat("127.0.0.1:", health_port),
                                               grpc::InsecureChannelCredentials()));
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status =
        health->Check(Context().get(), grpc::health::v1::HealthCheckRequest(), &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return response.status();
  }

  RunResult HealthCli() {
    return RunProgram({TORIKUMI_CLI_BINARY, "--server", server_->address(), "health"}, dir_);
  }

  grpc::Status CreateRuleSet(const std::string& id, const std::string& evaluator,
                             const std::string& body) {
    auto rule_sets = v1::RuleSetService::NewStub(server_->Channel());
    v1::CreateRuleSetRequest request;
    request.set_parent(kOrg);
    request.set_rule_set_id(id);
    request.mutable_rule_set()->set_evaluator(evaluator);
    request.mutable_rule_set()->set_body(body);
    request.set_plan(kPlan);
    v1::CreateRuleSetResponse response;
    return rule_sets->CreateRuleSet(Context().get(), request, &response);
  }

  grpc::Status CreateOrganization(const std::string& display_name) {
    auto organizations = v1::OrganizationService::NewStub(server_->Channel());
    v1::CreateOrganizationRequest request;
    request.set_organization_id("hostile");
    request.mutable_organization()->set_display_name(display_name);
    v1::CreateOrganizationResponse response;
    return organizations->CreateOrganization(Context().get(), request, &response);
  }

  // Opens `count` ImportTable streams at once and returns the status each ends with.
  std::vector<grpc::Status> ConcurrentImports(int count);

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::PlanService::Stub> plans_;
};

std::vector<grpc::Status> HardeningProcessTest::ConcurrentImports(int count) {
  auto tables = v1::TableService::NewStub(server_->Channel());
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<v1::ImportTableResponse> responses(count);
  std::vector<std::unique_ptr<grpc::ClientWriter<v1::ImportTableRequest>>> writers;
  for (int i = 0; i < count; ++i) {
    contexts.push_back(Context(absl::Seconds(60)));
    writers.push_back(tables->ImportTable(contexts.back().get(), &responses[i]));
  }
  // Every stream has reached the server once all but the admitted ones are refused.
  EXPECT_TRUE(PollUntil(kWaitBound, [&] {
    return Sample(Scrape(), "torikumi_streams_refused_total{streams=\"table\"}") >=
           count - kTableStreams;
  })) << server_->Log();
  std::vector<grpc::Status> statuses;
  for (int i = 0; i < count; ++i) {
    v1::ImportTableRequest request;
    request.mutable_options()->set_parent(kOrg);
    request.mutable_options()->set_dry_run(true);
    request.set_chunk(ReadFile(TORIKUMI_SEED_TSV));
    writers[i]->Write(request);  // fails for a refused stream; Finish says why
    writers[i]->WritesDone();
    statuses.push_back(writers[i]->Finish());
  }
  return statuses;
}

TEST_F(HardeningProcessTest, EachHostileInputGetsAClearErrorAndTheServerServesOn) {
  grpc::Status nested = CreateRuleSet("deep", "rules", hostile::DeeplyNestedRuleSet());
  EXPECT_EQ(nested.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(nested);
  EXPECT_TRUE(absl::StrContains(nested.error_message(), "rule_set.body: nesting depth exceeds 64"))
      << Describe(nested);
  ExpectStillServing("the nested rule set");

  grpc::Status patterns = CreateRuleSet("many", "rules", hostile::RuleSetWithPatterns(10000));
  EXPECT_EQ(patterns.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(patterns);
  EXPECT_TRUE(absl::StrContains(patterns.error_message(), "more than 512 matches_any patterns"))
      << Describe(patterns);
  ExpectStillServing("10 000 patterns");

  // 50 MB: over the message limit (32 MiB), refused before any handler runs.
  grpc::Status huge = CreateOrganization(std::string(50 << 20, 'x'));
  EXPECT_EQ(huge.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(huge);
  ExpectStillServing("a 50 MB string");

  // 1 MiB: a fine message, but far over what a display name may hold.
  grpc::Status long_name = CreateOrganization(std::string(1 << 20, 'x'));
  EXPECT_EQ(long_name.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(long_name);
  EXPECT_TRUE(absl::StrContains(long_name.error_message(),
                                "organization.display_name: is 1048576 characters long, over "
                                "the limit of 200 characters"))
      << Describe(long_name);
  ExpectStillServing("a string over its field's limit");

  // 1 000 invalid initiatives (the most one batch takes), three mistakes each: one error,
  // with a bounded list of violations.
  auto initiatives = v1::InitiativeService::NewStub(server_->Channel());
  v1::BatchCreateInitiativesRequest batch;
  batch.set_parent(kPlan);
  for (int i = 0; i < 1000; ++i) batch.add_requests()->mutable_initiative()->set_number(-i);
  v1::BatchCreateInitiativesResponse created;
  grpc::Status violations = initiatives->BatchCreateInitiatives(Context().get(), batch, &created);
  EXPECT_EQ(violations.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(violations);
  EXPECT_TRUE(absl::StrContains(violations.error_message(), "more violations not listed"))
      << violations.error_message().substr(0, 500);
  EXPECT_LT(violations.error_details().size(), 64u << 10);
  ExpectStillServing("thousands of field violations");

  const std::vector<grpc::Status> imports = ConcurrentImports(500);
  int refused = 0;
  for (const grpc::Status& status : imports) {
    if (status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) {
      EXPECT_TRUE(status.ok()) << Describe(status);
      continue;
    }
    ++refused;
    EXPECT_TRUE(absl::StrContains(status.error_message(),
                                  "table streams are open, the most the server serves at once (4)"))
        << Describe(status);
  }
  EXPECT_EQ(refused, 500 - kTableStreams);
  ExpectStillServing("500 concurrent import streams");
}

TEST_F(HardeningProcessTest, AnEvaluationWhoseCallerGaveUpStopsBetweenBatches) {
  ASSERT_TRUE(CreateRuleSet("slow", "gate", "any").ok());
  auto ratings = v1::RatingService::NewStub(server_->Channel());
  v1::RatingServiceEvaluateRequest evaluate;
  evaluate.set_plan(kPlan);
  evaluate.set_rule_set(std::string(kOrg) + "/ruleSets/slow");
  evaluate.set_dry_run(true);
  v1::RatingServiceEvaluateResponse evaluated;
  // The seed's 66 initiatives are three batches of 25 (--evaluate_batch) of kSlowBatch each,
  // two of them in flight at once; the caller gives up before the first two have ended, so the
  // third never starts. The caller waits most of a batch: the server must have started the
  // first two by then, which a sanitizer build on a loaded machine may take a while to do.
  grpc::Status status =
      ratings->Evaluate(Context(kSlowBatch - absl::Milliseconds(500)).get(), evaluate, &evaluated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << Describe(status);

  const std::string stopped =
      absl::StrCat("Evaluate of plan '", kPlan, "' stopped after 2 of 3 batches");
  ASSERT_TRUE(PollUntil(kWaitBound, [&] { return absl::StrContains(server_->Log(), stopped); }))
      << server_->Log();
  // The two batches in flight finish; then, a batch's time later, still no third has run.
  const std::string calls = "torikumi_plugin_call_seconds_count{call=\"evaluate\"}";
  EXPECT_TRUE(PollUntil(kWaitBound, [&] { return Sample(Scrape(), calls) >= 2; }));
  absl::SleepFor(kSlowBatch + absl::Milliseconds(500));
  const std::string metrics = Scrape();
  EXPECT_EQ(Sample(metrics, calls), 2) << "the third batch never ran\n" << metrics;
  EXPECT_EQ(Sample(metrics, "torikumi_evaluations_stopped_total{code=\"CANCELLED\"}"), 1)
      << metrics;
  ExpectStillServing("a cancelled evaluation");
}

TEST_F(HardeningProcessTest, MetricsCountEveryCallAndTheAccessLogIsJson) {
  const std::string calls = "torikumi_grpc_calls_total{method=\"torikumi.v1.PlanService/GetPlan\"";
  const std::string before = Scrape();
  ASSERT_TRUE(absl::StrContains(before, "# TYPE torikumi_grpc_calls_total counter\n")) << before;
  ExpectStillServing("one GetPlan");
  v1::GetPlanRequest missing;
  missing.set_name(std::string(kOrg) + "/plans/none");
  v1::GetPlanResponse got;
  EXPECT_EQ(plans_->GetPlan(Context().get(), missing, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);

  const std::string after = Scrape();
  EXPECT_EQ(Sample(after, calls + ",code=\"OK\"}"), Sample(before, calls + ",code=\"OK\"}") + 1)
      << after;
  EXPECT_EQ(Sample(after, calls + ",code=\"NOT_FOUND\"}"), 1) << after;
  EXPECT_GE(Sample(after,
                   "torikumi_grpc_call_seconds_count{method=\"torikumi.v1.PlanService/"
                   "GetPlan\"}"),
            2)
      << after;
  EXPECT_GT(Sample(after, "torikumi_store_transaction_seconds_count{kind=\"write\"}"), 0) << after;
  EXPECT_EQ(Sample(after, "torikumi_store_usable"), 1) << after;

  const std::string log = server_->Log();
  EXPECT_TRUE(absl::StrContains(
      log,
      absl::StrCat(R"("message":"call","principal":"local","method":"torikumi.v1.PlanService/)",
                   R"(GetPlan","resource":")", kOrg,
                   R"(/plans/none","code":"NOT_FOUND","duration_ms":")")))
      << log;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    EXPECT_TRUE(absl::StartsWith(line, "{\"time\":\"") && absl::EndsWith(line, "}")) << line;
  }
}

TEST_F(HardeningProcessTest, HealthIsNotServingWhileTheDatabaseCannotBeUsed) {
  RunResult up = HealthCli();
  EXPECT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_EQ(up.out, "SERVING\n");

  const int health_port = LoggedPort("grpc.health.v1 only) on port ");
  ASSERT_NE(health_port, 0) << server_->Log();
  EXPECT_TRUE(PollUntil(kWaitBound, [&] {
    return Health(health_port) == grpc::health::v1::HealthCheckResponse::SERVING;
  }));

  fs::rename(DataDir(), DataDir() + "-moved");
  EXPECT_TRUE(PollUntil(kWaitBound, [&] {
    return Health() == grpc::health::v1::HealthCheckResponse::NOT_SERVING;
  })) << server_->Log();
  EXPECT_TRUE(PollUntil(kWaitBound, [&] {
    return Health(health_port) == grpc::health::v1::HealthCheckResponse::NOT_SERVING;
  }));
  RunResult down = HealthCli();
  EXPECT_EQ(down.exit_code, 1) << down.out << down.err;
  EXPECT_EQ(down.out, "NOT_SERVING\n");
  EXPECT_TRUE(absl::StrContains(server_->Log(), "health: NOT_SERVING: the database file"))
      << server_->Log();

  fs::rename(DataDir() + "-moved", DataDir());
  EXPECT_TRUE(PollUntil(kWaitBound, [&] {
    return Health() == grpc::health::v1::HealthCheckResponse::SERVING;
  })) << server_->Log();
  EXPECT_TRUE(PollUntil(kWaitBound, [&] {
    return Health(health_port) == grpc::health::v1::HealthCheckResponse::SERVING;
  }));
  EXPECT_EQ(HealthCli().exit_code, 0);
  ExpectStillServing("the database back in place");
}

}  // namespace
}  // namespace torikumi::server_test
