// The audit log, read side: ListAuditEvents checked and paged.
#pragma once

#include "absl/status/statusor.h"
#include "services/store/store.h"
#include "torikumi/v1/audit_service.pb.h"

namespace torikumi::domain {

class AuditEvents {
 public:
  explicit AuditEvents(store::Store& store) : store_(store) {}

  absl::StatusOr<v1::ListAuditEventsResponse> List(const v1::ListAuditEventsRequest& request);

 private:
  store::Store& store_;
};

}  // namespace torikumi::domain
