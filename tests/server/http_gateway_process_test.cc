// The real torikumi-server binary with --http_listen, driven over HTTP/JSON with cpp-httplib's
// client as a caller without gRPC would drive it: list plans, create an initiative, record an
// outcome, change it with an update mask, read errors as google.rpc.Status JSON with the HTTP
// code of Google's mapping (400 with the field violation, 404, 405), export and import the
// table as files, and review a year-end rating round (open, next, accept, override, close).
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "tests/server/test_certificates.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/initiative_service.pb.h"
#include "torikumi/v1/outcome_service.pb.h"
#include "torikumi/v1/plan_service.pb.h"
#include "torikumi/v1/rating_round_service.pb.h"
#include "torikumi/v1/table_service.pb.h"

namespace torikumi::server_test {
namespace {

constexpr char kDemoPlan[] = "organizations/demo/plans/hr-plan-progress-h30-r4";
constexpr char kJson[] = "application/json";

// `json` parsed into a T; fails the test when it does not parse.
template <typename T>
T Parse(const std::string& json) {
  T message;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &message).ok()) << json;
  return message;
}

// The port of the startup line "serving HTTP/JSON on 127.0.0.1:PORT"; 0 when there is none.
int HttpPort(const std::string& log) {
  const std::string kLine = "serving HTTP/JSON on 127.0.0.1:";
  const size_t at = log.find(kLine);
  int port = 0;
  if (at == std::string::npos) return 0;
  const size_t digits = at + kLine.size();
  return absl::SimpleAtoi(log.substr(digits, log.find('\n', digits) - digits), &port) ? port : 0;
}

class HttpGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::string> flags{"--listen=127.0.0.1:0",
                                   "--http_listen=127.0.0.1:0",
                                   "--db=" + dir_.File("http.db"),
                                   "--demo_table=" TORIKUMI_SEED_TSV,
                                   "--demo_org=demo",
                                   "--log_level=info"};
    for (std::string& flag : ExtraFlags()) flags.push_back(std::move(flag));
    server_ = std::make_unique<ServerProcess>(dir_, TORIKUMI_SERVER_BINARY, flags, "http");
    ASSERT_EQ(server_->Launch(), "");
    port_ = HttpPort(server_->Log());
    ASSERT_GT(port_, 0) << server_->Log();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(20, 0);
  }

  void TearDown() override { EXPECT_TRUE(server_->Stop()) << server_->Log(); }

  // Flags a test of the fixture adds to the server's.
  virtual std::vector<std::string> ExtraFlags() const { return {}; }

  // The error body of a failed request, checked to be google.rpc.Status JSON of `code`.
  google::rpc::Status ExpectError(const httplib::Result& result, int http_status, int code) {
    EXPECT_TRUE(result) << "no answer";
    if (!result) return {};
    EXPECT_EQ(result->status, http_status) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), kJson);
    auto status = Parse<google::rpc::Status>(result->body);
    EXPECT_EQ(status.code(), code) << result->body;
    EXPECT_FALSE(status.message().empty());
    return status;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
  int port_ = 0;
};

