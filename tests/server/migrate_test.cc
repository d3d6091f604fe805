// torikumi-server --migrate_from: a SQLite database with the seed imported and rated moves
// into PostgreSQL with every record and rating; its API tokens and audit log move with it.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "google/protobuf/util/message_differencer.h"
#include "services/common/timestamp.h"
#include "services/domain/list_all.h"
#include "services/server/migrate_command.h"
#include "services/server/server.h"
#include "services/store/postgres/postgres_store.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/server/rating_jobs_support.h"
#include "tests/server/test_support.h"
#include "tests/store/postgres_test_cluster.h"
#include "torikumi/v1/audit_service.grpc.pb.h"
#include "torikumi/v1/organization_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/rating_service.grpc.pb.h"
#include "torikumi/v1/rule_set_service.grpc.pb.h"
#include "torikumi/v1/token_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

constexpr char kOrg[] = "organizations/city";

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  return context;
}

// The seed imported into `file` and rated: a rule set named on the plan (a rating job) and
// one evaluation, so every initiative has two computed ratings.
void ImportAndRateTheSeed(const std::string& file) {
  absl::StatusOr<std::unique_ptr<server::Server>> server = server::Server::Open(file);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_TRUE((*server)->EnableRatings(TORIKUMI_BUILT_PLUGINS_DIR).ok());
  ASSERT_TRUE((*server)->LoadDemoTable(TORIKUMI_SEED_TSV, "city").ok());
  ASSERT_TRUE((*server)->Start("127.0.0.1:0").ok());
  auto channel = grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials());
  auto plans = v1::PlanService::NewStub(channel);
  auto rule_sets = v1::RuleSetService::NewStub(channel);
  auto ratings = v1::RatingService::NewStub(channel);
  v1::ListPlansRequest list;
  list.set_parent(kOrg);
  v1::ListPlansResponse listed;
  ASSERT_TRUE(plans->ListPlans(Context().get(), list, &listed).ok());
  ASSERT_EQ(listed.plans_size(), 1);
  v1::CreateRuleSetRequest create;
  create.set_parent(kOrg);
  create.set_rule_set_id("abc-implementation");
  create.mutable_rule_set()->set_evaluator("rules");
  create.mutable_rule_set()->set_body(
      ReadFile(TORIKUMI_RULESETS_DIR "/abc-implementation.textproto"));
  create.set_plan(listed.plans(0).name());
  v1::CreateRuleSetResponse created;
  const grpc::Status status = rule_sets->CreateRuleSet(Context().get(), create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::UpdatePlanRequest update;
  update.mutable_plan()->set_name(listed.plans(0).name());
  update.mutable_plan()->set_rule_set(created.rule_set().name());
  update.mutable_update_mask()->add_paths("rule_set");
  v1::UpdatePlanResponse updated;
  ASSERT_TRUE(plans->UpdatePlan(Context().get(), update, &updated).ok());
  ASSERT_EQ(WaitForJob(*ratings, updated.rating_job()).state(), v1::Job::STATE_SUCCEEDED);
  v1::RatingServiceEvaluateRequest evaluate;
  evaluate.set_plan(listed.plans(0).name());
  v1::RatingServiceEvaluateResponse evaluated;
  ASSERT_TRUE(ratings->Evaluate(Context().get(), evaluate, &evaluated).ok());
  (*server)->Shutdown(absl::Seconds(5));
}

// `message` without what the target store sets anew.
template <typename Message>
Message WithoutStoreFields(Message message) {
  for (const char* field : {"create_time", "update_time", "etag"}) {
    if (const auto* descriptor = message.GetDescriptor()->FindFieldByName(field)) {
      message.GetReflection()->ClearField(&message, descriptor);
    }
  }
  return message;
}

template <typename Message>
void ExpectSameRecords(const std::vector<Message>& expected, const std::vector<Message>& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(WithoutStoreFields(expected[i]),
                                                                   WithoutStoreFields(actual[i])))
        << expected[i].name();
  }
}

