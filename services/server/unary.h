// Finishes a callback-API unary call with a domain result. Every handler goes through here,
// so the handlers stay one line each and log the same way.
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/server/call_log.h"
#include "services/server/grpc_status.h"

namespace torikumi::server {

// `method` names the RPC in the log (see LogCallResult).
template <typename Response>
grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      absl::string_view method, absl::StatusOr<Response> result,
                                      Response* response) {
  const absl::Status& status = result.status();
  LogCallResult(method, status);
  if (result.ok()) *response = *std::move(result);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace torikumi::server
