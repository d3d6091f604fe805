#include "services/store/sqlite/records.h"

#include "services/common/errors.h"
#include "services/common/text.h"

namespace torikumi::store::sqlite {

std::string NextIdInPlan(absl::string_view table, absl::string_view plan) {
  return absl::StrCat("(SELECT coalesce((SELECT max(t.id) FROM ", table,
                      " t WHERE t.id BETWEEN p.id << 32 AND (p.id << 32) + 4294967295),",
                      " p.id << 32) + 1 FROM plans p WHERE p.name = ", plan, ")");
}

std::string IdInPlan(absl::string_view column, absl::string_view plan) {
  return absl::StrCat(column, " BETWEEN (SELECT id << 32 FROM plans WHERE name = ", plan,
                      ") AND (SELECT (id << 32) + 4294967295 FROM plans WHERE name = ", plan, ")");
}

std::string AreaPositionOf(absl::string_view plan, absl::string_view area_key) {
  return absl::StrCat("coalesce((SELECT a.position FROM plan_areas a WHERE a.plan = ", plan,
                      " AND a.area = ", area_key, "), 2147483647)");
}

absl::Status RefreshAreaPositions(Connection& db, absl::string_view plan) {
  const std::string position = AreaPositionOf("?1", "initiatives.area_key");
  absl::StatusOr<Statement> update =
      db.Prepare(absl::StrCat("UPDATE initiatives SET area_position = ", position,
                              " WHERE plan = ?1 AND area_position != ", position));
  if (!update.ok()) return update.status();
  update->Bind(plan);
  return update->Run();
}

void BindAll(Statement& statement, const Arguments& arguments) {
  for (const auto& argument : arguments) {
    if (const int64_t* number = std::get_if<int64_t>(&argument)) {
      statement.Bind(*number);
    } else {
      statement.Bind(absl::string_view(std::get<std::string>(argument)));
    }
  }
}

absl::Status RefuseIfChildren(Connection& db, absl::string_view what, absl::string_view name,
                              const Children& children) {
  absl::StatusOr<Statement> count = db.Prepare(children.count_sql);
  if (!count.ok()) return count.status();
  count->Bind(name);
  absl::StatusOr<bool> row = count->Step();
  if (!row.ok()) return row.status();
  const int64_t n = *row ? count->ColumnInt(0) : 0;
  if (n == 0) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      what, " still has ", n, " ", n == 1 ? children.one : children.many, "; ", children.hint));
}

absl::Status DeleteRow(Connection& db, absl::string_view table, absl::string_view name) {
  absl::StatusOr<Statement> remove =
      db.Prepare(absl::StrCat("DELETE FROM ", table, " WHERE name = ?"));
  if (!remove.ok()) return remove.status();
  remove->Bind(name);
  return remove->Run();
}

absl::Status CheckParentExists(Connection& db, absl::string_view table, absl::string_view kind,
                               absl::string_view parent, absl::string_view child) {
  absl::StatusOr<Statement> query =
      db.Prepare(absl::StrCat("SELECT 1 FROM ", table, " WHERE name = ?"));
  if (!query.ok()) return query.status();
  query->Bind(parent);
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (*row) return absl::OkStatus();
  std::string message = absl::StrCat(kind, " '", parent, "' not found");
  if (!child.empty()) absl::StrAppend(&message, " (the parent of '", child, "')");
  return absl::NotFoundError(message);
}

absl::StatusOr<std::vector<std::string>> FindRequest(Connection& db, absl::string_view kind,
                                                     absl::string_view request_id) {
  std::vector<std::string> names;
  if (request_id.empty()) return names;
  absl::StatusOr<Statement> query = db.Prepare(
      "SELECT resource FROM request_ids WHERE kind = ? AND request_id = ? ORDER BY position");
  if (!query.ok()) return query.status();
  query->Bind(kind).Bind(request_id);
  while (true) {
    absl::StatusOr<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) return names;
    names.push_back(query->ColumnText(0));
  }
}

absl::Status RecordRequest(WriteContext& w, absl::string_view kind, absl::string_view request_id,
                           const std::vector<std::string>& names) {
  if (request_id.empty()) return absl::OkStatus();
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StatusOr<Statement> insert = w.db.Prepare(
        "INSERT INTO request_ids (kind, request_id, position, resource, create_time) "
        "VALUES (?, ?, ?, ?, ?)");
    if (!insert.ok()) return insert.status();
    insert->Bind(kind)
        .Bind(request_id)
        .Bind(static_cast<int64_t>(i))
        .Bind(names[i])
        .Bind(absl::ToUnixSeconds(w.now));
    if (absl::Status s = insert->Run(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace torikumi::store::sqlite