// Migrates `file` into a fresh PostgreSQL database; returns the database's URI.
absl::StatusOr<std::string> MigratedIntoPostgres(const std::string& file) {
  absl::StatusOr<std::string> uri = store::testing::FreshPostgresUri();
  if (!uri.ok()) return uri.status();
  if (absl::Status s = server::MigrateSqliteToPostgres(file, *uri, 2); !s.ok()) return s;
  return uri;
}

TEST(MigrateFromSqlite, TheSeedImportedAndRatedMovesWithEveryRecordAndRating) {
  TempDir dir;
  const std::string file = dir.File("city.db");
  ImportAndRateTheSeed(file);
  if (::testing::Test::HasFatalFailure()) return;
  absl::StatusOr<std::string> uri = MigratedIntoPostgres(file);
  ASSERT_TRUE(uri.ok()) << uri.status();

  absl::StatusOr<std::unique_ptr<store::Store>> sqlite = store::OpenSqliteStore(file);
  absl::StatusOr<std::unique_ptr<store::Store>> postgres = store::OpenPostgresStore(*uri);
  ASSERT_TRUE(sqlite.ok() && postgres.ok());
  absl::StatusOr<store::ListResult<v1::Plan>> plans = (*sqlite)->ListPlans(kOrg, "", {0, 100});
  ASSERT_TRUE(plans.ok());
  ASSERT_EQ(plans->items.size(), 1u);
  const std::string plan = plans->items[0].name();
  absl::StatusOr<store::PlanInputs> before = (*sqlite)->ReadPlanInputs(plan, "");
  absl::StatusOr<store::PlanInputs> after = (*postgres)->ReadPlanInputs(plan, "");
  ASSERT_TRUE(before.ok() && after.ok()) << after.status();
  EXPECT_GE(before->initiatives.size(), 64u);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(WithoutStoreFields(before->plan),
                                                                 WithoutStoreFields(after->plan)));
  ExpectSameRecords(before->initiatives, after->initiatives);
  ExpectSameRecords(before->outcomes, after->outcomes);

  const store::Page all{.offset = 0, .limit = 10000};
  absl::StatusOr<store::ListResult<v1::ComputedRating>> rated =
      (*sqlite)->ListRatings(plan, "", true, all);
  absl::StatusOr<store::ListResult<v1::ComputedRating>> moved =
      (*postgres)->ListRatings(plan, "", true, all);
  ASSERT_TRUE(rated.ok() && moved.ok()) << moved.status();
  EXPECT_EQ(rated->items.size(), 2 * before->initiatives.size());
  ASSERT_EQ(rated->items.size(), moved->items.size());
  for (size_t i = 0; i < rated->items.size(); ++i) {
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(rated->items[i], moved->items[i]))
        << rated->items[i].initiative();
  }
  absl::StatusOr<v1::RuleSet> rule_set =
      (*postgres)->GetRuleSet("organizations/city/ruleSets/abc-implementation", 1);
  ASSERT_TRUE(rule_set.ok()) << rule_set.status();
  EXPECT_EQ(rule_set->evaluator(), "rules");

  // The target's feed goes on after the source's: a watcher's cursor from the file is told to
  // list again, not served the move's own changes.
  absl::StatusOr<int64_t> source_last = (*sqlite)->LastChange();
  absl::StatusOr<int64_t> target_last = (*postgres)->LastChange();
  ASSERT_TRUE(source_last.ok() && target_last.ok());
  EXPECT_GE(*target_last, *source_last);
  const absl::StatusOr<store::ChangePage> stale =
      (*postgres)->ListChanges({.organization = kOrg, .after = *source_last - 1});
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition) << stale.status();

  // Into a database that holds data already, nothing is copied.
  absl::Status again = server::MigrateSqliteToPostgres(file, *uri, 2);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition) << again;
}

