// Finishes a callback-API unary call with a domain result. Every handler goes through here,
// so the handlers stay one line each and log the same way.
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/log.h"
#include "services/server/grpc_status.h"

namespace torikumi::server {

// `method` names the RPC in the log. Server faults (INTERNAL, UNAVAILABLE, DATA_LOSS, UNKNOWN)
// are logged as errors; client mistakes only at debug level.
template <typename Response>
grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      absl::string_view method, absl::StatusOr<Response> result,
                                      Response* response) {
  const absl::Status& status = result.status();
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
  if (result.ok()) *response = *std::move(result);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace torikumi::server
