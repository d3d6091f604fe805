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

// Logs the result, hands the response to gRPC and finishes the call on `reactor`. Nothing
// may touch the call after this (RunUnaryOffThread's work included).
template <typename Response>
void CompleteUnary(grpc::ServerUnaryReactor* reactor, absl::string_view method,
                   absl::StatusOr<Response> result, Response* response) {
  const absl::Status& status = result.status();
  LogCallResult(method, status);
  if (result.ok()) *response = *std::move(result);
  reactor->Finish(ToGrpcStatus(status));
}

// `method` names the RPC in the log (see LogCallResult).
template <typename Response>
grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      absl::string_view method, absl::StatusOr<Response> result,
                                      Response* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  CompleteUnary(reactor, method, std::move(result), response);
  return reactor;
}

}  // namespace torikumi::server