// Closes FY2021's round with every entry reviewed, and leaves FY2022's open with one entry
// accepted and one overridden. Each proposes a rating recorded after the older ones were
// pruned, so its id in this file differs from the one a fresh database gives it.
void ReviewRoundsAfterPruning(const std::string& file, const std::string& plan) {
  absl::StatusOr<std::unique_ptr<store::Store>> sqlite = store::OpenSqliteStore(file);
  ASSERT_TRUE(sqlite.ok()) << sqlite.status();
  absl::StatusOr<int64_t> pruned = (*sqlite)->PruneHistory(absl::Now() + absl::Seconds(1));
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  ASSERT_GE(*pruned, 64);
  auto review = [&](const std::string& round, const v1::RatingRoundEntry& entry) {
    const bool accept = !entry.proposed_grade().empty() && entry.number() % 2 == 0;
    store::RoundReview made{.round = round,
                            .initiative = entry.initiative(),
                            .decision = accept ? v1::RatingRoundEntry::DECISION_ACCEPTED
                                               : v1::RatingRoundEntry::DECISION_OVERRIDDEN,
                            .grade = accept ? "" : "B",
                            .reviewer = "user:kacho",
                            .reason = accept ? "" : "所属に確認した"};
    absl::StatusOr<v1::RatingRound> reviewed = (*sqlite)->ReviewRatingRound(made);
    ASSERT_TRUE(reviewed.ok()) << reviewed.status();
  };
  const std::string closed = plan + "/ratingRounds/2021";
  absl::StatusOr<v1::RatingRound> round = (*sqlite)->OpenRatingRound(closed, "user:kacho");
  ASSERT_TRUE(round.ok()) << round.status();
  ASSERT_GT(round->entries_size(), 2);
  for (const v1::RatingRoundEntry& entry : round->entries()) review(closed, entry);
  ASSERT_TRUE(
      (*sqlite)
          ->SetRatingRoundState(
              {.round = closed, .state = v1::RatingRound::STATE_CLOSED, .actor = "user:kacho"})
          .ok());
  const std::string open = plan + "/ratingRounds/2022";
  round = (*sqlite)->OpenRatingRound(open, "user:kacho");
  ASSERT_TRUE(round.ok()) << round.status();
  review(open, round->entries(0));
  review(open, round->entries(1));
}

// name → rating of every computed rating of `plan` in `store`.
std::map<std::string, v1::ComputedRating> RatingsByName(store::Store& store,
                                                        const std::string& plan) {
  absl::StatusOr<std::vector<std::string>> names = store.ListRatingNames(plan);
  absl::StatusOr<store::ListResult<v1::ComputedRating>> ratings =
      store.ListRatings(plan, "", true, {.offset = 0, .limit = 10000});
  std::map<std::string, v1::ComputedRating> by_name;
  if (!names.ok() || !ratings.ok() || names->size() != ratings->items.size()) return by_name;
  for (size_t i = 0; i < names->size(); ++i) by_name[(*names)[i]] = ratings->items[i];
  return by_name;
}

