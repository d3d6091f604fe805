// The SQLite store's single writer under concurrent writes, which it commits in groups, and
// the migration of a database written before outcomes carried their plan and as-of date.
#include <sqlite3.h>

#include <atomic>
#include <set>
#include <thread>

#include "services/common/mutex.h"
#include "services/store/sqlite/group_commit.h"
#include "services/store/sqlite/migrations.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

// Sixteen writers at once, each upserting its own outcomes; every third write carries a stale
// etag and must fail alone, without taking the writes committed beside it down.
TEST(StoreSqliteGroupCommit, ConcurrentWritesEachLandOrFailAlone) {
  ScratchDirectory dir;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(dir.path() + "/t.db"));
  ASSERT_OK(store->CreateOrganization(MakeOrganization(kCity), "").status());
  ASSERT_OK(store->CreatePlan(MakePlan(kHrPlan), "").status());
  constexpr int kWriters = 16;
  constexpr int kWrites = 30;
  for (int w = 0; w < kWriters; ++w)
    ASSERT_OK(store->CreateInitiative(MakeInitiative(absl::StrCat("w", w), kTraining, w + 1), "")
                  .status());

  std::vector<std::vector<std::string>> etags(kWriters);
  std::atomic<int> refused{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      const std::string initiative = InitiativeName(absl::StrCat("w", w));
      for (int i = 0; i < kWrites; ++i) {
        v1::Outcome outcome = MakeOutcome(initiative, 2018 + i % 5, absl::StrCat("write ", i));
        const bool stale = i % 3 == 2;
        absl::StatusOr<UpsertResult> put = store->UpsertOutcome(outcome, stale ? "\"v0\"" : "");
        if (stale) {
          EXPECT_EQ(put.status().code(), absl::StatusCode::kAborted) << put.status();
          refused.fetch_add(1);
        } else {
          ASSERT_TRUE(put.ok()) << put.status();
          etags[w].push_back(put->outcome.etag());
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(refused.load(), kWriters * kWrites / 3);

  std::set<std::string> distinct;
  for (const auto& mine : etags) distinct.insert(mine.begin(), mine.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kWriters * kWrites * 2 / 3))
      << "two writes of one group shared an etag";
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> stored,
                       store->ListOutcomes(InitiativeName("-"), std::nullopt, Page{0, 1000}));
  ASSERT_EQ(stored.total, kWriters * 5);
  for (const v1::Outcome& outcome : stored.items) {
    // The last successful write of each year: 25..29 less the stale 26 and 29.
    const int year_index = outcome.fiscal_year() - 2018;
    int last = 25 + year_index;
    if (last % 3 == 2) last -= 5;
    EXPECT_EQ(outcome.text(), absl::StrCat("write ", last)) << outcome.name();
  }
}

// Submit does not wait for the commit: writes submitted while a group is being committed
// queue up (the submitting thread goes on) and all share the next commit, each told once
// that commit has returned, on the writer's own thread. A Write made from such a `done`
// commits at once instead of waiting for the thread that calls it.
TEST(StoreSqliteGroupCommit, SubmittedWritesQueueWithoutWaitingAndShareTheNextCommit) {
  ScratchDirectory dir;
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<sqlite::Connection> db,
      sqlite::Connection::Open(dir.path() + "/g.db", sqlite::Connection::Role::kWriter));
  ASSERT_OK(db->EnableWal());
  ASSERT_OK(db->Exec("CREATE TABLE t (n INTEGER)"));
  sqlite::GroupCommitWriter writer(std::move(db));

  Mutex mu;
  CondVar changed;
  bool release = false;
  std::vector<int64_t> group_of(11, -1);
  std::vector<std::thread::id> told_on;
  std::vector<absl::Status> told;
  auto body = [&](int n) {
    return [&, n](sqlite::WriteContext& w) -> absl::Status {
      {
        MutexLock lock(&mu);
        group_of[n] = w.group;
        changed.SignalAll();
        // The first write holds its group open until the others are queued.
        while (n == 0 && !release) changed.Wait(&mu);
      }
      return w.db.Exec(absl::StrCat("INSERT INTO t VALUES (", n, ")"));
    };
  };
  auto done = [&](absl::Status status) {
    MutexLock lock(&mu);
    told.push_back(std::move(status));
    told_on.push_back(std::this_thread::get_id());
    changed.SignalAll();
  };
  writer.Submit(body(0), done);
  {
    MutexLock lock(&mu);
    while (group_of[0] == -1) changed.Wait(&mu);
  }
  // Write 0 is being committed and blocks; these ten return at once all the same.
  for (int n = 1; n <= 10; ++n) writer.Submit(body(n), done);
  {
    MutexLock lock(&mu);
    EXPECT_TRUE(told.empty());
    release = true;
    changed.SignalAll();
    while (told.size() < 11) changed.Wait(&mu);
  }
  for (const absl::Status& status : told) EXPECT_TRUE(status.ok()) << status;
  for (std::thread::id thread : told_on) EXPECT_NE(thread, std::this_thread::get_id());
  for (int n = 1; n <= 10; ++n) EXPECT_EQ(group_of[n], group_of[0] + 1) << n;

  // From a `done`, on the writer's thread: committed there and then, not deadlocked.
  absl::Status nested = absl::UnknownError("not run");
  bool nested_done = false;
  writer.Submit(body(1), [&](absl::Status) {
    absl::Status status = writer.Write(
        [](sqlite::WriteContext& w) { return w.db.Exec("INSERT INTO t VALUES (99)"); });
    MutexLock lock(&mu);
    nested = status;
    nested_done = true;
    changed.SignalAll();
  });
  MutexLock lock(&mu);
  while (!nested_done) changed.Wait(&mu);
  EXPECT_TRUE(nested.ok()) << nested;
}

