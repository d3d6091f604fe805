// Finishes a callback-API unary call with a domain result. Every handler goes through here,
// so the handlers stay one line each and log the same way.
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <type_traits>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/server/auth/gate.h"
#include "services/server/call_log.h"
#include "services/server/grpc_status.h"

namespace torikumi::server {

// Logs the result, hands the response to gRPC and finishes the call on `reactor`. Nothing
// may touch the call after this (ServeUnaryOffThread's work included).
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

// Admits the call (auth/gate.h: UNAUTHENTICATED or PERMISSION_DENIED before any work), then
// runs `compute` — which may take the caller's `const auth::Principal&` — with the caller as
// the write origin of the audit log, and finishes the call with its result. Work moved off
// this thread must take the WriteOrigin scope with it.
template <typename Request, typename Response, typename Compute>
grpc::ServerUnaryReactor* ServeUnary(const auth::Gate& gate, grpc::CallbackServerContext* context,
                                     absl::string_view method, const Request& request,
                                     Response* response, Compute compute) {
  absl::StatusOr<auth::Admission> admitted = gate.Admit(*context, request);
  if (!admitted.ok()) {
    return FinishUnary(context, method, absl::StatusOr<Response>(admitted.status()), response);
  }
  store::ScopedWriteOrigin origin(admitted->origin);
  if constexpr (std::is_invocable_v<Compute, const auth::Principal&>) {
    return FinishUnary(context, method, absl::StatusOr<Response>(compute(admitted->principal)),
                       response);
  } else {
    return FinishUnary(context, method, absl::StatusOr<Response>(compute()), response);
  }
}

}  // namespace torikumi::server