TEST(MigrateFromSqlite, RatingRoundsMoveWithTheirReviewsStateAndLinkedRatings) {
  TempDir dir;
  const std::string file = dir.File("city.db");
  ImportAndRateTheSeed(file);
  if (::testing::Test::HasFatalFailure()) return;
  std::string plan;
  {
    absl::StatusOr<std::unique_ptr<store::Store>> sqlite = store::OpenSqliteStore(file);
    ASSERT_TRUE(sqlite.ok()) << sqlite.status();
    absl::StatusOr<store::ListResult<v1::Plan>> plans = (*sqlite)->ListPlans(kOrg, "", {0, 10});
    ASSERT_TRUE(plans.ok() && plans->items.size() == 1u);
    plan = plans->items[0].name();
  }
  ReviewRoundsAfterPruning(file, plan);
  if (::testing::Test::HasFatalFailure()) return;
  absl::StatusOr<std::string> uri = MigratedIntoPostgres(file);
  ASSERT_TRUE(uri.ok()) << uri.status();

  absl::StatusOr<std::unique_ptr<store::Store>> sqlite = store::OpenSqliteStore(file);
  absl::StatusOr<std::unique_ptr<store::Store>> postgres = store::OpenPostgresStore(*uri);
  ASSERT_TRUE(sqlite.ok() && postgres.ok());
  absl::StatusOr<store::ListResult<v1::RatingRound>> before =
      (*sqlite)->ListRatingRounds(plan, {0, 10});
  absl::StatusOr<store::ListResult<v1::RatingRound>> after =
      (*postgres)->ListRatingRounds(plan, {0, 10});
  ASSERT_TRUE(before.ok() && after.ok()) << after.status();
  ASSERT_EQ(before->items.size(), 2u);
  ASSERT_EQ(after->items.size(), 2u);
  EXPECT_EQ(after->items[0].state(), v1::RatingRound::STATE_CLOSED);
  EXPECT_EQ(after->items[1].progress().reviewed(), 2);
  const std::map<std::string, v1::ComputedRating> moved = RatingsByName(**postgres, plan);
  ASSERT_FALSE(moved.empty());
  int relinked = 0;
  for (size_t r = 0; r < 2; ++r) {
    v1::RatingRound expected = WithoutStoreFields(before->items[r]);
    v1::RatingRound actual = WithoutStoreFields(after->items[r]);
    ASSERT_EQ(expected.entries_size(), actual.entries_size());
    for (int e = 0; e < actual.entries_size(); ++e) {
      v1::RatingRoundEntry* entry = actual.mutable_entries(e);
      auto rating = moved.find(entry->computed_rating());
      ASSERT_NE(rating, moved.end()) << entry->computed_rating() << " is not a moved rating";
      EXPECT_EQ(rating->second.initiative(), entry->initiative());
      EXPECT_EQ(rating->second.reason(), entry->proposed_reason());
      if (entry->computed_rating() != expected.entries(e).computed_rating()) ++relinked;
      entry->set_computed_rating(expected.entries(e).computed_rating());
    }
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(expected, actual))
        << expected.name();
  }
  EXPECT_GT(relinked, 0) << "the pruned source's rating ids should differ from the target's";

  // A round is restored once, and only into a plan that exists.
  EXPECT_EQ((*postgres)->RestoreRatingRound(before->items[0]).status().code(),
            absl::StatusCode::kAlreadyExists);
  v1::RatingRound elsewhere = before->items[0];
  elsewhere.set_name("organizations/city/plans/no-such-plan/ratingRounds/2021");
  EXPECT_EQ((*postgres)->RestoreRatingRound(elsewhere).status().code(),
            absl::StatusCode::kNotFound);
}

// A server on `db` that lets in only callers with a token, and stubs that call it with one.
class TokenServer {
 public:
  // `admin_secret`: set to the bootstrap token's secret when the database had no server
  // admin token (cleared otherwise).
  void Start(const std::string& db, std::string* admin_secret) {
    absl::StatusOr<std::unique_ptr<server::Server>> opened = server::Server::Open(db);
    ASSERT_TRUE(opened.ok()) << opened.status();
    server_ = *std::move(opened);
    ASSERT_TRUE(server_->ConfigureAuth({.require_credentials = true}).ok());
    admin_secret->clear();
    absl::StatusOr<bool> created = server_->CreateBootstrapToken([&](absl::string_view secret) {
      *admin_secret = std::string(secret);
      return absl::OkStatus();
    });
    ASSERT_TRUE(created.ok()) << created.status();
    ASSERT_TRUE(server_->Start("127.0.0.1:0").ok());
    auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    organizations = v1::OrganizationService::NewStub(channel);
    plans = v1::PlanService::NewStub(channel);
    tokens = v1::TokenService::NewStub(channel);
    audit = v1::AuditService::NewStub(channel);
  }
  ~TokenServer() {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }

