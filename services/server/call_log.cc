#include "services/server/call_log.h"

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "services/common/log.h"
#include "services/common/metrics.h"

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

namespace torikumi::server {

void LogAccess(const AccessRecord& call) {
  metrics::Counter("torikumi_grpc_calls_total", "gRPC calls finished, by method and status code.")
      .Add({{"method", call.method}, {"code", call.code}});
  metrics::Histogram("torikumi_grpc_call_seconds", "Time from a call's start to its status.")
      .ObserveDuration({{"method", call.method}}, call.duration);
  const log::Level level =
      absl::StartsWith(call.method, "grpc.health.") ? log::Level::kDebug : log::Level::kInfo;
  if (!log::Enabled(level)) return;
  log::Write(level, "call",
             {{"principal", call.principal.empty() ? "-" : call.principal},
              {"method", call.method},
              {"resource", call.resource.empty() ? "-" : call.resource},
              {"code", call.code},
              {"duration_ms", absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(call.duration))},
              {"peer", call.peer}});
}

}  // namespace torikumi::server
