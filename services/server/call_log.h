// The one way a call's result is logged, for unary and streaming calls alike.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace torikumi::server {

// `method` names the RPC. Server faults (INTERNAL, UNAVAILABLE, DATA_LOSS, UNKNOWN) are
// logged as errors, since someone has to look; client mistakes and successes only at debug
// level, since a caller's bad request is the caller's to see.
void LogCallResult(absl::string_view method, const absl::Status& status);

}  // namespace torikumi::server
