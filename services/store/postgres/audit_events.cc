// Listing the audit log (written by audit.cc), newest first.
#include <limits>

#include "absl/strings/str_cat.h"
#include "services/common/timestamp.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {
namespace {

// " WHERE …" for `query`, with its arguments appended to `arguments`.
std::string WhereClause(const AuditQuery& query, Arguments* arguments) {
  std::string where = " WHERE time_micros >= $1 AND time_micros < $2";
  arguments->push_back(absl::StrCat(query.start_time == absl::InfinitePast()
                                        ? std::numeric_limits<int64_t>::min()
                                        : absl::ToUnixMicros(query.start_time)));
  arguments->push_back(absl::StrCat(query.end_time == absl::InfiniteFuture()
                                        ? std::numeric_limits<int64_t>::max()
                                        : absl::ToUnixMicros(query.end_time)));
  auto next = [&] { return absl::StrCat("$", arguments->size() + 1); };
  if (!query.organization.empty()) {
    absl::StrAppend(&where, " AND organization = ", next());
    arguments->push_back(query.organization);
  }
  if (!query.principal.empty()) {
    absl::StrAppend(&where, " AND principal = ", next());
    arguments->push_back(query.principal);
  }
  if (!query.resource.empty()) {
    // The resource itself or anything below it ('/' sorts just before '0' in "C" order).
    const std::string n = next();
    absl::StrAppend(&where, " AND (resource = ", n, " OR (resource > ", n,
                    " || '/' AND resource < ", n, " || '0'))");
    arguments->push_back(query.resource);
  }
  return where;
}

v1::AuditEvent EventOf(const pqxx::row& row) {
  v1::AuditEvent event;
  event.set_name(absl::StrCat("auditEvents/", row[0].as<int64_t>()));
  *event.mutable_time() = ToTimestamp(absl::FromUnixMicros(row[1].as<int64_t>()));
  event.set_principal(row[2].as<std::string>());
  event.set_method(row[3].as<std::string>());
  event.set_resource(row[4].as<std::string>());
  event.set_organization(row[5].as<std::string>());
  event.set_field_mask(row[6].as<std::string>());
  event.set_request_id(row[7].as<std::string>());
  event.set_etag_before(row[8].as<std::string>());
  event.set_etag_after(row[9].as<std::string>());
  return event;
}

// The highest number the log has given: the id sequence never hands one out twice, even
// when the transaction that took it rolled back.
int64_t LastAuditNumber(Tx& tx) {
  return tx
      .exec(
          "SELECT greatest((SELECT coalesce(max(id), 0) FROM audit_events), "
          "(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM audit_events_id_seq))")[0][0]
      .as<int64_t>();
}

}  // namespace

absl::Status PostgresStore::RestoreAuditEvents(const std::vector<v1::AuditEvent>& events) {
  return Write([&](WriteContext& w) -> absl::Status {
    // No other writer may take a number between the check and the inserts.
    w.tx.exec("LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE");
    absl::StatusOr<std::vector<int64_t>> numbers =
        rules::RestoredAuditNumbers(events, LastAuditNumber(w.tx));
    if (!numbers.ok()) return numbers.status();
    if (numbers->empty()) return absl::OkStatus();
    for (size_t i = 0; i < events.size(); ++i) {
      const v1::AuditEvent& event = events[i];
      w.tx.exec_params(
          "INSERT INTO audit_events (id, time_micros, principal, method, resource, organization, "
          "field_mask, request_id, etag_before, etag_after) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
          (*numbers)[i], absl::ToUnixMicros(FromTimestamp(event.time())), event.principal(),
          event.method(), event.resource(), event.organization(), event.field_mask(),
          event.request_id(), event.etag_before(), event.etag_after());
    }
    // Events recorded from now on are numbered after the restored ones.
    w.tx.exec_params("SELECT setval('audit_events_id_seq', $1)", numbers->back());
    return absl::OkStatus();
  });
}

absl::StatusOr<ListResult<v1::AuditEvent>> PostgresStore::ListAuditEvents(const AuditQuery& query,
                                                                          Page page) {
  if (absl::Status s = CheckPage(page); !s.ok()) return s;
  Arguments arguments;
  const std::string where = WhereClause(query, &arguments);
  ListResult<v1::AuditEvent> result;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    result.total =
        ExecWith(tx, absl::StrCat("SELECT count(*) FROM audit_events", where), arguments)[0][0]
            .as<int64_t>();
    if (page.limit == 0) return absl::OkStatus();
    Arguments paged = arguments;
    paged.push_back(absl::StrCat(page.limit));
    paged.push_back(absl::StrCat(page.offset));
    pqxx::result rows =
        ExecWith(tx,
                 absl::StrCat("SELECT id, time_micros, principal, method, resource, organization, "
                              "field_mask, request_id, etag_before, etag_after FROM audit_events",
                              where, " ORDER BY id DESC LIMIT $", paged.size() - 1, " OFFSET $",
                              paged.size()),
                 paged);
    for (const pqxx::row& row : rows) result.items.push_back(EventOf(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace torikumi::store::postgres
