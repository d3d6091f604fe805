// The SQLite store's stored form of outcomes and initiatives (stored_body.h): without the
// name and etag their row gives, put back by outcome_body() and initiative_body() byte for
// byte.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/store/sqlite/outcome_functions.h"
#include "services/store/sqlite/stored_body.h"

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

// `sql` with the blob `body` and then `more` bound, run by SQLite on a connection with the
// store's functions: the blob it returns.
std::string RunOnBody(const char* sql, const std::string& body, const std::string& text,
                      std::vector<int64_t> more) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  EXPECT_EQ(RegisterOutcomeFunctions(db), SQLITE_OK);
  EXPECT_EQ(RegisterInitiativeFunctions(db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK);
  sqlite3_bind_blob(stmt, 1, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  for (size_t i = 0; i < more.size(); ++i)
    sqlite3_bind_int64(stmt, static_cast<int>(i) + 3, more[i]);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  std::string whole(static_cast<const char*>(sqlite3_column_blob(stmt, 0)),
                    sqlite3_column_bytes(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return whole;
}

std::string WholeBody(const std::string& stored, int fiscal_year, int64_t version) {
  return RunOnBody("SELECT outcome_body(?, ?, ?, ?)", stored, std::string(kInitiative),
                   {fiscal_year, version});
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

TEST(StoreSqliteStoredInitiative, LeavesOutTheNameAndEtagItsRowGives) {
  v1::Initiative initiative;
  initiative.set_name(std::string(kInitiative));
  initiative.set_area("職員研修");
  initiative.set_number(6);
  initiative.mutable_create_time()->set_seconds(1764633600);
  initiative.set_etag("\"v7\"");
  const std::string stored = StoredBody(initiative, initiative.name(), 7);
  EXPECT_EQ(stored.size() + initiative.name().size() + initiative.etag().size() + 4,
            initiative.ByteSizeLong());
  EXPECT_EQ(RunOnBody("SELECT initiative_body(?, ?, ?)", stored, initiative.name(), {7}),
            initiative.SerializeAsString());
  // Converting a body a release stored gives the same.
  EXPECT_EQ(RunOnBody("SELECT stored_initiative(?1, ?3)", initiative.SerializeAsString(), "", {7}),
            stored);
}

}  // namespace
}  // namespace torikumi::store::sqlite
