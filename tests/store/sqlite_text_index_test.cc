// The SQLite store's trigram index of initiative documents (migration 14) is kept by
// triggers that take a document out as it was and put it back as it is: after every kind of
// write, and after the migration of a release's database, FTS5's integrity check against the
// documents' view (`rank` 1) finds the index exactly what the rows say.
#include <sqlite3.h>

#include <filesystem>
#include <tuple>

#include "services/store/sqlite/outcome_functions.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

// Runs `sql` on the file beside the store, with the store's outcome_text() (the documents'
// view calls it); returns SQLite's error message, "" when it ran.
std::string RunDirectly(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK ||
      sqlite::RegisterOutcomeFunctions(db) != SQLITE_OK) {
    error = sqlite3_errmsg(db);
  } else if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(db);
  }
  sqlite3_close(db);
  return error;
}

// The first column of the first row of `sql`, as a number.
int64_t CountDirectly(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  int64_t count = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      count = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return count;
}

constexpr char kIntegrityCheck[] =
    "INSERT INTO initiative_documents_text (initiative_documents_text, rank) "
    "VALUES ('integrity-check', 1)";

// One document per initiative, and the index holds exactly the view's documents.
void ExpectIndexMatchesRows(const std::string& path) {
  EXPECT_EQ(RunDirectly(path, kIntegrityCheck), "");
  EXPECT_EQ(CountDirectly(path, "SELECT count(*) FROM initiative_documents_text_docsize"),
            CountDirectly(path, "SELECT count(*) FROM initiatives"));
}

TEST(StoreSqliteTextIndex, StaysExactThroughEveryKindOfWrite) {
  ScratchDirectory dir;
  const std::string path = dir.path() + "/torikumi.db";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
  ASSERT_OK(store->CreateOrganization(MakeOrganization(kCity), "").status());
  ASSERT_OK(store->CreatePlan(MakePlan(kHrPlan), "").status());
  const std::string other = "organizations/city/plans/other";
  ASSERT_OK(store->CreatePlan(MakePlan(other), "").status());
  ASSERT_OK(store
                ->BatchCreateInitiatives({MakeInitiative("a", kTraining, 1, "新任研修"),
                                          MakeInitiative("b", kTraining, 2, "管理職研修"),
                                          MakeInitiative("c", kCulture, 1, "職場風土", other)},
                                         "")
                .status());
  // Full-width text, whose search_text differs from the body's text, beside plain text.
  for (const auto& [id, year, text] :
       std::vector<std::tuple<std::string, int, std::string>>{{"a", 2020, "ＩＣＴ研修を実施"},
                                                              {"a", 2019, "四百人が受講"},
                                                              {"a", 0, "期間の成果"},
                                                              {"b", 2019, "受講率の向上"}}) {
    ASSERT_OK(store->UpsertOutcome(MakeOutcome(InitiativeName(id), year, text), "").status());
  }
  ASSERT_OK(
      store->UpsertOutcome(MakeOutcome(InitiativeName("c", other), 2019, "風土"), "").status());
  ASSERT_NO_FATAL_FAILURE(ExpectIndexMatchesRows(path));

  ASSERT_OK(
      store->UpsertOutcome(MakeOutcome(InitiativeName("a"), 2019, "五百人が受講"), "").status());
  ASSERT_OK(store->DeleteOutcome(absl::StrCat(InitiativeName("a"), "/outcomes/period"), ""));
  ASSERT_OK_AND_ASSIGN(v1::Initiative b, store->GetInitiative(InitiativeName("b")));
  b.set_theme("研修体系");
  ASSERT_OK(store->UpdateInitiative(b, "").status());
  b.set_kind(v1::INITIATIVE_KIND_NEW);  // a write that leaves the text as it was
  ASSERT_OK(store->UpdateInitiative(b, "").status());
  ASSERT_NO_FATAL_FAILURE(ExpectIndexMatchesRows(path));

  ASSERT_OK(store->DeleteInitiative(InitiativeName("a"), /*force=*/true, ""));
  ASSERT_OK(store->DeletePlan(other, /*force=*/true, ""));
  ASSERT_NO_FATAL_FAILURE(ExpectIndexMatchesRows(path));
  EXPECT_EQ(CountDirectly(path, "SELECT count(*) FROM initiatives"), 1);
}

TEST(StoreSqliteTextIndex, IsBuiltForAReleaseDatabaseAtOpen) {
  ScratchDirectory dir;
  const std::string path = dir.path() + "/release.db";
  std::filesystem::copy_file(TORIKUMI_RELEASE_DB, path);
  ASSERT_OK(OpenSqliteStore(path).status());
  ASSERT_NO_FATAL_FAILURE(ExpectIndexMatchesRows(path));
  EXPECT_EQ(CountDirectly(path, "SELECT count(*) FROM initiatives"), 66);
  // The per-text indexes it replaces are gone.
  EXPECT_EQ(CountDirectly(path,
                          "SELECT count(*) FROM sqlite_master WHERE name IN "
                          "('initiatives_text', 'outcomes_text', 'outcomes_search')"),
            0);
}

}  // namespace
}  // namespace torikumi::store::testing