  std::unique_ptr<v1::OrganizationService::Stub> organizations;
  std::unique_ptr<v1::PlanService::Stub> plans;
  std::unique_ptr<v1::TokenService::Stub> tokens;
  std::unique_ptr<v1::AuditService::Stub> audit;

 private:
  std::unique_ptr<server::Server> server_;
};

// A call context that sends `secret` as its bearer token.
std::unique_ptr<grpc::ClientContext> As(const std::string& secret) {
  std::unique_ptr<grpc::ClientContext> context = Context();
  context->AddMetadata("authorization", "Bearer " + secret);
  return context;
}

grpc::Status CreatePlan(TokenServer& server, const std::string& secret, const std::string& id) {
  v1::CreatePlanRequest request;
  request.set_parent(kOrg);
  request.set_plan_id(id);
  request.mutable_plan()->set_title("人材育成推進プラン");
  request.mutable_plan()->mutable_period()->set_first_fiscal_year(2018);
  request.mutable_plan()->mutable_period()->set_last_fiscal_year(2022);
  request.mutable_plan()->add_areas("職員研修");
  for (const char* code : {"A", "B", "C"}) {
    v1::Grade* grade = request.mutable_plan()->mutable_rating_scale()->add_grades();
    grade->set_code(code);
    grade->set_label(code);
  }
  v1::CreatePlanResponse response;
  return server.plans->CreatePlan(As(secret).get(), request, &response);
}

// Creates organizations/city/tokens/{id} with `role` as `creator`; sets `secret` to its secret.
grpc::Status IssueToken(TokenServer& server, const std::string& creator, const std::string& id,
                        v1::Role role, std::string* secret) {
  v1::CreateTokenRequest request;
  request.set_parent(kOrg);
  request.set_token_id(id);
  request.mutable_token()->set_role(role);
  *request.mutable_token()->mutable_expire_time() =
      ToTimestamp(absl::Now() + absl::Hours(24 * 365));
  v1::CreateTokenResponse response;
  const grpc::Status status = server.tokens->CreateToken(As(creator).get(), request, &response);
  *secret = response.secret();
  return status;
}

