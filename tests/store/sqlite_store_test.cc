// The SQLite backend: it runs the conformance suite, plus what only a file-backed store has —
// reopening, crash durability, refusing files it cannot use, and readers beside the writer.
#include "services/store/sqlite/sqlite_store.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "services/store/sqlite/migrations.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

absl::StatusOr<std::unique_ptr<Store>> OpenFreshSqliteStore(const std::string& directory) {
  return OpenSqliteStore(directory + "/torikumi.db");
}

INSTANTIATE_TEST_SUITE_P(StoreSqlite, StoreConformance,
                         ::testing::Values(Backend{"sqlite", OpenFreshSqliteStore}), BackendName);

// Runs one SQL statement on the file directly, beside the store, returning the first column of
// the first row as text ("" when there is none).
std::string QueryDirectly(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string result;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) ==
      SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return result;
}

// Writes one of each resource, with request ids; the names are those of store_conformance.h.
absl::Status WriteOneOfEach(Store& store) {
  if (auto s = store.CreateOrganization(MakeOrganization(kCity), "org-1"); !s.ok())
    return s.status();
  if (auto s = store.CreatePlan(MakePlan(kHrPlan), "plan-1"); !s.ok()) return s.status();
  v1::Initiative initiative = MakeInitiative("i1", kTraining, 1, "新任研修");
  initiative.mutable_human_rating()->set_grade("A");
  if (auto s = store.CreateInitiative(initiative, "ini-1"); !s.ok()) return s.status();
  return store.UpsertOutcome(MakeOutcome(InitiativeName("i1"), 2019, "468人が受講"), "").status();
}

TEST(StoreSqlite, DataSurvivesCloseAndReopen) {
  ScratchDirectory dir;
  const std::string path = dir.path() + "/torikumi.db";
  v1::Initiative before;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
    ASSERT_OK(WriteOneOfEach(*store));
    ASSERT_OK_AND_ASSIGN(before, store->GetInitiative(InitiativeName("i1")));
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
  ASSERT_OK_AND_ASSIGN(v1::Initiative after, store->GetInitiative(InitiativeName("i1")));
  EXPECT_TRUE(ProtoEquals(before, after));
  ASSERT_OK(store->GetOrganization(kCity).status());
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> outcomes,
                       store->ListOutcomes(InitiativeName("i1"), std::nullopt, Page{}));
  ASSERT_EQ(outcomes.items.size(), 1u);
  EXPECT_EQ(outcomes.items[0].text(), "468人が受講");
  // The indexes survive too: filters still find the initiative.
  v1::InitiativeFilter filter;
  filter.set_grade("A");
  filter.set_text_contains("468人");
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> found,
                       store->ListInitiatives(kHrPlan, filter, Page{}));
  EXPECT_EQ(found.total, 1);
  // Request ids are remembered across a restart.
  ASSERT_OK_AND_ASSIGN(v1::Initiative retried,
                       store->CreateInitiative(MakeInitiative("other", kCulture, 1), "ini-1"));
  EXPECT_TRUE(ProtoEquals(before, retried));
  // The etag sequence continues: the next write does not hand out an old etag.
  ASSERT_OK_AND_ASSIGN(v1::Initiative updated, store->UpdateInitiative(after, after.etag()));
  EXPECT_NE(updated.etag(), before.etag());
  ASSERT_OK_AND_ASSIGN(v1::Organization organization, store->GetOrganization(kCity));
  EXPECT_NE(updated.etag(), organization.etag());
}

TEST(StoreSqlite, AcknowledgedWritesSurviveAKilledProcess) {
  ScratchDirectory dir;
  const std::string path = dir.path() + "/torikumi.db";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child writes, and dies by SIGKILL the moment the writes are acknowledged: no
    // destructor, no close, no checkpoint.
    absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(path);
    if (!store.ok() || !WriteOneOfEach(**store).ok()) _exit(3);
    raise(SIGKILL);
    _exit(4);
  }
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wait_status)) << "child exited with " << WEXITSTATUS(wait_status);
  ASSERT_EQ(WTERMSIG(wait_status), SIGKILL);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
  ASSERT_OK(store->GetOrganization(kCity).status());
  ASSERT_OK(store->GetPlan(kHrPlan).status());
  ASSERT_OK(store->GetInitiative(InitiativeName("i1")).status());
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> outcomes,
                       store->ListOutcomes(InitiativeName("i1"), std::nullopt, Page{}));
  EXPECT_EQ(outcomes.total, 1);
}

TEST(StoreSqlite, FileThatIsNotADatabaseFailsNamingThePath) {
  ScratchDirectory dir;
  const std::string path = dir.path() + "/notes.db";
  {
    std::ofstream file(path);
    file << "これはデータベースではありません。 This is a text file, long enough to have a "
            "header.\n";
    for (int i = 0; i < 100; ++i) file << "line " << i << "\n";
  }
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(path);
  EXPECT_TRUE(HasError(store, absl::StatusCode::kFailedPrecondition, path, "not a database"));
}

TEST(StoreSqlite, MissingDirectoryFailsNamingThePath) {
  ScratchDirectory dir;
  const std::string path = dir.path() + "/no/such/dir/torikumi.db";
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(path);
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(absl::StrContains(store.status().message(), path)) << store.status();
}

