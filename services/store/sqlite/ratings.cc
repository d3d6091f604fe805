// Computed ratings in the SQLite store: an append-only history per initiative.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/plan_ratings_rules.h"
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

// Ratings go into the table this many to a statement, the rest in halves of it (32, 16, …,
// 1): a plan's thousands of ratings cost tens of statements instead of thousands (each
// statement has its own setup, statement journal and trigger program), and the connection
// caches only a handful of SQL texts.
constexpr size_t kRatingsPerInsert = 64;

// The INSERT of `rows` ratings, bound as (position, initiative name, rule set id, body)
// each, then the record time. CROSS JOIN keeps `given` the outer loop, so each name is one index
// lookup however many initiatives are stored; a name that is not there gives no row. The rows are
// inserted in position order, so their AUTOINCREMENT ids ascend in that order.
std::string InsertRatingsSql(size_t rows) {
  std::string values;
  for (size_t i = 0; i < rows; ++i) {
    absl::StrAppend(&values, i == 0 ? "" : ", ", "(?, ?, ?, ?)");
  }
  return absl::StrCat(
      "WITH given (position, name, rule_set, body) AS (VALUES ", values,
      ") INSERT INTO computed_ratings (initiative, rule_set, record_time, body) "
      "SELECT i.id, given.rule_set, ?, given.body FROM given CROSS JOIN initiatives i "
      "ON i.name = given.name ORDER BY given.position RETURNING id");
}

// NOT_FOUND for the first of ratings [begin, end) whose initiative is missing, naming it and
// its index; INTERNAL if all are there (the insert gave fewer rows for another reason).
absl::Status MissingInitiative(WriteContext& w, const std::vector<v1::ComputedRating>& ratings,
                               size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    absl::StatusOr<Statement> find = w.db.Prepare("SELECT 1 FROM initiatives WHERE name = ?");
    if (!find.ok()) return find.status();
    find->Bind(ratings[i].initiative());
    absl::StatusOr<bool> row = find->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return ForItem(
          absl::NotFoundError(absl::StrCat("initiative '", ratings[i].initiative(), "' not found")),
          i);
    }
  }
  return absl::InternalError(
      absl::StrCat("sqlite: ratings ", begin, " to ", end - 1, " were not all recorded"));
}

// Rule set name → its id in rating_rule_sets, looked up once per RecordRatings (the ratings
// of one evaluation share their rule set).
using RuleSetIds = std::map<std::string, std::optional<int64_t>, std::less<>>;

absl::StatusOr<std::optional<int64_t>> CachedRuleSetId(WriteContext& w, absl::string_view rule_set,
                                                       RuleSetIds& known) {
  if (auto found = known.find(rule_set); found != known.end()) return found->second;
  absl::StatusOr<std::optional<int64_t>> id = RuleSetId(w, rule_set);
  if (id.ok()) known.emplace(std::string(rule_set), *id);
  return id;
}

// Inserts ratings [begin, begin + rows) in one statement and appends their row ids, in the
// ratings' order, to `ids`.
absl::Status InsertRatingRows(WriteContext& w, const std::vector<v1::ComputedRating>& ratings,
                              size_t begin, size_t rows, RuleSetIds& rule_set_ids,
                              std::vector<int64_t>* ids) {
  std::vector<std::optional<int64_t>> rule_sets;
  for (size_t i = begin; i < begin + rows; ++i) {
    absl::StatusOr<std::optional<int64_t>> id =
        CachedRuleSetId(w, ratings[i].rule_set(), rule_set_ids);
    if (!id.ok()) return id.status();
    rule_sets.push_back(*id);
  }
  absl::StatusOr<Statement> insert = w.db.Prepare(InsertRatingsSql(rows));
  if (!insert.ok()) return insert.status();
  for (size_t i = begin; i < begin + rows; ++i) {
    insert->Bind(static_cast<int64_t>(i)).Bind(ratings[i].initiative());
    if (const std::optional<int64_t>& rule_set = rule_sets[i - begin]; rule_set.has_value()) {
      insert->Bind(*rule_set);
    } else {
      insert->BindNull();
    }
    insert->BindBlob(StoredRatingBody(ratings[i]));
  }
  insert->Bind(absl::ToUnixMicros(w.now));
  const size_t first = ids->size();
  while (true) {
    absl::StatusOr<bool> row = insert->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ids->push_back(insert->ColumnInt(0));
  }
  if (ids->size() - first != rows) return MissingInitiative(w, ratings, begin, begin + rows);
  // RETURNING gives the rows in no set order; ids ascend in insertion (position) order.
  std::sort(ids->begin() + static_cast<std::ptrdiff_t>(first), ids->end());
  return absl::OkStatus();
}

}  // namespace

absl::Status InsertRating(WriteContext& w, const v1::ComputedRating& rating) {
  absl::StatusOr<int64_t> id = InsertRatingRow(w, rating);
  if (!id.ok()) return id.status();
  return RecordChange(w, rating, *id);
}

namespace {

// Inserts `ratings` with their changes, many rows per statement.
absl::Status InsertRatings(WriteContext& w, const std::vector<v1::ComputedRating>& ratings) {
  std::vector<int64_t> row_ids;
  row_ids.reserve(ratings.size());
  RuleSetIds rule_set_ids;
  size_t done = 0;
  for (size_t rows = kRatingsPerInsert; rows > 0; rows /= 2) {
    for (; ratings.size() - done >= rows; done += rows) {
      if (absl::Status s = InsertRatingRows(w, ratings, done, rows, rule_set_ids, &row_ids);
          !s.ok()) {
        return s;
      }
    }
  }
  return RecordRatingChanges(w, ratings, row_ids);
}

}  // namespace

absl::Status SqliteStore::RecordRatings(const std::vector<v1::ComputedRating>& ratings) {
  if (absl::Status s = rules::CheckRatingNames(ratings); !s.ok()) return s;
  return Write([&](WriteContext& w) { return InsertRatings(w, ratings); });
}

absl::Status SqliteStore::RecordPlanRatingsWhereHold(PlanRatings* ratings) {
  absl::Status status = Write([&](WriteContext& w) {
    return rules::RecordPlanRatingsWhereHold(
        ratings,
        {.list_changes = [&](const ChangeQuery& query) { return ListChangesIn(w.db, query); },
         .read_inputs =
             [&](const std::string& plan, const std::string& initiative) {
               return ReadPlanInputsIn(w.db, plan, initiative);
             },
         .latest_version =
             [&](const std::string& rule_set) { return LatestRuleSetVersion(w.db, rule_set); },
         .insert =
             [&](const std::vector<v1::ComputedRating>& holding) {
               return InsertRatings(w, holding);
             }});
  });
  if (!status.ok()) ratings->recorded.assign(ratings->ratings.size(), false);
  return status;
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

absl::Status SqliteStore::RecordRatingIfHolds(RatingAfterWrite* rating) {
  absl::Status status = Write([&](WriteContext& w) { return RecordRatingAfterWrite(w, rating); });
  if (!status.ok()) rating->recorded = false;
  return status;
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
