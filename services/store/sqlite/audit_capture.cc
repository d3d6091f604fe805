#include "services/store/sqlite/audit_capture.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/store/store_rules.h"
#include "services/store/write_origin.h"

namespace torikumi::store::sqlite {
namespace {

// Tables whose rows are resources with an etag made from `version` (EtagOf:
// "\"v{version}\""), and the SQL of a row's name with `{row}` for NEW or OLD: its `name`
// column, or for outcomes (which keep no name column, migration 12, and their name in the
// body only when the row does not give it, migration 15) the name outcome_name() makes.
// `deleted_alone`, when set, is the condition on OLD under which a deleted row is noted: an
// outcome deleted with its initiative has no name left to note, and needs none (the
// initiative's deletion is the change TopLevelChanges keeps).
struct VersionedTable {
  absl::string_view table;
  absl::string_view name;
  absl::string_view deleted_alone = "";
};
constexpr VersionedTable kVersionedTables[] = {
    {"organizations", "{row}.name"},
    {"plans", "{row}.name"},
    {"initiatives", "{row}.name"},
    {"outcomes",
     "outcome_name({row}.body, (SELECT name FROM initiatives WHERE id = {row}.initiative), "
     "{row}.fiscal_year)",
     "EXISTS (SELECT 1 FROM initiatives WHERE id = OLD.initiative)"},
    {"tokens", "{row}.name"},
    {"rating_rounds", "{row}.name"}};

std::string NameOf(const VersionedTable& table, absl::string_view row) {
  return absl::StrReplaceAll(table.name, {{"{row}", row}});
}

std::string Etag(absl::string_view version_sql) {
  return absl::StrCat("'\"v' || ", version_sql, " || '\"'");
}

// "INSERT INTO audit_notes ..." for one trigger (unqualified: a TEMP trigger finds the
// TEMP table first, and SQLite allows no qualified names in a trigger's writes).
std::string Note(absl::string_view resource, absl::string_view before, absl::string_view after) {
  return absl::StrCat("INSERT INTO audit_notes (resource, etag_before, etag_after) VALUES (",
                      resource, ", ", before, ", ", after, ");");
}

// `when`, if given, is the trigger's WHEN condition.
std::string Trigger(absl::string_view table, absl::string_view event, absl::string_view note,
                    absl::string_view when = "") {
  return absl::StrCat("CREATE TEMP TRIGGER audit_", table, "_", event, " AFTER ", event,
                      " ON main.", table, when.empty() ? "" : absl::StrCat(" WHEN ", when),
                      " BEGIN ", note, " END;\n");
}

std::string CaptureSql() {
  std::string sql =
      "CREATE TEMP TABLE audit_notes (seq INTEGER PRIMARY KEY, resource TEXT NOT NULL, "
      "etag_before TEXT NOT NULL, etag_after TEXT NOT NULL);\n";
  for (const VersionedTable& versioned : kVersionedTables) {
    const absl::string_view table = versioned.table;
    const std::string after = NameOf(versioned, "NEW");
    const std::string before = NameOf(versioned, "OLD");
    absl::StrAppend(&sql, Trigger(table, "INSERT", Note(after, "''", Etag("NEW.version"))));
    // Only a new version is a change of the resource: the store also updates columns it
    // derives (an initiative's area position when its plan's areas move).
    absl::StrAppend(&sql,
                    Trigger(table, "UPDATE", Note(after, Etag("OLD.version"), Etag("NEW.version")),
                            "OLD.version IS NOT NEW.version"));
    absl::StrAppend(&sql, Trigger(table, "DELETE", Note(before, Etag("OLD.version"), "''"),
                                  versioned.deleted_alone));
  }
  // Rule sets: each version is a new immutable row; its "etag" is its version.
  absl::StrAppend(&sql,
                  Trigger("rule_sets", "INSERT", Note("NEW.name", "''", "'@' || NEW.version")));
  // Computed ratings: append-only rows below their initiative.
  absl::StrAppend(&sql, Trigger("computed_ratings", "INSERT",
                                Note("(SELECT name FROM initiatives WHERE id = NEW.initiative)"
                                     " || '/computedRatings/' || NEW.id",
                                     "''", "'#' || NEW.id")));
  return sql;
}

using Change = rules::AuditChange;

absl::StatusOr<std::vector<Change>> ReadNotes(Connection& db) {
  absl::StatusOr<Statement> notes =
      db.Prepare("SELECT resource, etag_before, etag_after FROM temp.audit_notes ORDER BY seq");
  if (!notes.ok()) return notes.status();
  std::vector<Change> changes;
  std::map<std::string, size_t> index;
  while (true) {
    absl::StatusOr<bool> row = notes->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string resource = notes->ColumnText(0);
    auto [it, inserted] = index.emplace(resource, changes.size());
    if (inserted) {
      changes.push_back({std::move(resource), notes->ColumnText(1), notes->ColumnText(2)});
    } else {
      changes[it->second].etag_after = notes->ColumnText(2);
    }
  }
  return changes;
}

}  // namespace

absl::Status InstallAuditCapture(Connection& writer) { return writer.Exec(CaptureSql()); }

absl::Status ClearAuditNotes(Connection& writer) {
  return writer.Run("DELETE FROM temp.audit_notes");
}

absl::Status RecordAuditEvents(WriteContext& w, const WriteOrigin* origin) {
  absl::StatusOr<std::vector<Change>> changes = ReadNotes(w.db);
  if (!changes.ok()) return changes.status();
  if (changes->empty()) return absl::OkStatus();
  static const WriteOrigin* const kSystem = new WriteOrigin{.principal = kSystemPrincipal};
  if (origin == nullptr) origin = kSystem;
  for (const Change& change : rules::TopLevelChanges(*changes)) {
    absl::StatusOr<Statement> insert = w.db.Prepare(
        "INSERT INTO audit_events (time_micros, principal, method, resource, organization, "
        "field_mask, request_id, etag_before, etag_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert.ok()) return insert.status();
    insert->Bind(absl::ToUnixMicros(w.now))
        .Bind(origin->principal)
        .Bind(origin->method)
        .Bind(change.resource)
        .Bind(rules::OrganizationOf(change.resource))
        .Bind(origin->field_mask)
        .Bind(origin->request_id)
        .Bind(change.etag_before)
        .Bind(change.etag_after);
    if (absl::Status s = insert->Run(); !s.ok()) return s;
  }
  return ClearAuditNotes(w.db);
}

}  // namespace torikumi::store::sqlite
