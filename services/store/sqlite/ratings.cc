// Computed ratings in the SQLite store: an append-only history per initiative.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {

absl::Status InsertRating(WriteContext& w, const v1::ComputedRating& rating) {
  if (absl::Status s =
          CheckParentExists(w.db, "initiatives", "initiative", rating.initiative(), "");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<Statement> insert = w.db.Prepare(
      "INSERT INTO computed_ratings (initiative, record_time, body) "
      "VALUES ((SELECT id FROM initiatives WHERE name = ?), ?, ?) RETURNING id");
  if (!insert.ok()) return insert.status();
  insert->Bind(rating.initiative())
      .Bind(absl::ToUnixMicros(w.now))
      .BindBlob(rating.SerializeAsString());
  absl::StatusOr<int64_t> id = insert->RunReturningInt();
  if (!id.ok()) return id.status();
  return RecordChange(w, rating, *id);
}

absl::Status SqliteStore::RecordRatings(const std::vector<v1::ComputedRating>& ratings) {
  if (absl::Status s = rules::CheckRatingNames(ratings); !s.ok()) return s;
  return Write([&](WriteContext& w) -> absl::Status {
    for (size_t i = 0; i < ratings.size(); ++i) {
      if (absl::Status s = InsertRating(w, ratings[i]); !s.ok()) return ForItem(s, i);
    }
    return absl::OkStatus();
  });
}

absl::Status RecordRatingAfterWrite(WriteContext& w, RatingAfterWrite* rating) {
  return rules::RecordRatingAfterWrite(
      rating,
      {.read_inputs =
           [&](const std::string& plan, const std::string& initiative) {
             return ReadPlanInputsIn(w.db, plan, initiative);
           },
       .latest_version =
           [&](const std::string& rule_set) { return LatestRuleSetVersion(w.db, rule_set); },
       .insert = [&](const v1::ComputedRating& computed) { return InsertRating(w, computed); }});
}

absl::StatusOr<ListResult<v1::ComputedRating>> SqliteStore::ListRatings(
    absl::string_view plan, absl::string_view initiative, bool history, Page page) {
  if (auto parsed = ParsePlanName(plan, "plan"); !parsed.ok()) return parsed.status();
  // The plan's ratings are those of the initiatives in its range of ids (migration 9).
  std::string where = absl::StrCat(" WHERE ", IdInPlan("r.initiative", "?1"));
  Arguments arguments{std::string(plan)};
  if (!initiative.empty()) {
    if (auto parsed = ParseInitiativeName(initiative, "initiative"); !parsed.ok())
      return parsed.status();
    where += " AND i.name = ?";
    arguments.emplace_back(std::string(initiative));
  }
  if (!history) {
    where +=
        " AND r.id = (SELECT max(id) FROM computed_ratings latest WHERE latest.initiative = "
        "r.initiative)";
  }
  constexpr absl::string_view kFrom =
      " FROM computed_ratings r JOIN initiatives i ON i.id = r.initiative";
  return ReadPage<v1::ComputedRating>(
      {.select = absl::StrCat("SELECT r.body, i.name", kFrom, where,
                              " ORDER BY i.name, r.id DESC LIMIT ? OFFSET ?"),
       .count = absl::StrCat("SELECT count(*)", kFrom, where),
       .arguments = std::move(arguments),
       .parent = ListQuery::Parent{"plans", "plan", std::string(plan)}},
      page);
}

}  // namespace torikumi::store::sqlite
