#include "services/domain/audit_events.h"

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/common/timestamp.h"
#include "services/domain/page_token.h"

namespace torikumi::domain {

absl::StatusOr<v1::ListAuditEventsResponse> AuditEvents::List(
    const v1::ListAuditEventsRequest& request) {
  store::AuditQuery query{.organization = request.parent(),
                          .resource = request.resource(),
                          .principal = request.principal()};
  if (!request.parent().empty()) {
    if (auto id = ParseOrganizationName(request.parent(), "parent"); !id.ok()) return id.status();
  }
  if (request.has_start_time()) query.start_time = FromTimestamp(request.start_time());
  if (request.has_end_time()) query.end_time = FromTimestamp(request.end_time());
  // The token fingerprints every filter, so a token works only for the listing it came from.
  const std::string fingerprint = absl::StrCat(
      "auditEvents\n", query.organization, "\n", query.resource, "\n", query.principal, "\n",
      absl::FormatTime(query.start_time), "\n", absl::FormatTime(query.end_time));
  absl::StatusOr<store::Page> page =
      PageFromRequest(request.page_size(), request.page_token(), fingerprint);
  if (!page.ok()) return page.status();
  absl::StatusOr<store::ListResult<v1::AuditEvent>> result = store_.ListAuditEvents(query, *page);
  if (!result.ok()) return result.status();
  v1::ListAuditEventsResponse response;
  for (v1::AuditEvent& event : result->items) *response.add_audit_events() = std::move(event);
  response.set_next_page_token(
      NextPageToken(*page, response.audit_events_size(), result->total, fingerprint));
  response.set_total_size(TotalSize(result->total));
  return response;
}

}  // namespace torikumi::domain
