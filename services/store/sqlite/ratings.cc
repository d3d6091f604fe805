// Computed ratings in the SQLite store: an append-only history per initiative.
#include <optional>

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"
#include "services/store/sqlite/stored_rating.h"

namespace torikumi::store::sqlite {

namespace {

// The id of `rule_set` in rating_rule_sets (migration 15), added when new; nullopt for a
// rating without a rule set.
absl::StatusOr<std::optional<int64_t>> RuleSetId(WriteContext& w, absl::string_view rule_set) {
  if (rule_set.empty()) return std::optional<int64_t>();
  for (absl::string_view sql : {"SELECT id FROM rating_rule_sets WHERE name = ?",
                                "INSERT INTO rating_rule_sets (name) VALUES (?) RETURNING id"}) {
    absl::StatusOr<Statement> query = w.db.Prepare(sql);
    if (!query.ok()) return query.status();
    query->Bind(rule_set);
    absl::StatusOr<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) continue;
    const int64_t id = query->ColumnInt(0);
    if (absl::Status s = query->Run(); !s.ok()) return s;
    return std::optional<int64_t>(id);
  }
  return absl::InternalError("sqlite: inserting into rating_rule_sets returned no id");
}

// The row of one computed rating, without its change-feed event; returns the row's id.
// NOT_FOUND naming the initiative when it is missing; its id is looked up once, by the
// insert itself.
absl::StatusOr<int64_t> InsertRatingRow(WriteContext& w, const v1::ComputedRating& rating) {
  absl::StatusOr<std::optional<int64_t>> rule_set = RuleSetId(w, rating.rule_set());
  if (!rule_set.ok()) return rule_set.status();
  absl::StatusOr<Statement> insert = w.db.Prepare(
      "INSERT INTO computed_ratings (initiative, rule_set, record_time, body) "
      "SELECT id, ?, ?, ? FROM initiatives WHERE name = ? RETURNING id");
  if (!insert.ok()) return insert.status();
  if (rule_set->has_value()) {
    insert->Bind(**rule_set);
  } else {
    insert->BindNull();
  }
  insert->Bind(absl::ToUnixMicros(w.now))
      .BindBlob(StoredRatingBody(rating))
      .Bind(rating.initiative());
  absl::StatusOr<bool> row = insert->Step();
  if (!row.ok()) return row.status();
  if (!*row)
    return absl::NotFoundError(absl::StrCat("initiative '", rating.initiative(), "' not found"));
  const int64_t id = insert->ColumnInt(0);
  if (absl::Status s = insert->Run(); !s.ok()) return s;
  return id;
}

}  // namespace

absl::Status InsertRating(WriteContext& w, const v1::ComputedRating& rating) {
  absl::StatusOr<int64_t> id = InsertRatingRow(w, rating);
  if (!id.ok()) return id.status();
  return RecordChange(w, rating, *id);
}

absl::Status SqliteStore::RecordRatings(const std::vector<v1::ComputedRating>& ratings) {
  if (absl::Status s = rules::CheckRatingNames(ratings); !s.ok()) return s;
  return Write([&](WriteContext& w) -> absl::Status {
    std::vector<int64_t> row_ids;
    row_ids.reserve(ratings.size());
    for (size_t i = 0; i < ratings.size(); ++i) {
      absl::StatusOr<int64_t> id = InsertRatingRow(w, ratings[i]);
      if (!id.ok()) return ForItem(id.status(), i);
      row_ids.push_back(*id);
    }
    return RecordRatingChanges(w, ratings, row_ids);
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

absl::StatusOr<std::vector<std::string>> SqliteStore::ListRatingNames(absl::string_view plan) {
  if (auto parsed = ParsePlanName(plan, "plan"); !parsed.ok()) return parsed.status();
  std::vector<std::string> names;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<Statement> query = db.Prepare(absl::StrCat(
        "SELECT i.name || '/computedRatings/' || r.id FROM computed_ratings r JOIN initiatives i "
        "ON i.id = r.initiative WHERE ",
        IdInPlan("r.initiative", "?1"), " ORDER BY i.name, r.id DESC"));
    if (!query.ok()) return query.status();
    query->Bind(plan);
    for (;;) {
      absl::StatusOr<bool> row = query->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      names.push_back(query->ColumnText(0));
    }
  });
  if (!status.ok()) return status;
  return names;
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
      {.select = absl::StrCat("SELECT ", kRatingBodySql, ", i.name", kFrom, where,
                              " ORDER BY i.name, r.id DESC LIMIT ? OFFSET ?"),
       .count = absl::StrCat("SELECT count(*)", kFrom, where),
       .arguments = std::move(arguments),
       .parent = ListQuery::Parent{"plans", "plan", std::string(plan)}},
      page);
}

}  // namespace torikumi::store::sqlite
