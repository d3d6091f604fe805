// The SQLite store's stored form of an outcome (services/store/sqlite/outcome_functions.h):
// without the name and etag its row gives, put back by outcome_body() byte for byte.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "services/store/sqlite/outcome_functions.h"

namespace torikumi::store::sqlite {
namespace {

constexpr absl::string_view kInitiative = "organizations/city/plans/hr-plan/initiatives/i1";

v1::Outcome Outcome() {
  v1::Outcome outcome;
  outcome.set_name(absl::StrCat(kInitiative, "/outcomes/fy2019"));
  outcome.set_fiscal_year(2019);
  outcome.set_text("研修を年４回開催した");
  outcome.set_status(v1::OUTCOME_STATUS_IMPLEMENTED);
  outcome.mutable_update_time()->set_seconds(1764633600);
  outcome.mutable_update_time()->set_nanos(616143914);
  outcome.set_etag("\"v42\"");
  return outcome;
}

// outcome_body(stored, kInitiative, fiscal_year, version), run by SQLite.
std::string WholeBody(const std::string& stored, int fiscal_year, int64_t version) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  EXPECT_EQ(RegisterOutcomeFunctions(db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT outcome_body(?, ?, ?, ?)", -1, &stmt, nullptr),
            SQLITE_OK);
  sqlite3_bind_blob(stmt, 1, stored.data(), static_cast<int>(stored.size()), SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, kInitiative.data(), static_cast<int>(kInitiative.size()),
                    SQLITE_STATIC);
  sqlite3_bind_int64(stmt, 3, fiscal_year);
  sqlite3_bind_int64(stmt, 4, version);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  std::string whole(static_cast<const char*>(sqlite3_column_blob(stmt, 0)),
                    sqlite3_column_bytes(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return whole;
}

TEST(StoreSqliteStoredOutcome, LeavesOutTheNameAndEtagItsRowGives) {
  const v1::Outcome outcome = Outcome();
  const std::string stored = StoredOutcomeBody(outcome, kInitiative, 2019, 42);
  EXPECT_EQ(stored.size() + outcome.name().size() + outcome.etag().size() + 4,
            outcome.ByteSizeLong());
  EXPECT_EQ(WholeBody(stored, 2019, 42), outcome.SerializeAsString());
}

TEST(StoreSqliteStoredOutcome, KeepsWhatItsRowDoesNotGive) {
  v1::Outcome period = Outcome();
  period.set_name(absl::StrCat(kInitiative, "/outcomes/period"));
  period.set_fiscal_year(0);
  EXPECT_EQ(WholeBody(StoredOutcomeBody(period, kInitiative, 0, 42), 0, 42),
            period.SerializeAsString());
  // An etag that is not the version's stays whole, and so does a name of another year.
  const v1::Outcome outcome = Outcome();
  const std::string other_etag = StoredOutcomeBody(outcome, kInitiative, 2019, 41);
  EXPECT_EQ(other_etag, outcome.SerializeAsString());
  EXPECT_EQ(WholeBody(other_etag, 2019, 41), outcome.SerializeAsString());
  EXPECT_EQ(StoredOutcomeBody(outcome, kInitiative, 2020, 42), outcome.SerializeAsString());
}

}  // namespace
}  // namespace torikumi::store::sqlite