TEST_F(HttpGatewayTest, ListsPlansCreatesAnInitiativeAndRecordsAnOutcome) {
  httplib::Result plans = client_->Get("/v1/organizations/-/plans");
  ASSERT_TRUE(plans);
  ASSERT_EQ(plans->status, 200) << plans->body;
  auto listed = Parse<v1::ListPlansResponse>(plans->body);
  ASSERT_EQ(listed.plans_size(), 1);
  EXPECT_EQ(listed.plans(0).name(), kDemoPlan);

  httplib::Result created =
      client_->Post(absl::StrCat("/v1/", kDemoPlan, "/initiatives?initiativeId=http-made"),
                    R"({"area": "職員研修", "number": 99, "title": "HTTPで登録した研修",
          "kind": "INITIATIVE_KIND_NEW", "schedule": [{"fiscalYear": 2019, "phase": "PHASE_TRIAL"}]})",
                    kJson);
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 200) << created->body;
  auto initiative = Parse<v1::CreateInitiativeResponse>(created->body).initiative();
  EXPECT_EQ(initiative.name(), absl::StrCat(kDemoPlan, "/initiatives/http-made"));
  EXPECT_EQ(initiative.title(), "HTTPで登録した研修");

  httplib::Result outcome = client_->Put(
      absl::StrCat("/v1/", initiative.name(), "/outcomes"),
      R"({"fiscalYear": 2019, "text": "・HTTP経由の研修 12人", "status": "OUTCOME_STATUS_IMPLEMENTED"})",
      // What `curl -d` sends: the body is JSON whatever the label says.
      "application/x-www-form-urlencoded");
  ASSERT_TRUE(outcome);
  ASSERT_EQ(outcome->status, 200) << outcome->body;
  auto upserted = Parse<v1::UpsertOutcomeResponse>(outcome->body);
  EXPECT_TRUE(upserted.created());
  EXPECT_EQ(upserted.outcome().name(), absl::StrCat(initiative.name(), "/outcomes/fy2019"));

  // Read back through the query parameters of a List: the filter finds it by its text.
  httplib::Result found = client_->Get(absl::StrCat("/v1/", kDemoPlan, "/initiatives"),
                                       httplib::Params{{"filter.textContains", "HTTP経由"}}, {});
  ASSERT_TRUE(found);
  ASSERT_EQ(found->status, 200) << found->body;
  auto matching = Parse<v1::ListInitiativesResponse>(found->body);
  ASSERT_EQ(matching.initiatives_size(), 1) << found->body;
  EXPECT_EQ(matching.initiatives(0).name(), initiative.name());

  // PATCH with an update mask in the query changes the title alone.
  httplib::Result patched =
      client_->Patch(absl::StrCat("/v1/", initiative.name(), "?updateMask=title"),
                     R"({"title": "改めた題"})", kJson);
  ASSERT_TRUE(patched);
  ASSERT_EQ(patched->status, 200) << patched->body;
  auto updated = Parse<v1::UpdateInitiativeResponse>(patched->body).initiative();
  EXPECT_EQ(updated.title(), "改めた題");
  EXPECT_EQ(updated.number(), 99);

  // It has an outcome now: FAILED_PRECONDITION, which Google's mapping makes 400; with
  // force=true in the query it goes.
  ExpectError(client_->Delete(absl::StrCat("/v1/", initiative.name())), 400, 9);
  httplib::Result deleted = client_->Delete(absl::StrCat("/v1/", initiative.name(), "?force=true"));
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 200) << deleted->body;
  ExpectError(client_->Get(absl::StrCat("/v1/", initiative.name())), 404, 5);
}

TEST_F(HttpGatewayTest, ABadRequestIs400WithItsFieldViolation) {
  google::rpc::Status status =
      ExpectError(client_->Post("/v1/organizations/demo/plans", "{}", kJson), 400, 3);
  bool found = false;
  for (const auto& detail : status.details()) {
    google::rpc::BadRequest bad_request;
    if (!detail.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      found = found || absl::StartsWith(violation.field(), "plan.");
    }
  }
  EXPECT_TRUE(found) << status.DebugString();

  // A query parameter that is not a field, or not of its field's type, names the field.
  google::rpc::Status unknown =
      ExpectError(client_->Get("/v1/organizations/demo/plans?colour=red"), 400, 3);
  EXPECT_TRUE(absl::StrContains(unknown.message(), "colour")) << unknown.message();
  google::rpc::Status not_a_number =
      ExpectError(client_->Get("/v1/organizations/demo/plans?pageSize=many"), 400, 3);
  EXPECT_TRUE(absl::StrContains(not_a_number.message(), "pageSize")) << not_a_number.message();
  // What httplib refuses itself (here: a form-labelled body over its 8 KiB) is JSON too.
  ExpectError(client_->Post("/v1/organizations/demo/plans", std::string(20000, ' ') + "{}",
                            "application/x-www-form-urlencoded"),
              413, 8);
  // Bytes that are not UTF-8, in the path, the query or the body, are a 400 with a UTF-8 answer.
  ExpectError(client_->Get("/v1/organizations/%FF/plans"), 400, 3);
  ExpectError(client_->Get("/v1/organizations/demo/plans?titleContains=%FF"), 400, 3);
  ExpectError(client_->Post("/v1/organizations", "{\"displayName\": \"\xff\"}", kJson), 400, 3);
  // A body that is not JSON of the request.
  ExpectError(client_->Post("/v1/organizations/demo/plans", "{\"nonsense\": 1}", kJson), 400, 3);
}

