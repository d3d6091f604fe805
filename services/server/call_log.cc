#include "services/server/call_log.h"

#include "services/common/log.h"

namespace torikumi::server {

void LogCallResult(absl::string_view method, const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnknown:
      log::Error(method, " failed: ", absl::StatusCodeToString(status.code()), ": ",
                 status.message());
      break;
    default:
      log::Debug(method, " -> ", absl::StatusCodeToString(status.code()), status.ok() ? "" : ": ",
                 status.message());
  }
}

}  // namespace torikumi::server
