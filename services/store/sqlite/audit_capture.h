// The audit log's capture: per-connection TEMP triggers note every row a write transaction
// inserts, updates or deletes in the resource tables (with the version before and after),
// and at the end of each write (inside its savepoint, sqlite_store.cc) turns those notes into
// audit_events rows stamped with the writer's WriteOrigin (write_origin.h). So no store method has
// to remember to audit, and the record commits or rolls back with the write.
#pragma once

#include "absl/status/status.h"
#include "services/store/sqlite/connection.h"
#include "services/store/sqlite/sqlite_store_impl.h"
#include "services/store/write_origin.h"

namespace torikumi::store::sqlite {

// Creates the TEMP table and triggers on the writer connection (after the migrations).
absl::Status InstallAuditCapture(Connection& writer);

// Forgets notes a failed transaction may have left (the TEMP table is transactional, so a
// rollback normally does it already).
absl::Status ClearAuditNotes(Connection& writer);

// Writes one audit_events row per resource the write changed, stamped with `origin` (the
// principal "system" when null): a resource changed
// twice is one row (first etag before, last etag after); rows below a resource the same
// transaction created or deleted are left out (a forced delete or an import is one event).
absl::Status RecordAuditEvents(WriteContext& w, const WriteOrigin* origin);

}  // namespace torikumi::store::sqlite