TEST_F(HttpGatewayTest, MissingThingsAre404AndAWrongMethodIs405) {
  ExpectError(client_->Get("/v1/organizations/demo/plans/no-such-plan"), 404, 5);
  ExpectError(client_->Get("/v1/no/such/path"), 404, 5);
  ExpectError(client_->Put("/v1/organizations/demo/plans", "{}", kJson), 405, 12);
}

TEST_F(HttpGatewayTest, ExportsAndImportsTheTableAsFiles) {
  httplib::Result exported =
      client_->Get(absl::StrCat("/v1/", kDemoPlan, ":exportTable?format=tsv"));
  ASSERT_TRUE(exported);
  ASSERT_EQ(exported->status, 200) << exported->body;
  EXPECT_TRUE(
      absl::StartsWith(exported->get_header_value("Content-Type"), "text/tab-separated-values"));
  EXPECT_TRUE(absl::StrContains(exported->get_header_value("Content-Disposition"), ".tsv"));
  EXPECT_TRUE(absl::StrContains(exported->body, "【職員研修】")) << exported->body.substr(0, 300);

  httplib::Result imported =
      client_->Post("/v1/organizations/demo/plans:importTable?options.planId=copy", exported->body,
                    "text/tab-separated-values");
  ASSERT_TRUE(imported);
  ASSERT_EQ(imported->status, 200) << imported->body;
  auto report = Parse<v1::ImportTableResponse>(imported->body);
  EXPECT_EQ(report.plan(), "organizations/demo/plans/copy");
  EXPECT_TRUE(report.plan_created());
  httplib::Result source = client_->Get(absl::StrCat("/v1/", kDemoPlan, "/initiatives?pageSize=1"));
  ASSERT_TRUE(source);
  EXPECT_EQ(report.initiatives_created(),
            Parse<v1::ListInitiativesResponse>(source->body).total_size())
      << imported->body;

  httplib::Result copy = client_->Get("/v1/organizations/demo/plans/copy");
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->status, 200) << copy->body;

  // An import the table reader refuses is an error with its reason, and creates nothing.
  ExpectError(client_->Post("/v1/organizations/demo/plans:importTable?options.planId=junk",
                            "not a table", "text/plain"),
              400, 3);
  ExpectError(client_->Get("/v1/organizations/demo/plans/junk"), 404, 5);
}

// `message` as the JSON body of a request.
std::string Json(const google::protobuf::Message& message) {
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &json).ok());
  return json;
}

// The server rates with the rules plugin, so that a round can be opened on the seed.
class HttpRatingRoundTest : public HttpGatewayTest {
 protected:
  static constexpr char kRound[] =
      "organizations/demo/plans/hr-plan-progress-h30-r4/ratingRounds/2022";

  std::vector<std::string> ExtraFlags() const override {
    return {"--plugins_dir=" TORIKUMI_BUILT_PLUGINS_DIR,
            "--default_rule_set=" TORIKUMI_RULESETS_DIR "/abc-implementation.textproto"};
  }

