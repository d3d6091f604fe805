// A database written by the release before the integer ids (testdata/release-db/release.db,
// made by its make.sh with that release's binaries: the seed plan imported and rated, a
// second rule set version, tokens, a subscription, changes and deletes) is migrated in place
// at open: every row keeps its body and version (so every etag), searches find what they
// found, and the change feed goes on from its cursor.
#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "services/common/text.h"
#include "services/store/sqlite/migrations.h"
#include "services/store/sqlite/outcome_functions.h"
#include "services/store/sqlite/sqlite_store.h"
#include "services/store/sqlite/stored_body.h"
#include "services/store/sqlite/stored_rating.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

constexpr absl::string_view kPlan = "organizations/demo/plans/hr-plan-progress-h30-r4";

// Rows of a query that selects (key, number, text), by key.
using Rows = std::map<std::string, std::pair<int64_t, std::string>>;

// Runs `sql` on the file directly, beside any store.
Rows ReadRows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  Rows rows;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite::RegisterRatingFunctions(db), SQLITE_OK);
  EXPECT_EQ(sqlite::RegisterOutcomeFunctions(db), SQLITE_OK);
  EXPECT_EQ(sqlite::RegisterInitiativeFunctions(db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db) << " in " << sql;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* key = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    const auto* text = static_cast<const char*>(sqlite3_column_blob(stmt, 2));
    rows[key == nullptr ? "" : key] = {
        sqlite3_column_int64(stmt, 1),
        std::string(text == nullptr ? "" : text, sqlite3_column_bytes(stmt, 2))};
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

// What the release stored, table by table: `before` selects it from the release's schema,
// `after` the same rows from the newest one (the same text unless a migration moved a
// column: since migration 12 outcomes and scheduled years name their initiative by id).
struct RecordQuery {
  std::string before;
  std::string after;
};

// An outcome's name from the newest schema, as the release stored it in `name`.
constexpr absl::string_view kOutcomeNameSql =
    "i.name || '/outcomes/' || CASE o.fiscal_year WHEN 0 THEN 'period' "
    "ELSE 'fy' || o.fiscal_year END";

const std::vector<RecordQuery>& RecordQueries() {
  static const auto* const kQueries = [] {
    auto* queries = new std::vector<RecordQuery>;
    for (const char* same : {
             "SELECT name, version, body FROM organizations",
             "SELECT name, version, body FROM plans",
             "SELECT name, version, body FROM tokens",
             "SELECT name, 0, secret_sha256 FROM tokens",
             "SELECT name || '@' || version, version, body FROM rule_sets",
             "SELECT name, 0, body FROM subscriptions",
             "SELECT seq, commit_time, body FROM changes",
             "SELECT id, time_micros, resource || ' ' || etag_after FROM audit_events",
             "SELECT kind || ' ' || request_id || ' ' || position, create_time, resource "
             "FROM request_ids",
             "SELECT area || ' ' || plan, position, '' FROM plan_areas",
             "SELECT 'store', last_version, '' FROM store_state",
             "SELECT 'feed ' || last_seq, pruned_through, '' FROM change_log_state",
         }) {
      queries->push_back({same, same});
    }
    // Since migration 15 an outcome's body leaves out the name and etag its row gives;
    // outcome_body() puts them back, byte for byte.
    queries->push_back(
        {"SELECT name, version, body FROM outcomes",
         absl::StrCat("SELECT ", kOutcomeNameSql, ", o.version, ", sqlite::kOutcomeBodySql,
                      " FROM ", "outcomes o JOIN initiatives i ON i.id = o.initiative")});
    // Since migration 15 an initiative's body leaves out the name and etag its row gives.
    queries->push_back({"SELECT name, version, body FROM initiatives",
                        "SELECT name, version, initiative_body(body, name, version) "
                        "FROM initiatives"});
    // Since migration 15 a rating's body leaves out what its row gives; rating_body() rebuilds
    // the release's body byte for byte.
    queries->push_back(
        {"SELECT id, 0, body FROM computed_ratings",
         absl::StrCat("SELECT r.id, 0, ", sqlite::kRatingBodySql,
                      " FROM computed_ratings r JOIN initiatives i ON i.id = r.initiative")});
    queries->push_back({"SELECT fiscal_year || ' ' || initiative, 0, '' FROM initiative_years",
                        "SELECT y.fiscal_year || ' ' || i.name, 0, '' FROM initiative_years y "
                        "JOIN initiatives i ON i.id = y.initiative"});
    return queries;
  }();
  return *kQueries;
}

class StoreSqliteReleaseMigration : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = scratch_.path() + "/release.db";
    std::filesystem::copy_file(TORIKUMI_RELEASE_DB, path_);
    for (const RecordQuery& query : RecordQueries()) {
      before_[query.before] = ReadRows(path_, query.before);
    }
  }

  std::unique_ptr<Store> Open() {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(path_);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  // The (key, number, text) rows the release wrote for `query`.
  const Rows& Before(const std::string& query) { return before_[query]; }

  ScratchDirectory scratch_;
  std::string path_;
  std::map<std::string, Rows> before_;
};

