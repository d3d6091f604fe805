#include "services/store/postgres/audit.h"

#include <map>
#include <string>
#include <vector>

#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {
namespace {

// The notes of this transaction, one per resource (first etag before, last etag after).
std::vector<rules::AuditChange> ReadNotes(Tx& tx) {
  pqxx::result rows = tx.exec(
      "SELECT resource, etag_before, etag_after FROM audit_notes "
      "WHERE txid = txid_current() ORDER BY seq");
  std::vector<rules::AuditChange> changes;
  std::map<std::string, size_t> index;
  for (const pqxx::row& row : rows) {
    std::string resource = row[0].as<std::string>();
    auto [it, inserted] = index.emplace(resource, changes.size());
    if (inserted) {
      changes.push_back({std::move(resource), row[1].as<std::string>(), row[2].as<std::string>()});
    } else {
      changes[it->second].etag_after = row[2].as<std::string>();
    }
  }
  return changes;
}

}  // namespace

void RecordAuditEvents(WriteContext& w, const WriteOrigin* origin) {
  std::vector<rules::AuditChange> changes = ReadNotes(w.tx);
  if (changes.empty()) return;
  static const WriteOrigin* const kSystem = new WriteOrigin{.principal = kSystemPrincipal};
  if (origin == nullptr) origin = kSystem;
  for (const rules::AuditChange& change : rules::TopLevelChanges(changes)) {
    w.tx.exec_params(
        "INSERT INTO audit_events (time_micros, principal, method, resource, organization, "
        "field_mask, request_id, etag_before, etag_after) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        absl::ToUnixMicros(w.now), origin->principal, origin->method, change.resource,
        rules::OrganizationOf(change.resource), origin->field_mask, origin->request_id,
        change.etag_before, change.etag_after);
  }
  w.tx.exec("DELETE FROM audit_notes WHERE txid = txid_current()");
}

}  // namespace torikumi::store::postgres