  // GET or POST (with `body`) of `path` under /v1/, checked 200 and parsed.
  template <typename Response>
  Response Call(const std::string& path, const std::string* body = nullptr) {
    httplib::Result result = body == nullptr
                                 ? client_->Get(absl::StrCat("/v1/", path))
                                 : client_->Post(absl::StrCat("/v1/", path), *body, kJson);
    EXPECT_TRUE(result) << path;
    if (!result) return {};
    EXPECT_EQ(result->status, 200) << path << ": " << result->body;
    return Parse<Response>(result->body);
  }

  httplib::Result PostRound(const std::string& verb, const google::protobuf::Message& body) {
    return client_->Post(absl::StrCat("/v1/", kRound, verb), Json(body), kJson);
  }
};

TEST_F(HttpRatingRoundTest, OpensReviewsAndRefusesOverHttp) {
  const std::string open = R"({"fiscalYear": 2022})";
  const v1::RatingRound opened =
      Call<v1::OpenRatingRoundResponse>(absl::StrCat(kDemoPlan, "/ratingRounds:open"), &open)
          .rating_round();
  EXPECT_EQ(opened.name(), kRound);
  EXPECT_EQ(opened.state(), v1::RatingRound::STATE_OPEN);
  EXPECT_EQ(opened.progress().total(), 64);
  EXPECT_EQ(opened.progress().reviewed(), 0);
  ASSERT_EQ(opened.area_progress_size(), 3);

  const v1::RatingRoundEntry first =
      Call<v1::NextRatingRoundEntryResponse>(absl::StrCat(kRound, ":next")).entry();
  ASSERT_FALSE(first.proposed_grade().empty()) << first.DebugString();
  v1::AcceptRatingRequest accept;
  accept.set_initiative(first.initiative());
  accept.set_etag(opened.etag());
  const std::string accept_body = Json(accept);
  const auto accepted =
      Call<v1::AcceptRatingResponse>(absl::StrCat(kRound, ":accept"), &accept_body);
  EXPECT_EQ(accepted.entry().decision(), v1::RatingRoundEntry::DECISION_ACCEPTED);
  EXPECT_EQ(accepted.entry().grade(), first.proposed_grade());
  EXPECT_EQ(accepted.progress().reviewed(), 1);
  EXPECT_NE(accepted.etag(), opened.etag());
  const v1::Initiative graded = Call<v1::GetInitiativeResponse>(first.initiative()).initiative();
  EXPECT_EQ(graded.human_rating().grade(), first.proposed_grade());
  EXPECT_EQ(graded.human_rating().rating_round(), kRound);

  // Refused, each as google.rpc.Status JSON with its HTTP code: the round's old etag (409),
  // an override without a reason (400 naming the field), closing too early (400).
  const v1::RatingRoundEntry second =
      Call<v1::NextRatingRoundEntryResponse>(absl::StrCat(kRound, ":next")).entry();
  accept.set_initiative(second.initiative());
  ExpectError(PostRound(":accept", accept), 409, 10);
  v1::OverrideRatingRequest override_request;
  override_request.set_initiative(second.initiative());
  override_request.set_grade("C");
  google::rpc::Status no_reason = ExpectError(PostRound(":override", override_request), 400, 3);
  EXPECT_TRUE(absl::StrContains(no_reason.message(), "reason")) << no_reason.message();
  ExpectError(PostRound(":close", v1::CloseRatingRoundRequest()), 400, 9);

  override_request.set_reason("一部の所属で未実施");
  const std::string override_body = Json(override_request);
  const auto overridden =
      Call<v1::OverrideRatingResponse>(absl::StrCat(kRound, ":override"), &override_body);
  EXPECT_EQ(overridden.entry().decision(), v1::RatingRoundEntry::DECISION_OVERRIDDEN);
  EXPECT_EQ(overridden.entry().reason(), "一部の所属で未実施");
  const v1::RatingRound round = Call<v1::GetRatingRoundResponse>(kRound).rating_round();
  EXPECT_EQ(round.progress().reviewed(), 2);
  EXPECT_EQ(round.progress().accepted(), 1);
  EXPECT_EQ(round.progress().overridden(), 1);
  int area_reviewed = 0;
  for (const v1::RatingRoundProgress& area : round.area_progress()) {
    area_reviewed += area.reviewed();
  }
  EXPECT_EQ(area_reviewed, 2);
  EXPECT_EQ(Call<v1::ListRatingRoundsResponse>(absl::StrCat(kDemoPlan, "/ratingRounds"))
                .rating_rounds_size(),
            1);
}

