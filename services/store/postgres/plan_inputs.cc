// ReadPlanInputs in the PostgreSQL store: a plan with its initiatives and outcomes, and the
// plan's latest as-of date, in one snapshot and a fixed number of queries.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/postgres/change_log.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {

absl::StatusOr<PlanInputs> ReadPlanInputsIn(Tx& tx, absl::string_view plan,
                                            absl::string_view initiative) {
  const std::string one = initiative.empty() ? "" : " AND i.name = $2";
  const std::string of_plan = " WHERE i.plan_id = (SELECT id FROM plans WHERE name = $1)";
  const std::string initiatives_sql =
      absl::StrCat("SELECT i.body, i.name FROM initiatives i", kJoinAreaPosition, of_plan, one,
                   " ORDER BY ", kInitiativeOrder);
  const std::string outcomes_sql = absl::StrCat(
      "SELECT o.body, o.name FROM outcomes o JOIN initiatives i ON i.id = o.initiative_id",
      kJoinAreaPosition, of_plan, one, " ORDER BY ", kInitiativeOrder, ", o.fiscal_year");
  Arguments arguments{std::string(plan)};
  if (!initiative.empty()) arguments.emplace_back(initiative);
  PlanInputs inputs;
  std::optional<v1::Plan> found =
      LoadBody<v1::Plan>(tx, "SELECT body FROM plans WHERE name = $1", plan);
  if (!found.has_value()) return absl::NotFoundError(absl::StrCat("plan '", plan, "' not found"));
  inputs.plan = *std::move(found);
  AppendBodies(ExecWith(tx, initiatives_sql, arguments), &inputs.initiatives);
  if (!initiative.empty() && inputs.initiatives.empty()) {
    return absl::NotFoundError(absl::StrCat("initiative '", initiative, "' not found"));
  }
  AppendBodies(ExecWith(tx, outcomes_sql, arguments), &inputs.outcomes);
  const int64_t latest = tx.exec_params1(
                               "SELECT coalesce(max(as_of), 0) FROM outcomes WHERE plan_id = "
                               "(SELECT id FROM plans WHERE name = $1)",
                               std::string(plan))[0]
                             .as<int64_t>();
  inputs.latest_as_of = rules::DateOfKey(latest);
  return inputs;
}

absl::StatusOr<PlanInputs> PostgresStore::ReadPlanInputs(absl::string_view plan,
                                                         absl::string_view initiative) {
  if (auto parsed = ParsePlanName(plan, "plan"); !parsed.ok()) return parsed.status();
  PlanInputs inputs;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    absl::StatusOr<PlanInputs> read = ReadPlanInputsIn(tx, plan, initiative);
    if (!read.ok()) return read.status();
    inputs = *std::move(read);
    // In the same snapshot: the changes after it are those the snapshot missed.
    inputs.last_change = ReadFeedState(tx).last_seq;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return inputs;
}

}  // namespace torikumi::store::postgres
