// The change feed of the SQLite store: recording (in a write's transaction), reading one page
// from a cursor, and pruning what is past retention.
#include "services/store/sqlite/change_log.h"

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

// Inserts one event, serialized as `body`, under `seq`.
absl::Status InsertAt(WriteContext& w, int64_t seq, const Scope& scope, v1::ResourceKind kind,
                      absl::string_view body) {
  absl::StatusOr<Statement> insert = w.db.Prepare(
      "INSERT INTO changes (seq, organization, plan, kind, commit_time, body) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(seq)
      .Bind(scope.organization)
      .Bind(scope.plan)
      .Bind(int64_t{kind})
      .Bind(absl::ToUnixMicros(w.now))
      .BindBlob(body);
  if (absl::Status s = insert->Run(); !s.ok()) return s;
  w.last_change = seq;
  return absl::OkStatus();
}

// Takes the next sequence number and inserts the event under it.
absl::Status Insert(WriteContext& w, v1::ChangeEvent event, const Scope& scope) {
  absl::StatusOr<int64_t> seq = TakeSequence(w, 1);
  if (!seq.ok()) return seq.status();
  *event.mutable_commit_time() = ToTimestamp(w.now);
  return InsertAt(w, *seq, scope, event.kind(), event.SerializeAsString());
}

absl::Status Record(WriteContext& w, v1::ChangeEvent event) {
  const Scope scope = ScopeOf(event.name());
  return Insert(w, std::move(event), scope);
}

}  // namespace

absl::Status RecordChange(WriteContext& w, v1::ChangeType type, const v1::Plan& plan) {
  return Record(w, events::PlanWritten(type, plan));
}

absl::Status RecordChange(WriteContext& w, v1::ChangeType type, const v1::Outcome& outcome) {
  return Record(w, events::OutcomeWritten(type, outcome));
}

absl::Status RecordChange(WriteContext& w, const v1::ComputedRating& rating) {
  return Record(w, events::RatingRecorded(rating));
}

absl::Status RecordRatingChanges(WriteContext& w, const std::vector<v1::ComputedRating>& ratings,
                                 const std::vector<std::string>& bodies) {
  if (ratings.empty()) return absl::OkStatus();
  absl::StatusOr<int64_t> first = TakeSequence(w, static_cast<int64_t>(ratings.size()));
  if (!first.ok()) return first.status();
  const google::protobuf::Timestamp commit_time = ToTimestamp(w.now);
  for (size_t i = 0; i < ratings.size(); ++i) {
    const std::string& initiative = ratings[i].initiative();
    if (absl::Status s = InsertAt(w, *first + static_cast<int64_t>(i), ScopeOf(initiative),
                                  v1::RESOURCE_KIND_COMPUTED_RATING,
                                  events::RatingRecordedBytes(initiative, commit_time, bodies[i]));
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
                                   const v1::Initiative& after) {
  for (v1::ChangeEvent& event : events::InitiativeWritten(before, after)) {
    if (absl::Status s = Record(w, std::move(event)); !s.ok()) return s;
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
