// torikumi-server --migrate_from: a SQLite database with the seed imported and rated moves
// into PostgreSQL with every record and rating.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "google/protobuf/util/message_differencer.h"
#include "services/server/migrate_command.h"
#include "services/server/server.h"
#include "services/store/postgres/postgres_store.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/server/rating_jobs_support.h"
#include "tests/server/test_support.h"
#include "tests/store/postgres_test_cluster.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/rating_service.grpc.pb.h"
#include "torikumi/v1/rule_set_service.grpc.pb.h"

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

TEST(MigrateFromSqlite, NeedsAPostgresTargetAndAnExistingFile) {
  TempDir dir;
  EXPECT_EQ(server::MigrateSqliteToPostgres(dir.File("city.db"), dir.File("other.db"), 2).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(server::MigrateSqliteToPostgres(dir.File("missing.db"), "postgresql:///x", 2).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace torikumi::server_test