// On the file: the bootstrap admin creates the city and issues an editor token and a viewer
// token it then revokes; the editor creates a plan. Returns the admin and editor secrets and
// the revoked one.
struct IssuedSecrets {
  std::string admin;
  std::string editor;
  std::string revoked;
};
void IssueTokensAndAuditWrites(const std::string& file, IssuedSecrets& secrets) {
  TokenServer source;
  source.Start(file, &secrets.admin);
  if (::testing::Test::HasFatalFailure()) return;
  ASSERT_FALSE(secrets.admin.empty());
  v1::CreateOrganizationRequest organization;
  organization.set_organization_id("city");
  organization.mutable_organization()->set_display_name("市役所");
  v1::CreateOrganizationResponse created;
  grpc::Status status =
      source.organizations->CreateOrganization(As(secrets.admin).get(), organization, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  status = IssueToken(source, secrets.admin, "hr", v1::ROLE_EDITOR, &secrets.editor);
  ASSERT_TRUE(status.ok()) << status.error_message();
  status = IssueToken(source, secrets.admin, "gone", v1::ROLE_VIEWER, &secrets.revoked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::DeleteTokenRequest revoke;
  revoke.set_name("organizations/city/tokens/gone");
  v1::DeleteTokenResponse revoked;
  ASSERT_TRUE(source.tokens->DeleteToken(As(secrets.admin).get(), revoke, &revoked).ok());
  status = CreatePlan(source, secrets.editor, "hr");
  ASSERT_TRUE(status.ok()) << status.error_message();
}

// Every audit event the server lists to `admin`, newest first.
std::vector<v1::AuditEvent> ListedAuditEvents(TokenServer& server, const std::string& admin) {
  v1::ListAuditEventsRequest request;
  request.set_page_size(1000);
  v1::ListAuditEventsResponse response;
  const grpc::Status status = server.audit->ListAuditEvents(As(admin).get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.audit_events().begin(), response.audit_events().end()};
}

TEST(MigrateFromSqlite, TokensAndTheAuditLogMoveSoATokenIssuedBeforeWorksAfter) {
  TempDir dir;
  const std::string file = dir.File("city.db");
  IssuedSecrets secrets;
  IssueTokensAndAuditWrites(file, secrets);
  if (::testing::Test::HasFatalFailure()) return;
  absl::StatusOr<std::string> uri = MigratedIntoPostgres(file);
  ASSERT_TRUE(uri.ok()) << uri.status();
  std::vector<v1::AuditEvent> source_events;
  std::vector<v1::Token> source_tokens;
  {
    absl::StatusOr<std::unique_ptr<store::Store>> sqlite = store::OpenSqliteStore(file);
    ASSERT_TRUE(sqlite.ok()) << sqlite.status();
    absl::StatusOr<store::ListResult<v1::AuditEvent>> events =
        (*sqlite)->ListAuditEvents({}, {0, 1000});
    absl::StatusOr<store::ListResult<v1::Token>> tokens = (*sqlite)->ListTokens(kOrg, {0, 10});
    ASSERT_TRUE(events.ok() && tokens.ok());
    source_events = events->items;
    source_tokens = tokens->items;
  }
  ASSERT_GE(source_events.size(), 5u);  // the city, three token writes, the plan

  // The moved admin token is the server admin: no new bootstrap token is made.
  TokenServer target;
  std::string bootstrapped;
  target.Start(*uri, &bootstrapped);
  if (::testing::Test::HasFatalFailure()) return;
  EXPECT_TRUE(bootstrapped.empty());

  // The editor's token authenticates with its role: it writes plans, not tokens.
  grpc::Status status = CreatePlan(target, secrets.editor, "second");
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::string more;
  EXPECT_EQ(IssueToken(target, secrets.editor, "more", v1::ROLE_VIEWER, &more).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The revoked token stays revoked.
  EXPECT_EQ(CreatePlan(target, secrets.revoked, "third").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  v1::ListTokensRequest list;
  list.set_parent(kOrg);
  v1::ListTokensResponse listed;
  ASSERT_TRUE(target.tokens->ListTokens(As(secrets.admin).get(), list, &listed).ok());
  ASSERT_EQ(listed.tokens_size(), 1);
  ASSERT_EQ(source_tokens.size(), 1u);
  v1::Token moved = listed.tokens(0);
  moved.clear_etag();
  source_tokens[0].clear_etag();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(moved, source_tokens[0]))
      << moved.DebugString();

  // The target's log: the source's events as they were, then the move's own writes, then the
  // editor's new plan under the same principal as before.
  std::vector<v1::AuditEvent> events = ListedAuditEvents(target, secrets.admin);
  ASSERT_GT(events.size(), source_events.size());
  EXPECT_EQ(events[0].principal(), "organizations/city/tokens/hr");
  EXPECT_EQ(events[0].resource(), "organizations/city/plans/second");
  const size_t moved_from = events.size() - source_events.size();
  for (size_t i = 0; i < source_events.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(events[moved_from + i],
                                                                   source_events[i]))
        << events[moved_from + i].DebugString() << " is not " << source_events[i].DebugString();
  }
  for (size_t i = 1; i < moved_from; ++i) EXPECT_EQ(events[i].principal(), "system");
  EXPECT_EQ(source_events[0].principal(), "organizations/city/tokens/hr");
  EXPECT_EQ(source_events[0].method(), "torikumi.v1.PlanService/CreatePlan");
}

// Every audit event of `store`, newest first.
std::vector<v1::AuditEvent> AllAuditEvents(store::Store& store) {
  absl::StatusOr<std::vector<v1::AuditEvent>> events = domain::ListAll<v1::AuditEvent>(
      [&](store::Page page) { return store.ListAuditEvents({}, page); });
  EXPECT_TRUE(events.ok()) << events.status();
  return events.ok() ? *events : std::vector<v1::AuditEvent>();
}

TEST(MigrateFromSqlite, AnAuditLogOfSeveralPagesMovesWholeAndInOrder) {
  TempDir dir;
  const std::string file = dir.File("city.db");
  std::vector<v1::AuditEvent> source_events;
  {
    absl::StatusOr<std::unique_ptr<store::Store>> sqlite = store::OpenSqliteStore(file);
    ASSERT_TRUE(sqlite.ok()) << sqlite.status();
    // Events as an older database recorded them, with gaps in their numbers, after one the
    // file itself records.
    v1::Organization city;
    city.set_name(kOrg);
    city.set_display_name("市役所");
    ASSERT_TRUE((*sqlite)->CreateOrganization(city, "").ok());
    std::vector<v1::AuditEvent> older;
    for (int i = 0; i < 2500; ++i) {
      v1::AuditEvent& event = older.emplace_back();
      event.set_name(absl::StrCat("auditEvents/", 10 + 2 * i));
      *event.mutable_time() = ToTimestamp(absl::FromUnixSeconds(1600000000 + i));
      event.set_principal(i % 2 == 0 ? "organizations/city/tokens/hr" : "cert:hr-system");
      event.set_method("torikumi.v1.OutcomeService/UpdateOutcome");
      event.set_resource(absl::StrCat(kOrg, "/plans/hr/initiatives/", i));
      event.set_organization(kOrg);
    }
    ASSERT_TRUE((*sqlite)->RestoreAuditEvents(older).ok());
    source_events = AllAuditEvents(**sqlite);
  }
  ASSERT_EQ(source_events.size(), 2501u);
  absl::StatusOr<std::string> uri = MigratedIntoPostgres(file);
  ASSERT_TRUE(uri.ok()) << uri.status();
  absl::StatusOr<std::unique_ptr<store::Store>> postgres = store::OpenPostgresStore(*uri);
  ASSERT_TRUE(postgres.ok()) << postgres.status();
  const std::vector<v1::AuditEvent> events = AllAuditEvents(**postgres);
  // Then the move's own one: the organization created again.
  ASSERT_EQ(events.size(), source_events.size() + 1);
  EXPECT_EQ(events[0].principal(), "system");
  EXPECT_EQ(events[0].resource(), kOrg);
  for (size_t i = 0; i < source_events.size(); ++i) {
    ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(events[i + 1], source_events[i]))
        << events[i + 1].DebugString() << " is not " << source_events[i].DebugString();
  }
}

TEST(MigrateFromSqlite, RefusesATargetWithATokenOfItsOwn) {
  TempDir dir;
  const std::string file = dir.File("city.db");
  ASSERT_TRUE(store::OpenSqliteStore(file).ok());
  absl::StatusOr<std::string> uri = store::testing::FreshPostgresUri();
  ASSERT_TRUE(uri.ok()) << uri.status();
  {
    // What a server started on the database first leaves: its bootstrap token.
    absl::StatusOr<std::unique_ptr<store::Store>> postgres = store::OpenPostgresStore(*uri);
    ASSERT_TRUE(postgres.ok()) << postgres.status();
    v1::Token admin;
    admin.set_name("tokens/bootstrap-admin");
    admin.set_role(v1::ROLE_SERVER_ADMIN);
    ASSERT_TRUE((*postgres)->CreateToken(admin, "0123abcd").ok());
  }
  const absl::Status refused = server::MigrateSqliteToPostgres(file, *uri, 2);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find("1 server admin token(s)"), absl::string_view::npos) << refused;
}

TEST(MigrateFromSqlite, NeedsAPostgresTargetAndAnExistingFile) {
  TempDir dir;
  EXPECT_EQ(server::MigrateSqliteToPostgres(dir.File("city.db"), dir.File("other.db"), 2).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(server::MigrateSqliteToPostgres(dir.File("missing.db"), "postgresql:///x", 2).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace torikumi::server_test