// Runs `sql` on the file without the store; false (and a test failure) when it fails.
bool Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "") << "\n" << sql;
  sqlite3_free(error);
  return rc == SQLITE_OK;
}

void InsertBody(sqlite3* db, const std::string& sql, const std::string& body) {
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  sqlite3_bind_blob(stmt, 1, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE) << sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
}

// A file at schema version 2, as the release before outcomes carried their plan and as-of
// date wrote it, is migrated in place at open and answers with the plan's latest as-of date.
TEST(StoreSqliteMigration, ReleaseDatabaseIsMigratedInPlace) {
  ScratchDirectory dir;
  const std::string path = dir.path() + "/release.db";
  const std::string initiative = InitiativeName("i1");
  v1::Outcome outcome = MakeOutcome(initiative, 2022, "実施した");
  outcome.mutable_as_of()->set_year(2022);
  outcome.mutable_as_of()->set_month(8);
  outcome.mutable_as_of()->set_day(31);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    for (int v = 0; v < 2; ++v) ASSERT_TRUE(Exec(db, std::string(sqlite::Migrations()[v].sql)));
    ASSERT_TRUE(Exec(db, "PRAGMA user_version = 2"));
    InsertBody(db, "INSERT INTO organizations VALUES ('organizations/city', 1, ?)",
               MakeOrganization(kCity).SerializeAsString());
    InsertBody(db,
               absl::StrCat("INSERT INTO plans VALUES ('", kHrPlan,
                            "', 'organizations/city', '', "
                            "1, ?)"),
               MakePlan(kHrPlan).SerializeAsString());
    InsertBody(db,
               absl::StrCat("INSERT INTO initiatives VALUES ('", initiative, "', '", kHrPlan,
                            "', '", kTraining, "', 1, '', 2, '', NULL, '', 1, ?)"),
               MakeInitiative("i1", kTraining, 1).SerializeAsString());
    InsertBody(db,
               absl::StrCat("INSERT INTO outcomes VALUES ('", outcome.name(), "', '", initiative,
                            "', 2022, '', 1, ?)"),
               outcome.SerializeAsString());
    sqlite3_close(db);
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
  ASSERT_OK_AND_ASSIGN(PlanInputs inputs, store->ReadPlanInputs(kHrPlan, initiative));
  ASSERT_EQ(inputs.outcomes.size(), 1u);
  EXPECT_EQ(inputs.outcomes[0].text(), "実施した");
  EXPECT_EQ(inputs.latest_as_of.year(), 2022);
  EXPECT_EQ(inputs.latest_as_of.month(), 8);
  // Writes after the migration keep the new columns up to date.
  ASSERT_OK(store->UpsertOutcome(MakeOutcome(initiative, 2022), "").status());
  ASSERT_OK_AND_ASSIGN(inputs, store->ReadPlanInputs(kHrPlan, ""));
  EXPECT_EQ(inputs.latest_as_of.year(), 0);
}

}  // namespace
}  // namespace torikumi::store::testing