TEST_F(HttpGatewayTest, ATakenPortOrAnExposedAddressIsRefusedAtStart) {
  TempDir scratch;
  RunResult taken =
      RunProgram({TORIKUMI_SERVER_BINARY, "--listen=127.0.0.1:0", "--db=" + scratch.File("t.db"),
                  absl::StrCat("--http_listen=127.0.0.1:", port_)},
                 scratch);
  EXPECT_EQ(taken.exit_code, 1) << taken.err;
  EXPECT_TRUE(absl::StrContains(taken.err, absl::StrCat("127.0.0.1:", port_))) << taken.err;
  EXPECT_TRUE(absl::StrContains(taken.err, "in use")) << taken.err;

  // Plain HTTP on every interface needs --insecure (or TLS), as gRPC's --listen does.
  RunResult exposed = RunProgram({TORIKUMI_SERVER_BINARY, "--listen=127.0.0.1:0",
                                  "--db=" + scratch.File("e.db"), "--http_listen=0.0.0.0:0"},
                                 scratch);
  EXPECT_EQ(exposed.exit_code, 2) << exposed.err;
  EXPECT_TRUE(absl::StrContains(exposed.err, "--http_listen")) << exposed.err;
}

// With --tls_cert/--tls_key/--client_ca the gateway speaks HTTPS with the gRPC port's
// certificate and wants a client certificate from the same CA.
TEST(HttpsGatewayTest, ServesHttpsAndRequiresAClientCertificate) {
  // The refused clients below write to sockets the server has closed (OpenSSL raises SIGPIPE).
  signal(SIGPIPE, SIG_IGN);
  TempDir dir;
  absl::StatusOr<TestCertificates> certificates = MakeTestCertificates(dir);
  ASSERT_TRUE(certificates.ok()) << certificates.status();
  ServerProcess server(
      dir, TORIKUMI_SERVER_BINARY,
      {"--listen=127.0.0.1:0", "--http_listen=127.0.0.1:0", "--db=" + dir.File("https.db"),
       "--demo_table=" TORIKUMI_SEED_TSV, "--tls_cert=" + certificates->server_cert,
       "--tls_key=" + certificates->server_key, "--client_ca=" + certificates->ca},
      "https");
  server.set_credentials(
      TlsChannelCredentials(certificates->ca, certificates->client_cert, certificates->client_key));
  ASSERT_EQ(server.Launch(), "");
  const int port = HttpPort(server.Log());
  ASSERT_GT(port, 0) << server.Log();

  httplib::SSLClient client("127.0.0.1", port, certificates->client_cert, certificates->client_key);
  client.set_ca_cert_path(certificates->ca.c_str());
  client.enable_server_certificate_verification(true);
  httplib::Result plans = client.Get("/v1/organizations/-/plans");
  ASSERT_TRUE(plans) << httplib::to_string(plans.error());
  EXPECT_EQ(plans->status, 200) << plans->body;
  EXPECT_EQ(Parse<v1::ListPlansResponse>(plans->body).plans_size(), 1);

  httplib::SSLClient stranger("127.0.0.1", port);
  stranger.set_ca_cert_path(certificates->ca.c_str());
  stranger.enable_server_certificate_verification(true);
  EXPECT_FALSE(stranger.Get("/v1/organizations/-/plans"));
  httplib::Client plain("127.0.0.1", port);
  plain.set_read_timeout(5, 0);
  EXPECT_FALSE(plain.Get("/v1/organizations/-/plans"));
  EXPECT_TRUE(server.Stop()) << server.Log();
}

}  // namespace
}  // namespace torikumi::server_test
