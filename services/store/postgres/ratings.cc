// Computed ratings in the PostgreSQL store: an append-only history per initiative.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/plan_ratings_rules.h"
#include "services/store/postgres/change_log.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {

absl::Status InsertRating(WriteContext& w, const v1::ComputedRating& rating) {
  pqxx::result inserted = w.tx.exec_params(
      "INSERT INTO computed_ratings (initiative_id, plan_id, record_time, body) "
      "SELECT id, plan_id, $2, $3 FROM initiatives WHERE name = $1 RETURNING id",
      rating.initiative(), absl::ToUnixMicros(w.now), Bytes(rating));
  if (inserted.empty()) {
    return absl::NotFoundError(absl::StrCat("initiative '", rating.initiative(), "' not found"));
  }
  RecordChange(w, events::RatingRecorded(rating));
  return absl::OkStatus();
}

absl::Status RecordRatingAfterWrite(WriteContext& w, RatingAfterWrite* rating) {
  return rules::RecordRatingAfterWrite(
      rating,
      {.read_inputs =
           [&](const std::string& plan, const std::string& initiative) {
             return ReadPlanInputsIn(w.tx, plan, initiative);
           },
       .latest_version = [&](const std::string& rule_set) -> absl::StatusOr<int32_t> {
         return LatestRuleSetVersion(w.tx, rule_set);
       },
       .insert = [&](const v1::ComputedRating& computed) { return InsertRating(w, computed); }});
}

namespace {

absl::Status InsertRatings(WriteContext& w, const std::vector<v1::ComputedRating>& ratings) {
  for (size_t i = 0; i < ratings.size(); ++i) {
    if (absl::Status s = InsertRating(w, ratings[i]); !s.ok()) return ForItem(s, i);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status PostgresStore::RecordRatings(const std::vector<v1::ComputedRating>& ratings) {
  if (absl::Status s = rules::CheckRatingNames(ratings); !s.ok()) return s;
  return Write([&](WriteContext& w) { return InsertRatings(w, ratings); });
}

absl::Status PostgresStore::RecordPlanRatingsWhereHold(PlanRatings* ratings) {
  absl::Status status = Write([&](WriteContext& w) {
    return rules::RecordPlanRatingsWhereHold(
        ratings,
        {.list_changes = [&](const ChangeQuery& query) { return ListChangesIn(w.tx, query); },
         .read_inputs =
             [&](const std::string& plan, const std::string& initiative) {
               return ReadPlanInputsIn(w.tx, plan, initiative);
             },
         .latest_version = [&](const std::string& rule_set) -> absl::StatusOr<int32_t> {
           return LatestRuleSetVersion(w.tx, rule_set);
         },
         .insert =
             [&](const std::vector<v1::ComputedRating>& holding) {
               return InsertRatings(w, holding);
             }});
  });
  if (!status.ok()) ratings->recorded.assign(ratings->ratings.size(), false);
  return status;
}

absl::Status PostgresStore::RecordRatingIfHolds(RatingAfterWrite* rating) {
  absl::Status status = Write([&](WriteContext& w) { return RecordRatingAfterWrite(w, rating); });
  if (!status.ok()) rating->recorded = false;
  return status;
}

absl::StatusOr<std::vector<std::string>> PostgresStore::ListRatingNames(absl::string_view plan) {
  if (auto parsed = ParsePlanName(plan, "plan"); !parsed.ok()) return parsed.status();
  std::vector<std::string> names;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    for (const pqxx::row& row :
         ExecWith(tx,
                  "SELECT i.name || '/computedRatings/' || r.id FROM computed_ratings r JOIN "
                  "initiatives i ON i.id = r.initiative_id WHERE r.plan_id = (SELECT id FROM plans "
                  "WHERE name = $1) ORDER BY i.name, r.id DESC",
                  {std::string(plan)})) {
      names.push_back(row[0].as<std::string>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return names;
}

absl::StatusOr<ListResult<v1::ComputedRating>> PostgresStore::ListRatings(
    absl::string_view plan, absl::string_view initiative, bool history, Page page) {
  if (auto parsed = ParsePlanName(plan, "plan"); !parsed.ok()) return parsed.status();
  std::string where = " WHERE r.plan_id = (SELECT id FROM plans WHERE name = $1)";
  Arguments arguments{std::string(plan)};
  if (!initiative.empty()) {
    if (auto parsed = ParseInitiativeName(initiative, "initiative"); !parsed.ok())
      return parsed.status();
    where += " AND i.name = $2";
    arguments.emplace_back(initiative);
  }
  if (!history) {
    where +=
        " AND r.id = (SELECT max(id) FROM computed_ratings latest "
        "WHERE latest.initiative_id = r.initiative_id)";
  }
  const std::string from = " FROM computed_ratings r JOIN initiatives i ON i.id = r.initiative_id";
  return ReadPage<v1::ComputedRating>(
      {.select = absl::StrCat("SELECT r.body, i.name", from, where, " ORDER BY i.name, r.id DESC"),
       .count = absl::StrCat("SELECT count(*)", from, where),
       .arguments = std::move(arguments),
       .parent = ListQuery::Parent{"plans", "plan", std::string(plan)}},
      page);
}

absl::StatusOr<int64_t> PostgresStore::PruneHistory(absl::Time before) {
  int64_t pruned = 0;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    pqxx::result ratings = w.tx.exec_params(
        "DELETE FROM computed_ratings r WHERE record_time < $1 AND id < (SELECT max(id) FROM "
        "computed_ratings newest WHERE newest.initiative_id = r.initiative_id)",
        absl::ToUnixMicros(before));
    pqxx::result requests = w.tx.exec_params("DELETE FROM request_ids WHERE create_time < $1",
                                             absl::ToUnixSeconds(before));
    pruned = ratings.affected_rows() + requests.affected_rows();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return pruned;
}

}  // namespace torikumi::store::postgres
