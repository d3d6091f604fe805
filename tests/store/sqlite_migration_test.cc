// Migrations on a database written by an older torikumi: a file at schema version 2, made
// with the version 1 and 2 SQL and rows as that version wrote them, is brought to the newest
// version at open, its rows keep working and the new matching columns are filled.
#include <sqlite3.h>

#include <string>
#include <vector>

#include "services/store/sqlite/migrations.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

// A raw connection to the file, beside any store: SQL with text and blob parameters.
class RawDatabase {
 public:
  explicit RawDatabase(const std::string& path) {
    EXPECT_EQ(
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
        SQLITE_OK);
  }
  ~RawDatabase() { sqlite3_close(db_); }
  RawDatabase(const RawDatabase&) = delete;
  RawDatabase& operator=(const RawDatabase&) = delete;

  void Exec(const std::string& sql) {
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error != nullptr ? error : "") << " in " << sql;
    sqlite3_free(error);
  }

  // Runs `sql` with `texts` bound in order (a value starting "blob:" is bound as a blob of
  // the rest); returns the first column of the first row ("" for none).
  std::string Run(const std::string& sql, const std::vector<std::string>& texts = {}) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_) << " in " << sql;
    for (size_t i = 0; i < texts.size(); ++i) {
      const std::string& value = texts[i];
      const int index = static_cast<int>(i) + 1;
      if (value.rfind("blob:", 0) == 0) {
        sqlite3_bind_blob(stmt, index, value.data() + 5, static_cast<int>(value.size()) - 5,
                          SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_text(stmt, index, value.data(), static_cast<int>(value.size()),
                          SQLITE_TRANSIENT);
      }
    }
    std::string result;
    int rc = sqlite3_step(stmt);
    EXPECT_TRUE(rc == SQLITE_ROW || rc == SQLITE_DONE) << sqlite3_errmsg(db_) << " in " << sql;
    if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return result;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string Blob(const google::protobuf::Message& message) {
  return "blob:" + message.SerializeAsString();
}

// Writes a schema-2 database: the plan hr with the area ＯＪＴ研修 (full width, first) and
// one initiative in it, as version 2 stored them.
void WriteSchemaTwoDatabase(const std::string& path) {
  RawDatabase db(path);
  for (const sqlite::Migration& migration : sqlite::Migrations()) {
    if (migration.version > 2) break;
    db.Exec(std::string(migration.sql));
  }
  db.Exec("PRAGMA user_version = 2");
  db.Run("INSERT INTO organizations (name, version, body) VALUES (?, 1, ?)",
         {std::string(kCity), Blob(MakeOrganization(kCity))});
  v1::Plan plan = MakePlan(kHrPlan);
  plan.mutable_areas()->Add("ＯＪＴ研修");
  plan.mutable_areas()->SwapElements(0, plan.areas_size() - 1);
  plan.set_etag("\"v2\"");
  db.Run(
      "INSERT INTO plans (name, organization, title_normalized, version, body) "
      "VALUES (?, ?, ?, 2, ?)",
      {plan.name(), std::string(kCity), plan.title(), Blob(plan)});
  for (int i = 0; i < plan.areas_size(); ++i) {
    db.Run("INSERT INTO plan_areas (plan, area, position) VALUES (?, ?, " + std::to_string(i) + ")",
           {plan.name(), plan.areas(i)});
  }
  for (const auto& [id, area] :
       {std::pair{"i1", std::string(kTraining)}, std::pair{"i2", std::string("ＯＪＴ研修")}}) {
    v1::Initiative initiative = MakeInitiative(id, area, 1, "ＯＪＴの手引き");
    initiative.set_theme("ＯＪＴの充実");
    initiative.set_etag("\"v3\"");
    db.Run(
        "INSERT INTO initiatives (name, plan, area, number, theme, kind, grade, relists, "
        "search_text, version, body) VALUES (?, ?, ?, 1, ?, 2, '', NULL, ?, 3, ?)",
        {initiative.name(), plan.name(), area, initiative.theme(), "OJTの手引き\nOJTの充実\n",
         Blob(initiative)});
  }
  db.Run("UPDATE store_state SET last_version = 3");
}

TEST(StoreSqliteMigration, ASchemaTwoDatabaseGetsItsMatchingColumnsFilled) {
  ScratchDirectory dir;
  const std::string path = dir.path() + "/torikumi.db";
  WriteSchemaTwoDatabase(path);
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store.ok()) << store.status();
    // The area matches in either width and keeps its place first in the plan's order.
    v1::InitiativeFilter filter;
    filter.set_area("OJT研修");
    auto found = (*store)->ListInitiatives(kHrPlan, filter, Page{0, 10});
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_EQ(found->items.size(), 1u);
    EXPECT_EQ(found->items[0].area(), "ＯＪＴ研修");
    auto all = (*store)->ListInitiatives(kHrPlan, v1::InitiativeFilter(), Page{0, 10});
    ASSERT_TRUE(all.ok()) << all.status();
    ASSERT_EQ(all->items.size(), 2u);
    EXPECT_EQ(all->items[0].name(), InitiativeName("i2"));
    v1::InitiativeFilter theme;
    theme.set_theme("OJTの充実");
    auto by_theme = (*store)->ListInitiatives(kHrPlan, theme, Page{0, 10});
    ASSERT_TRUE(by_theme.ok()) << by_theme.status();
    EXPECT_EQ(by_theme->items.size(), 2u);
    // One number per area, however it is spelled.
    auto taken = (*store)->CreateInitiative(MakeInitiative("i3", "OJT研修", 1), "");
    EXPECT_EQ(taken.status().code(), absl::StatusCode::kAlreadyExists) << taken.status();
  }
  RawDatabase db(path);
  EXPECT_EQ(db.Run("PRAGMA user_version"), std::to_string(sqlite::Migrations().back().version));
  EXPECT_EQ(db.Run("SELECT area_key FROM initiatives WHERE name = ?", {InitiativeName("i2")}),
            "OJT研修");
  EXPECT_EQ(db.Run("SELECT theme_key FROM initiatives WHERE name = ?", {InitiativeName("i1")}),
            "OJTの充実");
  EXPECT_EQ(db.Run("SELECT area FROM plan_areas WHERE position = 0"), "OJT研修");
}

}  // namespace
}  // namespace torikumi::store::testing