TEST_F(StoreSqliteReleaseMigration, KeepsEveryRow) {
  ASSERT_EQ(Before("SELECT name, version, body FROM initiatives").size(), 66u);
  ASSERT_GT(Before("SELECT id, 0, body FROM computed_ratings").size(), 66u);
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(ReadRows(path_, "PRAGMA user_version").begin()->first,
            std::to_string(sqlite::Migrations().back().version));
  for (const RecordQuery& query : RecordQueries()) {
    EXPECT_EQ(ReadRows(path_, query.after), Before(query.before)) << query.after;
  }
}

TEST_F(StoreSqliteReleaseMigration, ServesEveryResourceWithItsEtag) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  for (const auto& [name, row] : Before("SELECT name, version, body FROM initiatives")) {
    absl::StatusOr<v1::Initiative> got = store->GetInitiative(name);
    ASSERT_TRUE(got.ok()) << got.status();
    v1::Initiative stored;
    ASSERT_TRUE(stored.ParseFromString(row.second));
    EXPECT_TRUE(ProtoEquals(stored, *got));
    EXPECT_EQ(got->etag(), absl::StrCat("\"v", row.first, "\""));
  }
  absl::StatusOr<ListResult<v1::Outcome>> outcomes =
      store->ListOutcomes(absl::StrCat(kPlan, "/initiatives/-"), std::nullopt, {0, 1000});
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  std::set<std::string> outcome_names;
  for (const v1::Outcome& outcome : outcomes->items) {
    outcome_names.insert(outcome.name());
    EXPECT_EQ(outcome.SerializeAsString(),
              Before("SELECT name, version, body FROM outcomes").at(outcome.name()).second);
  }
  EXPECT_EQ(outcome_names.size(), Before("SELECT name, version, body FROM outcomes").size());

  absl::StatusOr<ListResult<v1::ComputedRating>> history =
      store->ListRatings(kPlan, "", true, {0, 1000});
  ASSERT_TRUE(history.ok()) << history.status();
  EXPECT_EQ(history->items.size(), Before("SELECT id, 0, body FROM computed_ratings").size());
  absl::StatusOr<v1::RuleSet> rule_set =
      store->GetRuleSet("organizations/demo/ruleSets/abc-implementation", 0);
  ASSERT_TRUE(rule_set.ok()) << rule_set.status();
  EXPECT_EQ(rule_set->version(), 2);
  for (const auto& [name, row] : Before("SELECT name, 0, secret_sha256 FROM tokens")) {
    absl::StatusOr<v1::Token> token = store->FindToken(row.second);
    ASSERT_TRUE(token.ok()) << token.status();
    EXPECT_EQ(token->name(), name);
  }
}

// The initiatives whose own text or one of whose outcomes holds `text`, by the release's
// rows (instr, as the store matched before the trigram indexes).
std::set<std::string> ContainingByRows(const std::string& path, const std::string& text) {
  std::set<std::string> names;
  const std::string quoted = absl::StrCat("'", text, "'");
  for (const auto& [name, row] : ReadRows(
           path, absl::StrCat("SELECT name, 0, '' FROM initiatives i WHERE instr(search_text, ",
                              quoted, ") > 0 OR EXISTS (SELECT 1 FROM outcomes o WHERE ",
                              "o.initiative = i.name AND instr(o.search_text, ", quoted, ") > 0)")))
    names.insert(name);
  return names;
}

TEST_F(StoreSqliteReleaseMigration, SearchFindsWhatTheReleaseHeld) {
  const std::vector<std::string> terms = {"研修を4回", "職員", "実施", "研修"};
  std::map<std::string, std::set<std::string>> expected;
  for (const std::string& term : terms) expected[term] = ContainingByRows(path_, term);
  ASSERT_EQ(expected["研修を4回"].size(), 1u);
  ASSERT_GT(expected["実施"].size(), 10u);
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  for (const std::string& term : terms) {
    v1::InitiativeFilter filter;
    filter.set_text_contains(term);
    absl::StatusOr<ListResult<v1::Initiative>> found =
        store->ListInitiatives(kPlan, filter, {0, 1000});
    ASSERT_TRUE(found.ok()) << found.status();
    std::set<std::string> names;
    for (const v1::Initiative& initiative : found->items) names.insert(initiative.name());
    EXPECT_EQ(names, expected[term]) << term;
  }
}