TEST(StoreSqlite, NewerSchemaVersionFailsNamingThePathAndVersion) {
  ScratchDirectory dir;
  const std::string path = dir.path() + "/torikumi.db";
  { ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path)); }
  QueryDirectly(path, "PRAGMA user_version = 999");
  ASSERT_EQ(QueryDirectly(path, "PRAGMA user_version"), "999");
  EXPECT_TRUE(HasError(OpenSqliteStore(path), absl::StatusCode::kFailedPrecondition, path, "999"));
}

TEST(StoreSqlite, AnotherProgramsDatabaseIsLeftAlone) {
  ScratchDirectory dir;
  const std::string path = dir.path() + "/other.db";
  QueryDirectly(path, "CREATE TABLE accounts (id INTEGER)");  // creates the file
  ASSERT_EQ(QueryDirectly(path, "SELECT count(*) FROM sqlite_schema"), "1");
  EXPECT_TRUE(HasError(OpenSqliteStore(path), absl::StatusCode::kFailedPrecondition, path,
                       "not a torikumi"));
  EXPECT_EQ(QueryDirectly(path, "SELECT count(*) FROM sqlite_schema"), "1");
  EXPECT_EQ(QueryDirectly(path, "PRAGMA user_version"), "0");
  EXPECT_EQ(QueryDirectly(path, "PRAGMA journal_mode"), "delete");
}

TEST(StoreSqlite, OpenAppliesEveryMigrationAndUsesWal) {
  ScratchDirectory dir;
  const std::string path = dir.path() + "/torikumi.db";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
  ASSERT_FALSE(sqlite::Migrations().empty());
  for (size_t i = 0; i < sqlite::Migrations().size(); ++i) {
    EXPECT_EQ(sqlite::Migrations()[i].version, static_cast<int>(i + 1));
  }
  EXPECT_EQ(QueryDirectly(path, "PRAGMA user_version"),
            std::to_string(sqlite::Migrations().back().version));
  EXPECT_EQ(QueryDirectly(path, "PRAGMA journal_mode"), "wal");
  // Opening again applies nothing twice (it would fail on CREATE TABLE otherwise).
  store.reset();
  ASSERT_OK(OpenSqliteStore(path).status());
}

TEST(StoreSqlite, RejectsPathsAndOptionsItCannotServe) {
  EXPECT_TRUE(
      HasError(OpenSqliteStore(":memory:"), absl::StatusCode::kInvalidArgument, ":memory:"));
  EXPECT_TRUE(HasError(OpenSqliteStore(""), absl::StatusCode::kInvalidArgument));
  ScratchDirectory dir;
  SqliteOptions options;
  options.reader_connections = 0;
  EXPECT_TRUE(HasError(OpenSqliteStore(dir.path() + "/t.db", options),
                       absl::StatusCode::kInvalidArgument, "reader_connections"));
}

// Readers on their own connections list while one writer adds initiatives four at a time (in
// one batch each) and renames them. Every read must see whole batches only, in order, and a
// count that matches the page it came with and never goes back.
TEST(StoreSqlite, ConcurrentReadersSeeConsistentSnapshotsWhileWriting) {
  ScratchDirectory dir;
  SqliteOptions options;
  options.reader_connections = 2;  // fewer than the reader threads: some wait for a connection
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store,
                       OpenSqliteStore(dir.path() + "/torikumi.db", options));
  ASSERT_OK(store->CreateOrganization(MakeOrganization(kCity), "").status());
  ASSERT_OK(store->CreatePlan(MakePlan(kHrPlan), "").status());

  constexpr int kRounds = 25;
  constexpr int kBatch = 4;
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (int round = 0; round < kRounds; ++round) {
      std::vector<v1::Initiative> batch;
      for (int i = 1; i <= kBatch; ++i) {
        int number = round * kBatch + i;
        batch.push_back(MakeInitiative(absl::StrCat("n", number), kTraining, number));
      }
      absl::StatusOr<std::vector<v1::Initiative>> created =
          store->BatchCreateInitiatives(batch, "");
      EXPECT_TRUE(created.ok()) << created.status();
      if (!created.ok()) break;
      v1::Initiative renamed = created->front();
      renamed.set_title(absl::StrCat("round ", round));
      EXPECT_TRUE(store->UpdateInitiative(renamed, renamed.etag()).ok());
    }
    writing = false;
  });

  auto read = [&] {
    int64_t last_total = 0;
    // At least a few reads each, at most a bounded number: no clocks involved.
    for (int i = 0; i < 5000 && (i < 20 || writing); ++i) {
      absl::StatusOr<ListResult<v1::Initiative>> listed =
          store->ListInitiatives(kHrPlan, {}, Page{0, 1000});
      ASSERT_TRUE(listed.ok()) << listed.status();
      ASSERT_EQ(listed->total % kBatch, 0) << "a batch was seen half-written";
      ASSERT_EQ(static_cast<int64_t>(listed->items.size()), listed->total);
      ASSERT_GE(listed->total, last_total);
      last_total = listed->total;
      for (size_t k = 0; k < listed->items.size(); ++k) {
        ASSERT_EQ(listed->items[k].number(), static_cast<int>(k + 1));
      }
      if (!listed->items.empty()) {
        absl::StatusOr<v1::Initiative> got = store->GetInitiative(listed->items.back().name());
        ASSERT_TRUE(got.ok()) << got.status();
      }
    }
  };
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) readers.emplace_back(read);
  writer.join();
  for (std::thread& reader : readers) reader.join();

  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> final_list,
                       store->ListInitiatives(kHrPlan, {}, Page{0, 1000}));
  EXPECT_EQ(final_list.total, kRounds * kBatch);
}

}  // namespace
}  // namespace torikumi::store::testing
