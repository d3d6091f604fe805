// The audit log's capture in the PostgreSQL store: row triggers (migrations.cc) note every
// resource row a write transaction inserts, updates or deletes, and at the end of each write
// (inside its transaction, postgres_store.cc) the notes become audit_events rows stamped
// with the writer's WriteOrigin. So no store method has to remember to audit, and the
// record commits or rolls back with the write.
#pragma once

#include "services/store/postgres/postgres_store_impl.h"
#include "services/store/write_origin.h"

namespace torikumi::store::postgres {

// Writes one audit_events row per resource the write changed, stamped with `origin` (the
// principal "system" when null), as rules::TopLevelChanges keeps them; clears the notes.
void RecordAuditEvents(WriteContext& w, const WriteOrigin* origin);

}  // namespace torikumi::store::postgres
