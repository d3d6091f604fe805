// gRPC errors as HTTP answers: the HTTP status Google's mapping gives each code
// (google/rpc/code.proto) and the error as google.rpc.Status JSON, details included.
#pragma once

#include <grpcpp/support/status.h>

#include <string>

namespace torikumi::server::http {

// 400 for INVALID_ARGUMENT, FAILED_PRECONDITION and OUT_OF_RANGE, 404 for NOT_FOUND, 409 for
// ALREADY_EXISTS and ABORTED, 401, 403, 429, 499 (CANCELLED), 501, 503, 504, else 500.
int HttpStatusOf(grpc::StatusCode code);

// {"code": 3, "message": "…", "details": [{"@type": "type.googleapis.com/google.rpc.BadRequest",
// "fieldViolations": [...]}, ...]}: the google.rpc.Status the server sent in
// grpc-status-details-bin, or one with the code and message alone when it sent none.
std::string StatusJson(const grpc::Status& status);

}  // namespace torikumi::server::http
