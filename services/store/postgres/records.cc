#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {

pqxx::result ExecWith(Tx& tx, const std::string& sql, const Arguments& arguments) {
  return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(arguments));
}

absl::Status CheckParentExists(Tx& tx, absl::string_view table, absl::string_view kind,
                               absl::string_view parent, absl::string_view child) {
  // `table` is one of the store's own table names, never caller text.
  pqxx::result rows = tx.exec_params(absl::StrCat("SELECT 1 FROM ", table, " WHERE name = $1"),
                                     std::string(parent));
  if (!rows.empty()) return absl::OkStatus();
  std::string message = absl::StrCat(kind, " '", parent, "' not found");
  if (!child.empty()) absl::StrAppend(&message, " (the parent of '", child, "')");
  return absl::NotFoundError(message);
}

absl::Status RefuseIfChildren(Tx& tx, absl::string_view what, absl::string_view name,
                              const Children& children) {
  const int64_t n =
      tx.exec_params(std::string(children.count_sql), std::string(name))[0][0].as<int64_t>();
  if (n == 0) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      what, " still has ", n, " ", n == 1 ? children.one : children.many, "; ", children.hint));
}

void DeleteRow(Tx& tx, absl::string_view table, absl::string_view name) {
  tx.exec_params(absl::StrCat("DELETE FROM ", table, " WHERE name = $1"), std::string(name));
}

std::vector<std::string> FindRequest(Tx& tx, absl::string_view kind, absl::string_view request_id) {
  std::vector<std::string> names;
  if (request_id.empty()) return names;
  pqxx::result rows = tx.exec_params(
      "SELECT resource FROM request_ids WHERE kind = $1 AND request_id = $2 ORDER BY position",
      std::string(kind), std::string(request_id));
  for (const pqxx::row& row : rows) names.push_back(row[0].as<std::string>());
  return names;
}

void RecordRequest(WriteContext& w, absl::string_view kind, absl::string_view request_id,
                   const std::vector<std::string>& names) {
  if (request_id.empty()) return;
  for (size_t i = 0; i < names.size(); ++i) {
    w.tx.exec_params(
        "INSERT INTO request_ids (kind, request_id, position, resource, create_time) "
        "VALUES ($1, $2, $3, $4, $5)",
        std::string(kind), std::string(request_id), static_cast<int64_t>(i), names[i],
        absl::ToUnixSeconds(w.now));
  }
}

}  // namespace torikumi::store::postgres
