// Computed ratings in the SQLite store: an append-only history per initiative.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {

namespace {

// The row of one computed rating (`body` is the rating serialized), without its change-feed
// event. NOT_FOUND naming the initiative when it is missing; its id is looked up once, by the
// insert itself.
absl::Status InsertRatingRow(WriteContext& w, const v1::ComputedRating& rating,
                             absl::string_view body) {
  absl::StatusOr<Statement> insert = w.db.Prepare(
      "INSERT INTO computed_ratings (initiative, record_time, body) "
      "SELECT id, ?, ? FROM initiatives WHERE name = ?");
  if (!insert.ok()) return insert.status();
  insert->Bind(absl::ToUnixMicros(w.now)).BindBlob(body).Bind(rating.initiative());
  if (absl::Status s = insert->Run(); !s.ok()) return s;
  if (w.db.ChangedRows() == 0)
    return absl::NotFoundError(absl::StrCat("initiative '", rating.initiative(), "' not found"));
  return absl::OkStatus();
}

}  // namespace

absl::Status InsertRating(WriteContext& w, const v1::ComputedRating& rating) {
  if (absl::Status s = InsertRatingRow(w, rating, rating.SerializeAsString()); !s.ok()) return s;
  return RecordChange(w, rating);
}

absl::Status SqliteStore::RecordRatings(const std::vector<v1::ComputedRating>& ratings) {
  for (size_t i = 0; i < ratings.size(); ++i) {
    absl::StatusOr<InitiativeName> parsed =
        ParseInitiativeName(ratings[i].initiative(), absl::StrCat("ratings[", i, "].initiative"));
    if (!parsed.ok()) return parsed.status();
  }
  // Each rating is serialized once, for its row and its change-feed event; the events take
  // their sequence numbers together.
  std::vector<std::string> bodies;
  bodies.reserve(ratings.size());
  for (const v1::ComputedRating& rating : ratings) bodies.push_back(rating.SerializeAsString());
  return Write([&](WriteContext& w) -> absl::Status {
    for (size_t i = 0; i < ratings.size(); ++i) {
      if (absl::Status s = InsertRatingRow(w, ratings[i], bodies[i]); !s.ok()) return ForItem(s, i);
    }
    return RecordRatingChanges(w, ratings, bodies);
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
