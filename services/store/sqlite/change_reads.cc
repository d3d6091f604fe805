// Reading the change feed of the SQLite store from a cursor, and pruning it.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/outcome_functions.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"
#include "services/store/sqlite/stored_body.h"
#include "services/store/sqlite/stored_rating.h"

namespace torikumi::store::sqlite {

absl::StatusOr<FeedState> ReadFeedState(Connection& db) {
  absl::StatusOr<Statement> query =
      db.Prepare("SELECT last_seq, pruned_through FROM change_log_state WHERE id = 1");
  if (!query.ok()) return query.status();
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("sqlite: the change_log_state row is missing");
  return FeedState{query->ColumnInt(0), query->ColumnInt(1)};
}

namespace {

// The cursor must lie within what the feed still holds.
absl::Status CheckCursor(int64_t after, const FeedState& state) {
  if (after < state.pruned_through) {
    return absl::FailedPreconditionError(
        absl::StrCat("cursor ", after, " is older than the change feed keeps (changes up to ",
                     state.pruned_through,
                     " were pruned): list the resources again, then watch from the "
                     "cursor a new watch starts with"));
  }
  if (after < 0 || after > state.last_seq) {
    return absl::InvalidArgumentError(
        absl::StrCat("cursor ", after, " is not a cursor of this change feed (the newest is ",
                     state.last_seq, ")"));
  }
  return absl::OkStatus();
}

// The resource of a change that refers to its row (migration 12): the copy a trigger kept
// when the row was overwritten, else the row's body as it is.
const std::string& ResourceSql() {
  static const std::string* const kSql = new std::string(absl::StrCat(
      "coalesce(c.resource, CASE c.kind"
      " WHEN 2 THEN (SELECT initiative_body(body, name, version) FROM initiatives"
      " WHERE id = c.ref)"
      " WHEN 3 THEN (SELECT ",
      kOutcomeBodySql,
      " FROM outcomes o JOIN initiatives i ON i.id = o.initiative WHERE o.id = c.ref)"
      " WHEN 5 THEN (SELECT ",
      kRatingBodySql,
      " FROM computed_ratings r JOIN initiatives i ON i.id = r.initiative WHERE r.id = c.ref)"
      " END)"));
  return *kSql;
}

std::string SelectSql(const ChangeQuery& query) {
  std::string sql =
      absl::StrCat("SELECT c.seq, c.body, c.ref IS NOT NULL, ", ResourceSql(),
                   " FROM changes c WHERE c.seq > ? AND c.scope IN (SELECT id FROM change_scopes"
                   " WHERE organization = ?");
  // A plan's watch also sees the organization's own resources (rule sets), which plans use.
  if (!query.plan.empty()) sql += " AND plan IN (?, '')";
  sql += ")";
  if (!query.kinds.empty()) {
    std::vector<std::string> kinds;
    for (v1::ResourceKind kind : query.kinds) kinds.push_back(absl::StrCat(int{kind}));
    // Enum numbers, not caller text: safe to put in the SQL.
    absl::StrAppend(&sql, " AND c.kind IN (", absl::StrJoin(kinds, ","), ")");
  }
  return sql + " ORDER BY c.seq LIMIT ?";
}

// Puts the resource a change refers to back into its event, with the name it was stored
// without.
absl::Status AttachResource(absl::string_view bytes, int64_t seq, v1::ChangeEvent& event) {
  const std::string what = absl::StrCat("the resource of change ", seq);
  switch (event.kind()) {
    case v1::RESOURCE_KIND_INITIATIVE: {
      absl::StatusOr<v1::Initiative> resource = ParseBody<v1::Initiative>(bytes, what);
      if (!resource.ok()) return resource.status();
      event.set_name(resource->name());
      *event.mutable_initiative() = *std::move(resource);
      return absl::OkStatus();
    }
    case v1::RESOURCE_KIND_OUTCOME: {
      absl::StatusOr<v1::Outcome> resource = ParseBody<v1::Outcome>(bytes, what);
      if (!resource.ok()) return resource.status();
      event.set_name(resource->name());
      *event.mutable_outcome() = *std::move(resource);
      return absl::OkStatus();
    }
    case v1::RESOURCE_KIND_COMPUTED_RATING: {
      absl::StatusOr<v1::ComputedRating> resource = ParseBody<v1::ComputedRating>(bytes, what);
      if (!resource.ok()) return resource.status();
      event.set_name(resource->initiative());
      *event.mutable_computed_rating() = *std::move(resource);
      return absl::OkStatus();
    }
    default:
      return absl::InternalError(
          absl::StrCat("change ", seq, " refers to a row of kind ", int{event.kind()},
                       ", which keeps no rows for changes; the database is damaged"));
  }
}

absl::Status ReadEvents(Connection& db, const ChangeQuery& query, ChangePage& page) {
  absl::StatusOr<Statement> rows = db.Prepare(SelectSql(query));
  if (!rows.ok()) return rows.status();
  rows->Bind(query.after).Bind(query.organization);
  if (!query.plan.empty()) rows->Bind(query.plan);
  rows->Bind(int64_t{query.limit});
  while (true) {
    absl::StatusOr<bool> row = rows->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    const int64_t seq = rows->ColumnInt(0);
    absl::StatusOr<v1::ChangeEvent> event =
        ParseBody<v1::ChangeEvent>(rows->ColumnBlob(1), absl::StrCat("change ", seq));
    if (!event.ok()) return event.status();
    if (rows->ColumnInt(2) != 0) {
      if (rows->ColumnIsNull(3)) {
        return absl::InternalError(
            absl::StrCat("change ", seq, " refers to a row that is gone; the database is damaged"));
      }
      if (absl::Status s = AttachResource(rows->ColumnBlob(3), seq, *event); !s.ok()) return s;
    }
    event->set_cursor(absl::StrCat(seq));
    page.events.push_back(*std::move(event));
    page.next = seq;
  }
}

}  // namespace

absl::StatusOr<ChangePage> ListChangesIn(Connection& db, const ChangeQuery& query) {
  if (query.limit < 1) {
    return absl::InvalidArgumentError(absl::StrCat("change limit ", query.limit, " is not >= 1"));
  }
  ChangePage page;
  absl::StatusOr<FeedState> state = ReadFeedState(db);
  if (!state.ok()) return state.status();
  if (absl::Status s = CheckCursor(query.after, *state); !s.ok()) return s;
  if (absl::Status s = ReadEvents(db, query, page); !s.ok()) return s;
  page.full = static_cast<int>(page.events.size()) == query.limit;
  if (!page.full) page.next = state->last_seq;
  return page;
}

absl::StatusOr<ChangePage> SqliteStore::ListChanges(const ChangeQuery& query) {
  ChangePage page;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<ChangePage> read = ListChangesIn(db, query);
    if (!read.ok()) return read.status();
    page = *std::move(read);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<int64_t> SqliteStore::LastChange() {
  int64_t last = 0;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<FeedState> state = ReadFeedState(db);
    if (!state.ok()) return state.status();
    last = state->last_seq;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return last;
}

absl::StatusOr<int64_t> SqliteStore::PruneChanges(absl::Time before) {
  int64_t pruned = 0;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    int64_t last_pruned = 0;
    {
      // The changes before the first one committed at `before` or later: SQLite finds that
      // one by walking the feed in seq order from its start (min over the primary key), so
      // pruning reads what it removes and one row more, without an index on the time.
      absl::StatusOr<Statement> through = w.db.Prepare(
          "SELECT max(seq), count(*) FROM changes WHERE seq < coalesce((SELECT min(seq) FROM "
          "changes WHERE commit_time >= ?), 9223372036854775807)");
      if (!through.ok()) return through.status();
      through->Bind(absl::ToUnixMicros(before));
      if (absl::StatusOr<bool> row = through->Step(); !row.ok()) return row.status();
      if (through->ColumnIsNull(0)) return absl::OkStatus();
      last_pruned = through->ColumnInt(0);
      pruned = through->ColumnInt(1);
    }
    // By seq, not by time: the clock may step back, the feed's order may not.
    absl::StatusOr<Statement> remove = w.db.Prepare("DELETE FROM changes WHERE seq <= ?");
    if (!remove.ok()) return remove.status();
    remove->Bind(last_pruned);
    if (absl::Status s = remove->Run(); !s.ok()) return s;
    absl::StatusOr<Statement> mark =
        w.db.Prepare("UPDATE change_log_state SET pruned_through = max(pruned_through, ?)");
    if (!mark.ok()) return mark.status();
    mark->Bind(last_pruned);
    return mark->Run();
  });
  if (!status.ok()) return status;
  return pruned;
}

absl::Status SqliteStore::RestartChangesAfter(int64_t seq) {
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<Statement> restart = w.db.Prepare(
        "UPDATE change_log_state SET last_seq = max(last_seq, ?1), "
        "pruned_through = max(last_seq, ?1) WHERE id = 1");
    if (!restart.ok()) return restart.status();
    restart->Bind(seq);
    if (absl::Status s = restart->Run(); !s.ok()) return s;
    absl::StatusOr<Statement> remove = w.db.Prepare("DELETE FROM changes");
    if (!remove.ok()) return remove.status();
    return remove->Run();
  });
}

}  // namespace torikumi::store::sqlite
