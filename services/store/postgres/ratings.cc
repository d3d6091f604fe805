// Computed ratings in the PostgreSQL store: an append-only history per initiative.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/postgres/change_log.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {

absl::Status PostgresStore::RecordRatings(const std::vector<v1::ComputedRating>& ratings) {
  for (size_t i = 0; i < ratings.size(); ++i) {
    absl::StatusOr<InitiativeName> parsed =
        ParseInitiativeName(ratings[i].initiative(), absl::StrCat("ratings[", i, "].initiative"));
    if (!parsed.ok()) return parsed.status();
  }
  return Write([&](WriteContext& w) -> absl::Status {
    for (size_t i = 0; i < ratings.size(); ++i) {
      pqxx::result inserted = w.tx.exec_params(
          "INSERT INTO computed_ratings (initiative_id, plan_id, body) "
          "SELECT id, plan_id, $2 FROM initiatives WHERE name = $1 RETURNING id",
          ratings[i].initiative(), Bytes(ratings[i]));
      if (inserted.empty()) {
        return ForItem(absl::NotFoundError(
                           absl::StrCat("initiative '", ratings[i].initiative(), "' not found")),
                       i);
      }
      RecordChange(w, events::RatingRecorded(ratings[i]));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<v1::ComputedRating>> PostgresStore::ListRatings(
    absl::string_view plan, absl::string_view initiative, bool history) {
  if (auto parsed = ParsePlanName(plan, "plan"); !parsed.ok()) return parsed.status();
  if (!initiative.empty()) {
    if (auto parsed = ParseInitiativeName(initiative, "initiative"); !parsed.ok())
      return parsed.status();
  }
  std::string sql =
      "SELECT r.body, i.name FROM computed_ratings r JOIN initiatives i ON i.id = r.initiative_id "
      "WHERE r.plan_id = (SELECT id FROM plans WHERE name = $1)";
  Arguments arguments{std::string(plan)};
  if (!initiative.empty()) {
    sql += " AND i.name = $2";
    arguments.emplace_back(initiative);
  }
  if (!history) {
    sql +=
        " AND r.id = (SELECT max(id) FROM computed_ratings latest "
        "WHERE latest.initiative_id = r.initiative_id)";
  }
  sql += " ORDER BY i.name, r.id DESC";
  std::vector<v1::ComputedRating> ratings;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    if (absl::Status s = CheckParentExists(tx, "plans", "plan", plan, ""); !s.ok()) return s;
    AppendBodies(ExecWith(tx, sql, arguments), &ratings);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return ratings;
}

}  // namespace torikumi::store::postgres
