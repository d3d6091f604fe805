// Recording changes in the PostgreSQL store's feed, and reading it from a cursor.
#include "services/store/postgres/change_log.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {
namespace {

void Insert(WriteContext& w, v1::ChangeEvent event, const rules::ChangeScope& scope) {
  const int64_t seq = w.tx.exec(
                              "UPDATE change_log_state SET last_seq = last_seq + 1 WHERE id = 1 "
                              "RETURNING last_seq")[0][0]
                          .as<int64_t>();
  *event.mutable_commit_time() = ToTimestamp(w.now);
  w.tx.exec_params(
      "INSERT INTO changes (seq, organization, plan, kind, commit_time, body) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      seq, scope.organization, scope.plan, static_cast<int64_t>(event.kind()),
      absl::ToUnixMicros(w.now), Bytes(event));
  w.last_change = seq;
}

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

void ReadEvents(Tx& tx, const ChangeQuery& query, ChangePage& page) {
  std::string sql = "SELECT seq, body FROM changes WHERE seq > $1 AND organization = $2";
  Arguments arguments{absl::StrCat(query.after), query.organization};
  // A plan's watch also sees the organization's own resources (rule sets), which plans use.
  if (!query.plan.empty()) {
    sql += " AND (plan = $3 OR plan = '')";
    arguments.push_back(query.plan);
  }
  if (!query.kinds.empty()) {
    std::vector<std::string> kinds;
    for (v1::ResourceKind kind : query.kinds) kinds.push_back(absl::StrCat(int{kind}));
    // Enum numbers, not caller text: safe to put in the SQL.
    absl::StrAppend(&sql, " AND kind IN (", absl::StrJoin(kinds, ","), ")");
  }
  absl::StrAppend(&sql, " ORDER BY seq LIMIT $", arguments.size() + 1);
  arguments.push_back(absl::StrCat(query.limit));
  for (const pqxx::row& row : ExecWith(tx, sql, arguments)) {
    const int64_t seq = row[0].as<int64_t>();
    v1::ChangeEvent event = ParseBody<v1::ChangeEvent>(row[1], absl::StrCat("change ", seq));
    event.set_cursor(absl::StrCat(seq));
    page.events.push_back(std::move(event));
    page.next = seq;
  }
}

}  // namespace

void RecordChange(WriteContext& w, v1::ChangeEvent event) {
  const rules::ChangeScope scope = rules::ScopeOf(event.name());
  Insert(w, std::move(event), scope);
}

void RecordChanges(WriteContext& w, std::vector<v1::ChangeEvent> events) {
  for (v1::ChangeEvent& event : events) RecordChange(w, std::move(event));
}

FeedState ReadFeedState(Tx& tx) {
  pqxx::row row = tx.exec1("SELECT last_seq, pruned_through FROM change_log_state WHERE id = 1");
  return FeedState{row[0].as<int64_t>(), row[1].as<int64_t>()};
}

absl::Status PostgresStore::AppendChanges(const std::vector<PlanChange>& changes) {
  if (changes.empty()) return absl::OkStatus();
  return Write([&](WriteContext& w) -> absl::Status {
    for (const PlanChange& change : changes) Insert(w, change.event, rules::ScopeOf(change.plan));
    return absl::OkStatus();
  });
}

absl::StatusOr<ChangePage> ListChangesIn(Tx& tx, const ChangeQuery& query) {
  if (query.limit < 1) {
    return absl::InvalidArgumentError(absl::StrCat("change limit ", query.limit, " is not >= 1"));
  }
  ChangePage page;
  const FeedState state = ReadFeedState(tx);
  if (absl::Status s = CheckCursor(query.after, state); !s.ok()) return s;
  ReadEvents(tx, query, page);
  page.full = static_cast<int>(page.events.size()) == query.limit;
  if (!page.full) page.next = state.last_seq;
  return page;
}

absl::StatusOr<ChangePage> PostgresStore::ListChanges(const ChangeQuery& query) {
  ChangePage page;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    absl::StatusOr<ChangePage> read = ListChangesIn(tx, query);
    if (!read.ok()) return read.status();
    page = *std::move(read);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<int64_t> PostgresStore::LastChange() {
  int64_t last = 0;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    last = ReadFeedState(tx).last_seq;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return last;
}

absl::StatusOr<int64_t> PostgresStore::PruneChanges(absl::Time before) {
  int64_t pruned = 0;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    pqxx::row through =
        w.tx.exec_params1("SELECT max(seq), count(*) FROM changes WHERE commit_time < $1",
                          absl::ToUnixMicros(before));
    if (through[0].is_null()) return absl::OkStatus();
    const int64_t last_pruned = through[0].as<int64_t>();
    pruned = through[1].as<int64_t>();
    // By seq, not by time: the clock may step back, the feed's order may not.
    w.tx.exec_params("DELETE FROM changes WHERE seq <= $1", last_pruned);
    w.tx.exec_params(
        "UPDATE change_log_state SET pruned_through = greatest(pruned_through, $1) WHERE id = 1",
        last_pruned);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return pruned;
}

absl::Status PostgresStore::RestartChangesAfter(int64_t seq) {
  return Write([&](WriteContext& w) -> absl::Status {
    w.tx.exec_params(
        "UPDATE change_log_state SET last_seq = greatest(last_seq, $1), "
        "pruned_through = greatest(last_seq, $1) WHERE id = 1",
        seq);
    w.tx.exec0("DELETE FROM changes");
    return absl::OkStatus();
  });
}

}  // namespace torikumi::store::postgres
