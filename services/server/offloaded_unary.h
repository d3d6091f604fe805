// A unary call whose work can block (a whole-plan evaluation, a plugin reload): the work runs
// on the server's BoundedExecutor, never on the gRPC callback thread, and gets a CancelToken
// that says when the caller has cancelled or its deadline has passed. A full executor answers
// RESOURCE_EXHAUSTED at once.
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/bounded_executor.h"
#include "services/domain/cancellation.h"
#include "services/server/unary.h"

namespace torikumi::server {

// The domain's view of whether `context`'s caller still waits for the answer.
inline domain::CancelToken CancelTokenOf(grpc::CallbackServerContext* context) {
  return domain::CancelToken([context] { return context->IsCancelled(); },
                             absl::FromChrono(context->deadline()));
}

// `work(token)` returns the call's result; `method` names the RPC in the log.
template <typename Response, typename Work>
grpc::ServerUnaryReactor* RunUnaryOffThread(grpc::CallbackServerContext* context,
                                            BoundedExecutor& executor, absl::string_view method,
                                            Work work, Response* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status queued = executor.TrySubmit(
      [context, reactor, method = std::string(method), work = std::move(work), response]() {
        CompleteUnary(reactor, method, absl::StatusOr<Response>(work(CancelTokenOf(context))),
                      response);
      });
  if (!queued.ok()) CompleteUnary(reactor, method, absl::StatusOr<Response>(queued), response);
  return reactor;
}

}  // namespace torikumi::server
