// The one place where absl::Status becomes grpc::Status.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace torikumi::server {

// Same code and message. Errors also carry grpc-status-details-bin: a serialized
// google.rpc.Status whose details hold the google.rpc.BadRequest (as a google.protobuf.Any)
// when the absl status has one, so clients can read which field was wrong and why, followed
// by the same violations as a google.protobuf.Struct for clients that cannot decode a
// BadRequest (see grpc_status.cc).
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace torikumi::server
