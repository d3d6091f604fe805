// How the CLI reports a failed call: one "error: CODE: message" line, then the fields the
// server named in its google.rpc.BadRequest details, so people can fix the right flag.
#pragma once

#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace torikumi::cli {

// "INVALID_ARGUMENT", "NOT_FOUND", …
std::string StatusCodeName(grpc::StatusCode code);

// Writes, for a non-OK status:
//   error: INVALID_ARGUMENT: <message>
//     field initiative.number: must be positive
// UNAVAILABLE and DEADLINE_EXCEEDED also name `server`, the address the CLI called, since
// they usually mean nothing answers there. Details that are not google.rpc.Status, or
// that cannot be parsed, are ignored: the message line is always printed.
void PrintStatus(const grpc::Status& status, absl::string_view server, std::ostream& err);

}  // namespace torikumi::cli
