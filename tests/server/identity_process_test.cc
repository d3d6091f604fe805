// Identity, roles and the audit log with the real torikumi-server and torikumi binaries:
// the bootstrap token file, tokens made and revoked with the CLI, each role allowed and
// refused, organizations kept apart, expired and revoked tokens refused, client
// certificates mapped to a principal, and an audit event for every kind of write.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/server/test_certificates.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/audit_service.grpc.pb.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"
#include "torikumi/v1/organization_service.grpc.pb.h"
#include "torikumi/v1/outcome_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/rule_set_service.grpc.pb.h"
#include "torikumi/v1/token_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

constexpr char kPlan[] = "organizations/aizu/plans/hr";

// A client context with a deadline and, unless `token` is empty, the bearer token.
std::unique_ptr<grpc::ClientContext> Context(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat(status.error_code(), ": ", status.error_message());
}

// The value of "secret" in the CLI's --json output of tokens create.
std::string SecretIn(const std::string& json) {
  const size_t key = json.find("\"secret\"");
  if (key == std::string::npos) return "";
  const size_t start = json.find('"', json.find(':', key)) + 1;
  return json.substr(start, json.find('"', start) - start);
}

class IdentityProcessTest : public ::testing::Test {
 protected:
  // A server that requires tokens, on loopback, with the seed plan in organizations/aizu.
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(
        dir_, TORIKUMI_SERVER_BINARY,
        std::vector<std::string>{"--listen=127.0.0.1:0", "--db=" + dir_.File("t.db"),
                                 "--auth=tokens",
                                 "--bootstrap_token_file=" + dir_.File("admin-token")},
        "identity");
    ASSERT_EQ(server_->Launch(), "");
    admin_ = ReadFile(dir_.File("admin-token"));
    while (!admin_.empty() && admin_.back() == '\n') admin_.pop_back();
    ASSERT_TRUE(absl::StartsWith(admin_, "trk_")) << admin_;
    for (const char* org : {"aizu", "other"}) {
      RunResult made = Cli({"--token", admin_, "orgs", "create", "--id", org, "--display-name",
                            absl::StrCat(org, " city")});
      ASSERT_EQ(made.exit_code, 0) << made.err;
    }
    RunResult imported =
        Cli({"--token", admin_, "import", TORIKUMI_SEED_TSV, "--org", "aizu", "--plan-id", "hr"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    initiative_ = FirstInitiative();
    ASSERT_FALSE(initiative_.empty());
  }

  RunResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {TORIKUMI_CLI_BINARY, "--server", server_->address()});
    return RunProgram(args, dir_);
  }

  // A new token of `org` with `role` made by the bootstrap admin with the CLI; its secret.
  std::string MakeToken(const std::string& org, const std::string& role,
                        const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"--token",       admin_, "--json", "tokens", "create",
                                     "--org",         org,    "--role", role,     "--name",
                                     role + "-system"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult made = Cli(args);
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return SecretIn(made.out);
  }

  std::string FirstInitiative() {
    auto stub = v1::InitiativeService::NewStub(server_->Channel());
    v1::ListInitiativesRequest request;
    request.set_parent(kPlan);
    request.set_page_size(1);
    v1::ListInitiativesResponse response;
    grpc::Status status = stub->ListInitiatives(Context(admin_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return response.initiatives().empty() ? "" : response.initiatives(0).name();
  }

  grpc::Status GetPlan(const std::string& token, const std::string& name = kPlan) {
    auto stub = v1::PlanService::NewStub(server_->Channel());
    v1::GetPlanRequest request;
    request.set_name(name);
    v1::GetPlanResponse response;
    return stub->GetPlan(Context(token).get(), request, &response);
  }

  grpc::Status UpsertOutcome(const std::string& token) {
    auto stub = v1::OutcomeService::NewStub(server_->Channel());
    v1::UpsertOutcomeRequest request;
    request.set_parent(initiative_);
    request.mutable_outcome()->set_fiscal_year(2019);
    request.mutable_outcome()->set_text("研修を実施した");
    v1::UpsertOutcomeResponse response;
    return stub->UpsertOutcome(Context(token).get(), request, &response);
  }

  grpc::Status Rate(const std::string& token, v1::Initiative* rated = nullptr) {
    auto stub = v1::InitiativeService::NewStub(server_->Channel());
    v1::RateInitiativeRequest request;
    request.set_name(initiative_);
    request.set_grade("A");
    request.set_rater("山田");
    v1::RateInitiativeResponse response;
    grpc::Status status = stub->RateInitiative(Context(token).get(), request, &response);
    if (rated != nullptr) *rated = response.initiative();
    return status;
  }

  grpc::Status UpdatePlanTitle(const std::string& token, const std::string& title) {
    auto stub = v1::PlanService::NewStub(server_->Channel());
    v1::UpdatePlanRequest request;
    request.mutable_plan()->set_name(kPlan);
    request.mutable_plan()->set_title(title);
    request.mutable_update_mask()->add_paths("title");
    v1::UpdatePlanResponse response;
    return stub->UpdatePlan(Context(token).get(), request, &response);
  }

  grpc::Status CreateRuleSet(const std::string& token) {
    auto stub = v1::RuleSetService::NewStub(server_->Channel());
    v1::CreateRuleSetRequest request;
    request.set_parent("organizations/aizu");
    request.set_rule_set_id("abc");
    request.set_plan(kPlan);
    request.mutable_rule_set()->set_evaluator("rules");
    request.mutable_rule_set()->set_body(
        ReadFile(absl::StrCat(TORIKUMI_RULESETS_DIR, "/abc-implementation.textproto")));
    v1::CreateRuleSetResponse response;
    return stub->CreateRuleSet(Context(token).get(), request, &response);
  }

  grpc::Status DeleteOutcome(const std::string& token) {
    auto stub = v1::OutcomeService::NewStub(server_->Channel());
    v1::DeleteOutcomeRequest request;
    request.set_name(initiative_ + "/outcomes/fy2019");
    v1::DeleteOutcomeResponse response;
    return stub->DeleteOutcome(Context(token).get(), request, &response);
  }

  std::vector<v1::AuditEvent> AuditEvents(const std::string& token, const std::string& parent,
                                          const std::string& resource = "") {
    auto stub = v1::AuditService::NewStub(server_->Channel());
    v1::ListAuditEventsRequest request;
    request.set_parent(parent);
    request.set_resource(resource);
    request.set_page_size(1000);
    v1::ListAuditEventsResponse response;
    grpc::Status status = stub->ListAuditEvents(Context(token).get(), request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return {response.audit_events().begin(), response.audit_events().end()};
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string admin_;
  std::string initiative_;
};

TEST_F(IdentityProcessTest, TheBootstrapTokenIsOwnerOnlyAndCallsNeedCredentials) {
  struct stat info {};
  ASSERT_EQ(stat(dir_.File("admin-token").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  EXPECT_TRUE(absl::StrContains(server_->Log(), dir_.File("admin-token"))) << server_->Log();

  EXPECT_TRUE(GetPlan(admin_).ok());
  grpc::Status anonymous = GetPlan("");
  EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(anonymous);
  grpc::Status forged = GetPlan("trk_not-a-token");
  EXPECT_EQ(forged.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(forged);
  RunResult cli = Cli({"plans", "list", "--org", "aizu"});
  EXPECT_EQ(cli.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(cli.err, "UNAUTHENTICATED")) << cli.err;

  // A second start finds a server admin token and writes no new one.
  const std::string first = ReadFile(dir_.File("admin-token"));
  ASSERT_TRUE(server_->Stop());
  ASSERT_EQ(server_->Launch(), "");
  EXPECT_EQ(ReadFile(dir_.File("admin-token")), first);
  EXPECT_TRUE(GetPlan(admin_).ok());
}

TEST_F(IdentityProcessTest, EachRoleMayDoItsWritesAndNoOthers) {
  const std::string viewer = MakeToken("aizu", "viewer");
  const std::string recorder = MakeToken("aizu", "recorder");
  const std::string rater = MakeToken("aizu", "rater");
  const std::string editor = MakeToken("aizu", "editor");
  const std::string admin = MakeToken("aizu", "admin");
  for (const std::string* token : {&viewer, &recorder, &rater, &editor, &admin}) {
    ASSERT_FALSE(token->empty());
    EXPECT_TRUE(GetPlan(*token).ok()) << "every role reads its organization";
  }
  auto denied = [](const grpc::Status& status) {
    return status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
  };

  // Outcomes: recorder (and editor, admin).
  EXPECT_TRUE(denied(UpsertOutcome(viewer)));
  EXPECT_TRUE(denied(UpsertOutcome(rater)));
  EXPECT_TRUE(UpsertOutcome(recorder).ok());
  EXPECT_TRUE(UpsertOutcome(editor).ok());
  // Human ratings: rater (and editor, admin).
  EXPECT_TRUE(denied(Rate(viewer)));
  EXPECT_TRUE(denied(Rate(recorder)));
  EXPECT_TRUE(Rate(rater).ok());
  // Plans: editor (and admin).
  EXPECT_TRUE(denied(UpdatePlanTitle(recorder, "x")));
  EXPECT_TRUE(denied(UpdatePlanTitle(rater, "x")));
  EXPECT_TRUE(UpdatePlanTitle(editor, "人材育成推進プラン").ok());
  // Rule sets and deletes: admin.
  grpc::Status editor_rule_set = CreateRuleSet(editor);
  EXPECT_TRUE(denied(editor_rule_set)) << Describe(editor_rule_set);
  EXPECT_TRUE(absl::StrContains(editor_rule_set.error_message(), "ROLE_EDITOR"))
      << editor_rule_set.error_message();
  grpc::Status admin_rule_set = CreateRuleSet(admin);
  EXPECT_TRUE(admin_rule_set.ok()) << Describe(admin_rule_set);
  EXPECT_TRUE(denied(DeleteOutcome(editor)));
  EXPECT_TRUE(DeleteOutcome(admin).ok());
  // Organizations and other organizations' tokens are the server admin's.
  RunResult org_admin_creates_org =
      Cli({"--token", admin, "orgs", "create", "--id", "x", "--display-name", "x"});
  EXPECT_EQ(org_admin_creates_org.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(org_admin_creates_org.err, "PERMISSION_DENIED"))
      << org_admin_creates_org.err;
  RunResult server_token = Cli({"--token", admin, "tokens", "create", "--name", "escalate"});
  EXPECT_EQ(server_token.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(server_token.err, "PERMISSION_DENIED")) << server_token.err;
  // The organization's admin manages its own tokens.
  RunResult own = Cli({"--token", admin, "tokens", "create", "--org", "aizu", "--role", "viewer",
                       "--name", "hr-staff"});
  EXPECT_EQ(own.exit_code, 0) << own.err;
}

TEST_F(IdentityProcessTest, TheRaterIsTheAuthenticatedPrincipal) {
  const std::string rater = MakeToken("aizu", "rater", {"--id", "hr-rater"});
  v1::Initiative rated;
  grpc::Status status = Rate(rater, &rated);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(rated.human_rating().rater(), "organizations/aizu/tokens/hr-rater (山田)");
}

TEST_F(IdentityProcessTest, OneOrganizationCannotReadOrListAnother) {
  const std::string other_admin = MakeToken("other", "admin");
  grpc::Status read = GetPlan(other_admin);
  EXPECT_EQ(read.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(read);

  auto plans = v1::PlanService::NewStub(server_->Channel());
  for (const char* parent : {"organizations/aizu", "organizations/-"}) {
    v1::ListPlansRequest request;
    request.set_parent(parent);
    v1::ListPlansResponse response;
    grpc::Status listed = plans->ListPlans(Context(other_admin).get(), request, &response);
    EXPECT_EQ(listed.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << parent << ": " << Describe(listed);
  }
  RunResult exported =
      Cli({"--token", other_admin, "export", "--plan", "aizu/hr", "--format", "tsv"});
  EXPECT_EQ(exported.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(exported.err, "PERMISSION_DENIED")) << exported.err;
  RunResult imported = Cli({"--token", other_admin, "import", TORIKUMI_SEED_TSV, "--org", "aizu"});
  EXPECT_EQ(imported.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(imported.err, "PERMISSION_DENIED")) << imported.err;
  // Its own audit log: its creation and its token's, nothing of organizations/aizu.
  std::vector<v1::AuditEvent> own_log = AuditEvents(other_admin, "organizations/other");
  EXPECT_EQ(own_log.size(), 2u);
  for (const v1::AuditEvent& event : own_log) {
    EXPECT_TRUE(absl::StartsWith(event.resource(), "organizations/other")) << event.resource();
  }
  auto audit = v1::AuditService::NewStub(server_->Channel());
  v1::ListAuditEventsRequest theirs;
  theirs.set_parent("organizations/aizu");
  v1::ListAuditEventsResponse refused;
  grpc::Status audit_read = audit->ListAuditEvents(Context(other_admin).get(), theirs, &refused);
  EXPECT_EQ(audit_read.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(audit_read);

  auto orgs = v1::OrganizationService::NewStub(server_->Channel());
  v1::ListOrganizationsRequest request;
  v1::ListOrganizationsResponse own;
  ASSERT_TRUE(orgs->ListOrganizations(Context(other_admin).get(), request, &own).ok());
  ASSERT_EQ(own.organizations_size(), 1);
  EXPECT_EQ(own.organizations(0).name(), "organizations/other");
  v1::ListOrganizationsResponse all;
  ASSERT_TRUE(orgs->ListOrganizations(Context(admin_).get(), request, &all).ok());
  EXPECT_EQ(all.organizations_size(), 2);
}

TEST_F(IdentityProcessTest, ARevokedTokenIsRefused) {
  const std::string viewer = MakeToken("aizu", "viewer", {"--id", "leaving"});
  EXPECT_TRUE(GetPlan(viewer).ok());
  RunResult listed = Cli({"--token", admin_, "tokens", "list", "--org", "aizu"});
  EXPECT_TRUE(absl::StrContains(listed.out, "organizations/aizu/tokens/leaving")) << listed.out;
  EXPECT_FALSE(absl::StrContains(listed.out, viewer)) << "the secret is never shown again";

  RunResult revoked =
      Cli({"--token", admin_, "tokens", "revoke", "organizations/aizu/tokens/leaving"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  grpc::Status after = GetPlan(viewer);
  EXPECT_EQ(after.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(after);
}

TEST_F(IdentityProcessTest, AnExpiredTokenIsRefused) {
  // Long enough that the CLI making it and the first call end well before it expires, even in
  // a sanitizer build on a loaded machine, where a few seconds can pass before the first call.
  const absl::Duration lifetime = absl::Seconds(10);
  const absl::Time before_made = absl::Now();
  const std::string brief =
      MakeToken("aizu", "viewer", {"--expires", absl::FormatDuration(lifetime)});
  EXPECT_TRUE(GetPlan(brief).ok());
  // Then refused once its lifetime has passed: asked from then until it is refused.
  absl::SleepFor(before_made + lifetime - absl::Now());
  grpc::Status expired;
  EXPECT_TRUE(PollUntil(kWaitBound, [&] {
    expired = GetPlan(brief);
    return !expired.ok();
  }));
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(expired);
  EXPECT_TRUE(absl::StrContains(expired.error_message(), "expired")) << expired.error_message();
}

// The audit event of `method` on `resource`; fails the test when there is none.
v1::AuditEvent FindEvent(const std::vector<v1::AuditEvent>& events, const std::string& method,
                         const std::string& resource) {
  for (const v1::AuditEvent& event : events) {
    if (event.method() == "torikumi.v1." + method && event.resource() == resource) return event;
  }
  ADD_FAILURE() << "no audit event of " << method << " on " << resource;
  return {};
}

TEST_F(IdentityProcessTest, EveryKindOfWriteLeavesAnAuditEvent) {
  const std::string editor = MakeToken("aizu", "editor", {"--id", "ed"});
  const std::string admin = MakeToken("aizu", "admin", {"--id", "ad"});
  ASSERT_TRUE(UpsertOutcome(editor).ok());
  ASSERT_TRUE(Rate(editor).ok());
  ASSERT_TRUE(UpdatePlanTitle(editor, "改題").ok());
  ASSERT_TRUE(CreateRuleSet(admin).ok());
  ASSERT_TRUE(DeleteOutcome(admin).ok());
  auto initiatives = v1::InitiativeService::NewStub(server_->Channel());
  v1::CreateInitiativeRequest create;
  create.set_parent(kPlan);
  create.set_initiative_id("new-one");
  create.set_request_id("req-42");
  *create.mutable_initiative() = v1::Initiative();
  {
    v1::GetInitiativeRequest get;
    get.set_name(initiative_);
    v1::GetInitiativeResponse got;
    ASSERT_TRUE(initiatives->GetInitiative(Context(editor).get(), get, &got).ok());
    create.mutable_initiative()->set_area(got.initiative().area());
    create.mutable_initiative()->set_theme(got.initiative().theme());
    create.mutable_initiative()->set_title("新しい取組");
    create.mutable_initiative()->set_number(999);
  }
  v1::CreateInitiativeResponse created;
  grpc::Status made = initiatives->CreateInitiative(Context(editor).get(), create, &created);
  ASSERT_TRUE(made.ok()) << Describe(made);
  v1::DeleteInitiativeRequest remove;
  remove.set_name(created.initiative().name());
  v1::DeleteInitiativeResponse removed;
  ASSERT_TRUE(initiatives->DeleteInitiative(Context(admin).get(), remove, &removed).ok());
  RunResult revoked = Cli({"--token", admin_, "tokens", "revoke", "organizations/aizu/tokens/ed"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  RunResult deleted = Cli({"--token", admin_, "orgs", "delete", "other"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;

  const std::vector<v1::AuditEvent> events = AuditEvents(admin_, "");
  const std::string ed = "organizations/aizu/tokens/ed", ad = "organizations/aizu/tokens/ad";
  const std::string boot = "tokens/bootstrap-admin";
  // Creates: no etag before, one after.
  v1::AuditEvent org =
      FindEvent(events, "OrganizationService/CreateOrganization", "organizations/aizu");
  EXPECT_EQ(org.principal(), boot);
  EXPECT_TRUE(org.etag_before().empty());
  EXPECT_FALSE(org.etag_after().empty());
  v1::AuditEvent import = FindEvent(events, "TableService/ImportTable", kPlan);
  EXPECT_EQ(import.principal(), boot);
  EXPECT_FALSE(import.etag_after().empty());
  v1::AuditEvent initiative =
      FindEvent(events, "InitiativeService/CreateInitiative", created.initiative().name());
  EXPECT_EQ(initiative.principal(), ed);
  EXPECT_EQ(initiative.request_id(), "req-42");
  EXPECT_EQ(initiative.etag_after(), created.initiative().etag());
  FindEvent(events, "TokenService/CreateToken", ed);
  // Updates: both etags, the field mask.
  v1::AuditEvent plan = FindEvent(events, "PlanService/UpdatePlan", kPlan);
  EXPECT_EQ(plan.principal(), ed);
  EXPECT_EQ(plan.field_mask(), "title");
  EXPECT_FALSE(plan.etag_before().empty());
  EXPECT_NE(plan.etag_before(), plan.etag_after());
  EXPECT_EQ(plan.etag_before(), import.etag_after());
  v1::AuditEvent outcome =
      FindEvent(events, "OutcomeService/UpsertOutcome", initiative_ + "/outcomes/fy2019");
  EXPECT_EQ(outcome.principal(), ed);
  v1::AuditEvent rating = FindEvent(events, "InitiativeService/RateInitiative", initiative_);
  EXPECT_EQ(rating.principal(), ed);
  EXPECT_FALSE(rating.etag_before().empty());
  v1::AuditEvent rule_set =
      FindEvent(events, "RuleSetService/CreateRuleSet", "organizations/aizu/ruleSets/abc");
  EXPECT_EQ(rule_set.principal(), ad);
  EXPECT_EQ(rule_set.etag_after(), "@1");
  // Deletes: an etag before, none after; what went with a deleted parent is not listed.
  for (const auto& [method, resource] : std::vector<std::pair<std::string, std::string>>{
           {"OutcomeService/DeleteOutcome", initiative_ + "/outcomes/fy2019"},
           {"InitiativeService/DeleteInitiative", created.initiative().name()},
           {"TokenService/DeleteToken", ed},
           {"OrganizationService/DeleteOrganization", "organizations/other"}}) {
    v1::AuditEvent event = FindEvent(events, method, resource);
    EXPECT_FALSE(event.etag_before().empty()) << method;
    EXPECT_TRUE(event.etag_after().empty()) << method;
  }
  // Re-rating in the background writes as "system".
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const v1::AuditEvent& event) {
    return event.principal() == "system" && event.method().empty();
  }));

  // An organization's admin sees its own organization's log, filtered by resource.
  std::vector<v1::AuditEvent> plan_events = AuditEvents(admin, "organizations/aizu", kPlan);
  EXPECT_FALSE(plan_events.empty());
  for (const v1::AuditEvent& event : plan_events) {
    EXPECT_TRUE(absl::StartsWith(event.resource(), kPlan)) << event.resource();
  }
  RunResult cli = Cli({"--token", admin, "audit", "list", "--org", "aizu", "--principal", ed});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_TRUE(absl::StrContains(cli.out, "torikumi.v1.PlanService/UpdatePlan")) << cli.out;
  RunResult everything = Cli({"--token", admin, "audit", "list"});
  EXPECT_EQ(everything.exit_code, 1) << "the whole log is the server admin's";
}

TEST(IdentityFlagsTest, AnExposedAddressNeedsAuthenticationOrInsecure) {
  TempDir dir;
  absl::StatusOr<TestCertificates> certs = MakeTestCertificates(dir);
  ASSERT_TRUE(certs.ok()) << certs.status();
  // TLS alone is not enough off loopback: --auth=none needs --insecure too.
  RunResult open = RunProgram(
      {TORIKUMI_SERVER_BINARY, "--listen=0.0.0.0:0", "--db=" + dir.File("a.db"), "--auth=none",
       "--tls_cert=" + certs->server_cert, "--tls_key=" + certs->server_key},
      dir);
  EXPECT_EQ(open.exit_code, 2) << open.err;
  EXPECT_TRUE(absl::StrContains(open.err, "--auth=none")) << open.err;
  RunResult bad =
      RunProgram({TORIKUMI_SERVER_BINARY, "--db=" + dir.File("b.db"), "--auth=maybe"}, dir);
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_TRUE(absl::StrContains(bad.err, "none or tokens")) << bad.err;
  // The HTTP gateway calls through the same gate: an exposed --http_listen counts too.
  RunResult http_open =
      RunProgram({TORIKUMI_SERVER_BINARY, "--listen=127.0.0.1:0", "--http_listen=0.0.0.0:0",
                  "--db=" + dir.File("c.db"), "--auth=none", "--tls_cert=" + certs->server_cert,
                  "--tls_key=" + certs->server_key},
                 dir);
  EXPECT_EQ(http_open.exit_code, 2) << http_open.err;
  EXPECT_TRUE(absl::StrContains(http_open.err, "--auth=none on 0.0.0.0:0")) << http_open.err;
}

TEST(IdentityFlagsTest, LoopbackNeedsNoToken) {
  TempDir dir;
  ServerProcess server(dir, TORIKUMI_SERVER_BINARY,
                       {"--listen=127.0.0.1:0", "--db=" + dir.File("l.db")}, "loopback");
  ASSERT_EQ(server.Launch(), "");
  auto orgs = v1::OrganizationService::NewStub(server.Channel());
  v1::CreateOrganizationRequest request;
  request.set_organization_id("city");
  request.mutable_organization()->set_display_name("市");
  v1::CreateOrganizationResponse response;
  grpc::Status status = orgs->CreateOrganization(Context("").get(), request, &response);
  EXPECT_TRUE(status.ok()) << Describe(status);
  auto audit = v1::AuditService::NewStub(server.Channel());
  v1::ListAuditEventsRequest list;
  v1::ListAuditEventsResponse events;
  ASSERT_TRUE(audit->ListAuditEvents(Context("").get(), list, &events).ok());
  ASSERT_EQ(events.audit_events_size(), 1);
  EXPECT_EQ(events.audit_events(0).principal(), "local");
  EXPECT_FALSE(std::filesystem::exists(dir.File("l.db.admin-token")))
      << "no bootstrap token where none is needed";
  EXPECT_TRUE(server.Stop());
}

TEST(IdentityFlagsTest, AMappedClientCertificateActsAsItsPrincipal) {
  TempDir dir;
  absl::StatusOr<TestCertificates> certs = MakeTestCertificates(dir);
  ASSERT_TRUE(certs.ok()) << certs.status();
  ServerProcess server(
      dir, TORIKUMI_SERVER_BINARY,
      {"--listen=127.0.0.1:0", "--db=" + dir.File("m.db"), "--auth=tokens",
       "--tls_cert=" + certs->server_cert, "--tls_key=" + certs->server_key,
       "--client_ca=" + certs->ca, "--cert_principals=training-system:organizations/aizu:viewer"},
      "mapped");
  server.set_credentials(TlsChannelCredentials(certs->ca, certs->client_cert, certs->client_key));
  ASSERT_EQ(server.Launch(), "");
  std::string admin = ReadFile(dir.File("m.db.admin-token"));
  admin.pop_back();  // the newline
  auto orgs = v1::OrganizationService::NewStub(server.Channel());
  for (const char* id : {"aizu", "other"}) {
    v1::CreateOrganizationRequest create;
    create.set_organization_id(id);
    create.mutable_organization()->set_display_name(id);
    v1::CreateOrganizationResponse created;
    ASSERT_TRUE(orgs->CreateOrganization(Context(admin).get(), create, &created).ok());
  }
  // No token: the certificate is the viewer of organizations/aizu.
  v1::ListOrganizationsRequest list;
  v1::ListOrganizationsResponse listed;
  grpc::Status read = orgs->ListOrganizations(Context("").get(), list, &listed);
  ASSERT_TRUE(read.ok()) << Describe(read);
  ASSERT_EQ(listed.organizations_size(), 1);
  EXPECT_EQ(listed.organizations(0).name(), "organizations/aizu");
  v1::DeleteOrganizationRequest remove;
  remove.set_name("organizations/aizu");
  v1::DeleteOrganizationResponse removed;
  grpc::Status write = orgs->DeleteOrganization(Context("").get(), remove, &removed);
  EXPECT_EQ(write.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(write);
  EXPECT_TRUE(absl::StrContains(write.error_message(), "cert:training-system"))
      << write.error_message();
  EXPECT_TRUE(server.Stop());
}

}  // namespace
}  // namespace torikumi::server_test
