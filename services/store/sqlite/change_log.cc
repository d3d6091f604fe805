// The change feed of the SQLite store: recording (in a write's transaction), reading one page
// from a cursor, and pruning what is past retention.
#include "services/store/sqlite/change_log.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/store/change_events.h"
#include "services/store/sqlite/records.h"

namespace torikumi::store::sqlite {
namespace {

using Scope = rules::ChangeScope;
using rules::ScopeOf;

// The change_scopes row of `scope` (migration 12), made on its first change.
absl::StatusOr<int64_t> ScopeId(WriteContext& w, const Scope& scope) {
  absl::StatusOr<Statement> add = w.db.Prepare(
      "INSERT INTO change_scopes (organization, plan) VALUES (?, ?) ON CONFLICT DO NOTHING");
  if (!add.ok()) return add.status();
  add->Bind(scope.organization).Bind(scope.plan);
  if (absl::Status s = add->Run(); !s.ok()) return s;
  absl::StatusOr<Statement> find =
      w.db.Prepare("SELECT id FROM change_scopes WHERE organization = ? AND plan = ?");
  if (!find.ok()) return find.status();
  find->Bind(scope.organization).Bind(scope.plan);
  absl::StatusOr<bool> row = find->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("sqlite: a change scope just written is missing");
  return find->ColumnInt(0);
}

// Takes `n` sequence numbers at once (one write of the counter however many events follow);
// returns the first of them.
absl::StatusOr<int64_t> TakeSequence(WriteContext& w, int64_t n) {
  absl::StatusOr<Statement> next = w.db.Prepare(
      "UPDATE change_log_state SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq");
  if (!next.ok()) return next.status();
  next->Bind(n);
  absl::StatusOr<bool> row = next->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("sqlite: the change_log_state row is missing");
  const int64_t last = next->ColumnInt(0);
  if (absl::Status s = next->Run(); !s.ok()) return s;
  return last - n + 1;
}

// Inserts one event of `kind`, serialized as `body`, under `seq`. With `ref` (the id of the row
// that holds the event's resource, migration 12) `body` leaves out the resource and its name,
// which ReadEvents takes from that row (or from `resource`, where a trigger keeps the row's
// body once the row is overwritten).
absl::Status InsertAt(WriteContext& w, int64_t seq, int64_t scope_id, v1::ResourceKind kind,
                      std::optional<int64_t> ref, absl::string_view body) {
  absl::StatusOr<Statement> insert = w.db.Prepare(
      "INSERT INTO changes (seq, scope, kind, commit_time, ref, body) VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(seq).Bind(scope_id).Bind(int64_t{kind}).Bind(absl::ToUnixMicros(w.now));
  if (ref.has_value()) {
    insert->Bind(*ref);
  } else {
    insert->BindNull();
  }
  insert->BindBlob(body);
  if (absl::Status s = insert->Run(); !s.ok()) return s;
  w.last_change = seq;
  return absl::OkStatus();
}

// Takes the next sequence number and inserts the event under it (see InsertAt for `ref`).
absl::Status Insert(WriteContext& w, v1::ChangeEvent event, const Scope& scope,
                    std::optional<int64_t> ref = std::nullopt) {
  absl::StatusOr<int64_t> seq = TakeSequence(w, 1);
  if (!seq.ok()) return seq.status();
  absl::StatusOr<int64_t> scope_id = ScopeId(w, scope);
  if (!scope_id.ok()) return scope_id.status();
  *event.mutable_commit_time() = ToTimestamp(w.now);
  if (ref.has_value()) {
    event.clear_resource();
    event.clear_name();
  }
  return InsertAt(w, *seq, *scope_id, event.kind(), ref, event.SerializeAsString());
}

absl::Status Record(WriteContext& w, v1::ChangeEvent event,
                    std::optional<int64_t> ref = std::nullopt) {
  const Scope scope = ScopeOf(event.name());
  return Insert(w, std::move(event), scope, ref);
}

}  // namespace

absl::Status RecordChange(WriteContext& w, v1::ChangeType type, const v1::Plan& plan) {
  return Record(w, events::PlanWritten(type, plan));
}

absl::Status RecordChange(WriteContext& w, v1::ChangeType type, const v1::Outcome& outcome,
                          int64_t row_id) {
  return Record(w, events::OutcomeWritten(type, outcome), row_id);
}

absl::Status RecordChange(WriteContext& w, const v1::ComputedRating& rating, int64_t row_id) {
  return Record(w, events::RatingRecorded(rating), row_id);
}

absl::Status RecordRatingChanges(WriteContext& w, const std::vector<v1::ComputedRating>& ratings,
                                 const std::vector<int64_t>& row_ids) {
  if (ratings.empty()) return absl::OkStatus();
  absl::StatusOr<int64_t> first = TakeSequence(w, static_cast<int64_t>(ratings.size()));
  if (!first.ok()) return first.status();
  // Every event refers to its rating's row, so all of them are the same bytes.
  v1::ChangeEvent event;
  event.set_type(v1::CHANGE_TYPE_CREATED);
  event.set_kind(v1::RESOURCE_KIND_COMPUTED_RATING);
  *event.mutable_commit_time() = ToTimestamp(w.now);
  const std::string body = event.SerializeAsString();
  std::optional<Scope> scope;
  int64_t scope_id = 0;
  for (size_t i = 0; i < ratings.size(); ++i) {
    const Scope rating_scope = ScopeOf(ratings[i].initiative());
    if (!scope.has_value() || scope->organization != rating_scope.organization ||
        scope->plan != rating_scope.plan) {
      absl::StatusOr<int64_t> id = ScopeId(w, rating_scope);
      if (!id.ok()) return id.status();
      scope = rating_scope;
      scope_id = *id;
    }
    if (absl::Status s = InsertAt(w, *first + static_cast<int64_t>(i), scope_id,
                                  v1::RESOURCE_KIND_COMPUTED_RATING, row_ids[i], body);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status RecordChange(WriteContext& w, const v1::RuleSet& rule_set) {
  return Record(w, events::RuleSetCreated(rule_set));
}

absl::Status RecordChange(WriteContext& w, v1::ChangeType type, const v1::RatingRound& round) {
  return Record(w, events::RatingRoundWritten(type, round));
}

absl::Status RecordInitiativeWrite(WriteContext& w, const v1::Initiative* before,
                                   const v1::Initiative& after, int64_t row_id) {
  for (v1::ChangeEvent& event : events::InitiativeWritten(before, after)) {
    // The initiative's own event refers to its row; a human rating's keeps its rating.
    const bool whole = event.kind() == v1::RESOURCE_KIND_INITIATIVE;
    std::optional<int64_t> ref = whole ? std::optional<int64_t>(row_id) : std::nullopt;
    if (absl::Status s = Record(w, std::move(event), ref); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status RecordDeletion(WriteContext& w, v1::ResourceKind kind, absl::string_view name) {
  return Record(w, events::Deletion(kind, name));
}

absl::Status SqliteStore::AppendChanges(const std::vector<PlanChange>& changes) {
  if (changes.empty()) return absl::OkStatus();
  return Write([&](WriteContext& w) -> absl::Status {
    for (const PlanChange& change : changes) {
      Scope scope = ScopeOf(change.plan);
      if (absl::Status s = Insert(w, change.event, scope); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

}  // namespace torikumi::store::sqlite
