// The one way a call's result is logged, for unary and streaming calls alike: the handlers'
// LogCallResult (what went wrong, with the domain's message) and the access line that the
// call observer (call_observer.h) writes for every call.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace torikumi::server {

// `method` names the RPC. Server faults (INTERNAL, UNAVAILABLE, DATA_LOSS, UNKNOWN) are
// logged as errors, since someone has to look; client mistakes and successes only at debug
// level, since a caller's bad request is the caller's to see.
void LogCallResult(absl::string_view method, const absl::Status& status);

// One finished call, as the access log and the call metrics see it.
struct AccessRecord {
  // Who called: empty when the server does not know (no identity configured).
  std::string principal;
  // "torikumi.v1.PlanService/CreatePlan".
  std::string method;
  // The resource the request names (its name, parent or plan field), or empty.
  std::string resource;
  // The gRPC status code's name, "OK", "INVALID_ARGUMENT"…
  std::string code;
  absl::Duration duration;
  // The client's address, "ipv4:127.0.0.1:40312".
  std::string peer;
};

// Writes the access line (info level; health checks at debug, since probes call them every
// few seconds) and counts the call in the metrics: torikumi_grpc_calls_total{method,code}
// and torikumi_grpc_call_seconds{method}.
void LogAccess(const AccessRecord& call);

}  // namespace torikumi::server
