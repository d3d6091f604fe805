// Listing the audit log (written by audit_capture.cc), newest first.
#include <limits>

#include "absl/strings/str_cat.h"
#include "services/common/timestamp.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {
namespace {

// " WHERE …" for `query`, with its arguments appended to `arguments`.
std::string WhereClause(const AuditQuery& query, Arguments* arguments) {
  std::string where = " WHERE time_micros >= ? AND time_micros < ?";
  arguments->push_back(query.start_time == absl::InfinitePast()
                           ? std::numeric_limits<int64_t>::min()
                           : absl::ToUnixMicros(query.start_time));
  arguments->push_back(query.end_time == absl::InfiniteFuture()
                           ? std::numeric_limits<int64_t>::max()
                           : absl::ToUnixMicros(query.end_time));
  if (!query.organization.empty()) {
    absl::StrAppend(&where, " AND organization = ?");
    arguments->push_back(query.organization);
  }
  if (!query.principal.empty()) {
    absl::StrAppend(&where, " AND principal = ?");
    arguments->push_back(query.principal);
  }
  if (!query.resource.empty()) {
    // The resource itself or anything below it ('/' sorts just before '0').
    absl::StrAppend(&where, " AND (resource = ? OR (resource > ? AND resource < ?))");
    arguments->push_back(query.resource);
    arguments->push_back(absl::StrCat(query.resource, "/"));
    arguments->push_back(absl::StrCat(query.resource, "0"));
  }
  return where;
}

v1::AuditEvent EventOf(const Statement& row) {
  v1::AuditEvent event;
  event.set_name(absl::StrCat("auditEvents/", row.ColumnInt(0)));
  *event.mutable_time() = ToTimestamp(absl::FromUnixMicros(row.ColumnInt(1)));
  event.set_principal(row.ColumnText(2));
  event.set_method(row.ColumnText(3));
  event.set_resource(row.ColumnText(4));
  event.set_organization(row.ColumnText(5));
  event.set_field_mask(row.ColumnText(6));
  event.set_request_id(row.ColumnText(7));
  event.set_etag_before(row.ColumnText(8));
  event.set_etag_after(row.ColumnText(9));
  return event;
}

// The highest number the log has given: AUTOINCREMENT never hands one out twice, even after
// its row is gone.
absl::StatusOr<int64_t> LastAuditNumber(Connection& db) {
  absl::StatusOr<Statement> last = db.Prepare(
      "SELECT max(coalesce((SELECT max(id) FROM audit_events), 0), "
      "coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'), 0))");
  if (!last.ok()) return last.status();
  absl::StatusOr<bool> row = last->Step();
  if (!row.ok()) return row.status();
  return last->ColumnInt(0);
}

absl::Status InsertAuditEvent(Connection& db, int64_t number, const v1::AuditEvent& event) {
  absl::StatusOr<Statement> insert = db.Prepare(
      "INSERT INTO audit_events (id, time_micros, principal, method, resource, organization, "
      "field_mask, request_id, etag_before, etag_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(number)
      .Bind(absl::ToUnixMicros(FromTimestamp(event.time())))
      .Bind(event.principal())
      .Bind(event.method())
      .Bind(event.resource())
      .Bind(event.organization())
      .Bind(event.field_mask())
      .Bind(event.request_id())
      .Bind(event.etag_before())
      .Bind(event.etag_after());
  return insert->Run();
}

}  // namespace

absl::Status SqliteStore::RestoreAuditEvents(const std::vector<v1::AuditEvent>& events) {
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<int64_t> last = LastAuditNumber(w.db);
    if (!last.ok()) return last.status();
    absl::StatusOr<std::vector<int64_t>> numbers = rules::RestoredAuditNumbers(events, *last);
    if (!numbers.ok()) return numbers.status();
    for (size_t i = 0; i < events.size(); ++i) {
      if (absl::Status s = InsertAuditEvent(w.db, (*numbers)[i], events[i]); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<ListResult<v1::AuditEvent>> SqliteStore::ListAuditEvents(const AuditQuery& query,
                                                                        Page page) {
  if (absl::Status s = CheckPage(page); !s.ok()) return s;
  Arguments arguments;
  const std::string where = WhereClause(query, &arguments);
  ListResult<v1::AuditEvent> result;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<Statement> count =
        db.Prepare(absl::StrCat("SELECT count(*) FROM audit_events", where));
    if (!count.ok()) return count.status();
    BindAll(*count, arguments);
    absl::StatusOr<bool> counted = count->Step();
    if (!counted.ok()) return counted.status();
    result.total = *counted ? count->ColumnInt(0) : 0;
    if (page.limit == 0) return absl::OkStatus();
    absl::StatusOr<Statement> select = db.Prepare(absl::StrCat(
        "SELECT id, time_micros, principal, method, resource, organization, field_mask, "
        "request_id, etag_before, etag_after FROM audit_events",
        where, " ORDER BY id DESC LIMIT ? OFFSET ?"));
    if (!select.ok()) return select.status();
    BindAll(*select, arguments);
    select->Bind(int64_t{page.limit}).Bind(page.offset);
    while (true) {
      absl::StatusOr<bool> row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      result.items.push_back(EventOf(*select));
    }
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace torikumi::store::sqlite
