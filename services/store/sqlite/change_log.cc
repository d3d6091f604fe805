// The change feed of the SQLite store: recording (in a write's transaction), reading one page
// from a cursor, and pruning what is past retention.
#include "services/store/sqlite/change_log.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/store/sqlite/records.h"

namespace torikumi::store::sqlite {
namespace {

// "organizations/{o}" and, for names below a plan, "organizations/{o}/plans/{p}".
struct Scope {
  std::string organization;
  std::string plan;
};

Scope ScopeOf(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  Scope scope;
  if (parts.size() >= 2) scope.organization = absl::StrCat(parts[0], "/", parts[1]);
  if (parts.size() >= 4 && parts[2] == "plans") {
    scope.plan = absl::StrCat(scope.organization, "/", parts[2], "/", parts[3]);
  }
  return scope;
}

// Takes the next sequence number and inserts the event under it.
absl::Status Insert(WriteContext& w, v1::ChangeEvent event, const Scope& scope) {
  absl::StatusOr<Statement> next = w.db.Prepare(
      "UPDATE change_log_state SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq");
  if (!next.ok()) return next.status();
  absl::StatusOr<bool> row = next->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("sqlite: the change_log_state row is missing");
  const int64_t seq = next->ColumnInt(0);
  if (absl::Status s = next->Run(); !s.ok()) return s;
  *event.mutable_commit_time() = ToTimestamp(w.now);
  absl::StatusOr<Statement> insert = w.db.Prepare(
      "INSERT INTO changes (seq, organization, plan, kind, commit_time, body) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(seq)
      .Bind(scope.organization)
      .Bind(scope.plan)
      .Bind(int64_t{event.kind()})
      .Bind(absl::ToUnixMicros(w.now))
      .BindBlob(event.SerializeAsString());
  if (absl::Status s = insert->Run(); !s.ok()) return s;
  w.last_change = seq;
  return absl::OkStatus();
}

v1::ChangeEvent Event(v1::ChangeType type, v1::ResourceKind kind, absl::string_view name) {
  v1::ChangeEvent event;
  event.set_type(type);
  event.set_kind(kind);
  event.set_name(std::string(name));
  return event;
}

absl::Status Record(WriteContext& w, v1::ChangeEvent event) {
  const Scope scope = ScopeOf(event.name());
  return Insert(w, std::move(event), scope);
}

absl::Status RecordHumanRating(WriteContext& w, const v1::Initiative* before,
                               const v1::Initiative& after) {
  const bool had = before != nullptr && before->has_human_rating();
  const bool has = after.has_human_rating();
  if (!had && !has) return absl::OkStatus();
  if (had && has &&
      google::protobuf::util::MessageDifferencer::Equals(before->human_rating(),
                                                         after.human_rating())) {
    return absl::OkStatus();
  }
  const v1::ChangeType type = !had   ? v1::CHANGE_TYPE_CREATED
                              : !has ? v1::CHANGE_TYPE_DELETED
                                     : v1::CHANGE_TYPE_UPDATED;
  v1::ChangeEvent event = Event(type, v1::RESOURCE_KIND_HUMAN_RATING, after.name());
  if (has) *event.mutable_human_rating() = after.human_rating();
  return Record(w, std::move(event));
}

}  // namespace

absl::Status RecordChange(WriteContext& w, v1::ChangeType type, const v1::Plan& plan) {
  v1::ChangeEvent event = Event(type, v1::RESOURCE_KIND_PLAN, plan.name());
  *event.mutable_plan() = plan;
  return Record(w, std::move(event));
}

absl::Status RecordChange(WriteContext& w, v1::ChangeType type, const v1::Outcome& outcome) {
  v1::ChangeEvent event = Event(type, v1::RESOURCE_KIND_OUTCOME, outcome.name());
  *event.mutable_outcome() = outcome;
  return Record(w, std::move(event));
}

absl::Status RecordChange(WriteContext& w, const v1::ComputedRating& rating) {
  v1::ChangeEvent event =
      Event(v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_COMPUTED_RATING, rating.initiative());
  *event.mutable_computed_rating() = rating;
  return Record(w, std::move(event));
}

absl::Status RecordChange(WriteContext& w, const v1::RuleSet& rule_set) {
  v1::ChangeEvent event =
      Event(v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_RULE_SET, rule_set.name());
  *event.mutable_rule_set() = rule_set;
  return Record(w, std::move(event));
}

absl::Status RecordInitiativeWrite(WriteContext& w, const v1::Initiative* before,
                                   const v1::Initiative& after) {
  v1::ChangeEvent event =
      Event(before == nullptr ? v1::CHANGE_TYPE_CREATED : v1::CHANGE_TYPE_UPDATED,
            v1::RESOURCE_KIND_INITIATIVE, after.name());
  *event.mutable_initiative() = after;
  if (absl::Status s = Record(w, std::move(event)); !s.ok()) return s;
  return RecordHumanRating(w, before, after);
}

absl::Status RecordDeletion(WriteContext& w, v1::ResourceKind kind, absl::string_view name) {
  return Record(w, Event(v1::CHANGE_TYPE_DELETED, kind, name));
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