// Migration 12 keeps an outcome's search_text only where NFKC changes its text (the release
// has both kinds), and a change written after it refers to its row instead of copying it.
TEST_F(StoreSqliteReleaseMigration, KeepsSearchTextOnlyWhereNfkcChangesTheText) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  int kept = 0;
  int dropped = 0;
  for (const auto& [name, row] : ReadRows(path_, absl::StrCat("SELECT ", kOutcomeNameSql,
                                                              ", o.search_text IS NULL, "
                                                              "o.body FROM outcomes o JOIN "
                                                              "initiatives i ON i.id = "
                                                              "o.initiative"))) {
    v1::Outcome outcome;
    ASSERT_TRUE(outcome.ParseFromString(row.second)) << name;
    absl::StatusOr<std::string> normalized = NormalizeNfkc(outcome.text());
    ASSERT_TRUE(normalized.ok()) << normalized.status();
    EXPECT_EQ(row.first == 1, *normalized == outcome.text()) << name;
    (row.first == 1 ? dropped : kept) += 1;
  }
  EXPECT_GT(kept, 0);
  EXPECT_GT(dropped, 0);

  // A write after it: its change refers to the outcome's row and copies nothing, until the
  // outcome is written again, when the trigger keeps the first revision in the change.
  const auto& [name, row] = *Before("SELECT name, version, body FROM outcomes").begin();
  v1::Outcome outcome;
  ASSERT_TRUE(outcome.ParseFromString(row.second));
  outcome.set_text("移行後に書いた");
  absl::StatusOr<UpsertResult> first = store->UpsertOutcome(outcome, "");
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string newest =
      "SELECT seq, ref IS NOT NULL, coalesce(resource, '') FROM changes WHERE seq = ";
  const int64_t seq = *store->LastChange();
  Rows change = ReadRows(path_, absl::StrCat(newest, seq));
  ASSERT_EQ(change.size(), 1u);
  EXPECT_EQ(change.begin()->second, std::make_pair(int64_t{1}, std::string()));
  outcome.set_text("もう一度書いた");
  ASSERT_TRUE(store->UpsertOutcome(outcome, "").ok());
  change = ReadRows(path_, absl::StrCat(newest, seq));
  ASSERT_EQ(change.size(), 1u);
  EXPECT_EQ(change.begin()->second.second, first->outcome.SerializeAsString());
}

// The positions of the plan's areas are copied onto the initiatives by the migration (the
// release ordered by joining plan_areas), so the listing keeps the release's order, which is
// not the order of the areas' names.
TEST_F(StoreSqliteReleaseMigration, ListsInitiativesInTheReleasesOrder) {
  std::vector<std::string> expected;
  for (const auto& [rank, row] : ReadRows(
           path_,
           absl::StrCat("SELECT printf('%06d', row_number() OVER (ORDER BY coalesce(a.position, "
                        "2147483647), i.area, i.number, i.name)), 0, i.name FROM initiatives i "
                        "LEFT JOIN plan_areas a ON a.plan = i.plan AND a.area = i.area_key "
                        "WHERE i.plan = '",
                        kPlan, "'")))
    expected.push_back(row.second);
  ASSERT_GT(expected.size(), 10u);
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<std::string> listed;
  for (int64_t offset = 0; offset < static_cast<int64_t>(expected.size()); offset += 7) {
    absl::StatusOr<ListResult<v1::Initiative>> page =
        store->ListInitiatives(kPlan, {}, {offset, 7});
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total, static_cast<int64_t>(expected.size()));
    for (const v1::Initiative& initiative : page->items) listed.push_back(initiative.name());
  }
  EXPECT_EQ(listed, expected);
}

TEST_F(StoreSqliteReleaseMigration, ChangeFeedGoesOnFromItsCursor) {
  const Rows& changes = Before("SELECT seq, commit_time, body FROM changes");
  const int64_t last =
      std::stoll(Before("SELECT 'feed ' || last_seq, pruned_through, '' FROM change_log_state")
                     .begin()
                     ->first.substr(5));
  ASSERT_GT(last, 10);
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->LastChange(), last);

  // A watch that had read up to five changes ago gets the last five, as the release stored them.
  absl::StatusOr<ChangePage> tail =
      store->ListChanges({.organization = "organizations/demo", .after = last - 5});
  ASSERT_TRUE(tail.ok()) << tail.status();
  ASSERT_FALSE(tail->events.empty());
  for (const v1::ChangeEvent& event : tail->events) {
    v1::ChangeEvent stored;
    ASSERT_TRUE(stored.ParseFromString(changes.at(event.cursor()).second));
    stored.set_cursor(event.cursor());
    EXPECT_TRUE(ProtoEquals(stored, event));
  }
  EXPECT_EQ(tail->events.back().cursor(), std::to_string(last));

  // A write with the etag the release handed out succeeds and takes the next cursor.
  const auto& [name, row] = *Before("SELECT name, version, body FROM outcomes").begin();
  v1::Outcome outcome;
  ASSERT_TRUE(outcome.ParseFromString(row.second));
  outcome.set_text("移行後に書いた");
  absl::StatusOr<UpsertResult> written =
      store->UpsertOutcome(outcome, absl::StrCat("\"v", row.first, "\""));
  ASSERT_TRUE(written.ok()) << written.status();
  const int64_t last_version =
      Before("SELECT 'store', last_version, '' FROM store_state").begin()->second.first;
  EXPECT_EQ(written->outcome.etag(), absl::StrCat("\"v", last_version + 1, "\""));
  absl::StatusOr<ChangePage> next =
      store->ListChanges({.organization = "organizations/demo", .after = last});
  ASSERT_TRUE(next.ok()) << next.status();
  ASSERT_EQ(next->events.size(), 1u);
  EXPECT_EQ(next->events[0].cursor(), std::to_string(last + 1));
  EXPECT_EQ(next->events[0].name(), name);
}

}  // namespace
}  // namespace torikumi::store::testing
