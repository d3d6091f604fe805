// ReadPlanInputs in the SQLite store: a plan with its initiatives and outcomes, and the
// plan's latest as-of date, in one read transaction and a fixed number of queries whatever
// the plan's size.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/outcome_functions.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"
#include "services/store/sqlite/stored_body.h"

namespace torikumi::store::sqlite {
namespace {

// The rows of `sql` (body, name) with the plan and, when not empty, the initiative bound.
template <typename Message>
absl::Status ReadRows(Connection& db, const std::string& sql, absl::string_view plan,
                      absl::string_view initiative, std::vector<Message>* out) {
  absl::StatusOr<Statement> rows = db.Prepare(sql);
  if (!rows.ok()) return rows.status();
  rows->Bind(plan);
  if (!initiative.empty()) rows->Bind(initiative);
  return AppendBodies(*rows, out);
}

// The plan's id is read first: SQLite uses the index on (id >> 32, as_of) only with a
// bound value, not with a subquery, and would read every outcome's entry otherwise. The
// index holds only the outcomes with an as-of date (as_of > 0).
absl::StatusOr<int64_t> LatestAsOf(Connection& db, absl::string_view plan) {
  absl::StatusOr<Statement> plan_id = db.Prepare("SELECT id FROM plans WHERE name = ?");
  if (!plan_id.ok()) return plan_id.status();
  plan_id->Bind(plan);
  absl::StatusOr<bool> found = plan_id->Step();
  if (!found.ok()) return found.status();
  if (!*found) return 0;
  absl::StatusOr<Statement> query =
      db.Prepare("SELECT coalesce(max(as_of), 0) FROM outcomes WHERE id >> 32 = ? AND as_of > 0");
  if (!query.ok()) return query.status();
  query->Bind(plan_id->ColumnInt(0));
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  return *row ? query->ColumnInt(0) : 0;
}

}  // namespace

absl::Status BackfillOutcomeAsOf(Connection& writer) {
  if (absl::Status s = writer.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  absl::Status status = [&]() -> absl::Status {
    absl::StatusOr<Statement> rows =
        writer.Prepare("SELECT id, body FROM outcomes WHERE as_of IS NULL");
    if (!rows.ok()) return rows.status();
    std::vector<std::pair<int64_t, int64_t>> keys;  // id, as_of
    while (true) {
      absl::StatusOr<bool> row = rows->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      absl::StatusOr<v1::Outcome> outcome =
          ParseBody<v1::Outcome>(rows->ColumnBlob(1), absl::StrCat("outcome ", rows->ColumnInt(0)));
      if (!outcome.ok()) return outcome.status();
      keys.emplace_back(rows->ColumnInt(0), AsOfKey(outcome->as_of()));
    }
    for (const auto& [id, as_of] : keys) {
      absl::StatusOr<Statement> update =
          writer.Prepare("UPDATE outcomes SET as_of = ? WHERE id = ?");
      if (!update.ok()) return update.status();
      update->Bind(as_of).Bind(id);
      if (absl::Status s = update->Run(); !s.ok()) return s;
    }
    return absl::OkStatus();
  }();
  if (status.ok()) status = writer.Exec("COMMIT");
  if (!status.ok() && writer.InTransaction()) writer.Exec("ROLLBACK").IgnoreError();
  return status;
}

absl::StatusOr<PlanInputs> ReadPlanInputsIn(Connection& db, absl::string_view plan,
                                            absl::string_view initiative) {
  const std::string one = initiative.empty() ? "" : " AND i.name = ?";
  const std::string initiatives_sql =
      absl::StrCat("SELECT ", kInitiativeBodySql, ", i.name FROM initiatives i",
                   " WHERE i.plan = ?", one, " ORDER BY ", kInitiativeOrder);
  const std::string outcomes_sql =
      absl::StrCat("SELECT ", kOutcomeBodySql,
                   ", 'outcome ' || o.id FROM outcomes o JOIN initiatives i ON i.id = o.initiative",
                   " WHERE i.plan = ?", one, " ORDER BY ", kInitiativeOrder, ", o.fiscal_year");
  PlanInputs inputs;
  absl::StatusOr<std::optional<v1::Plan>> found =
      LoadBody<v1::Plan>(db, "SELECT body FROM plans WHERE name = ?", plan);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError(absl::StrCat("plan '", plan, "' not found"));
  inputs.plan = **std::move(found);
  if (absl::Status s = ReadRows(db, initiatives_sql, plan, initiative, &inputs.initiatives);
      !s.ok()) {
    return s;
  }
  if (!initiative.empty() && inputs.initiatives.empty()) {
    return absl::NotFoundError(absl::StrCat("initiative '", initiative, "' not found"));
  }
  if (absl::Status s = ReadRows(db, outcomes_sql, plan, initiative, &inputs.outcomes); !s.ok())
    return s;
  absl::StatusOr<int64_t> latest = LatestAsOf(db, plan);
  if (!latest.ok()) return latest.status();
  inputs.latest_as_of = DateOfKey(*latest);
  return inputs;
}

absl::StatusOr<PlanInputs> SqliteStore::ReadPlanInputs(absl::string_view plan,
                                                       absl::string_view initiative) {
  if (auto parsed = ParsePlanName(plan, "plan"); !parsed.ok()) return parsed.status();
  PlanInputs inputs;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<PlanInputs> read = ReadPlanInputsIn(db, plan, initiative);
    if (!read.ok()) return read.status();
    inputs = *std::move(read);
    // In the same read transaction: the changes after it are those the snapshot missed.
    absl::StatusOr<FeedState> feed = ReadFeedState(db);
    if (!feed.ok()) return feed.status();
    inputs.last_change = feed->last_seq;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return inputs;
}

}  // namespace torikumi::store::sqlite
