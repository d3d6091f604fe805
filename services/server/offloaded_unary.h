// A unary call whose work can block (a whole-plan evaluation, a plugin reload): the work runs
// on the server's BoundedExecutor, never on the gRPC callback thread, and gets a CancelToken
// that says when the caller has cancelled or its deadline has passed. A full executor answers
// RESOURCE_EXHAUSTED at once.
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <string>
#include <utility>

#include "absl/functional/any_invocable.h"
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

// Admits the call (auth/gate.h) on the gRPC thread, then runs `work(token, done)` on the
// executor with the caller as the write origin of the audit log; the result `work` hands to
// `done` (once, from any thread, maybe after `work` has returned) finishes the call. So work
// that waits for something else (a write for its group commit) holds no executor thread
// meanwhile. `method` names the RPC in the log.
template <typename Request, typename Response, typename Work>
grpc::ServerUnaryReactor* ServeUnaryOffThreadThen(const auth::Gate& gate,
                                                  grpc::CallbackServerContext* context,
                                                  BoundedExecutor& executor,
                                                  absl::string_view method, const Request& request,
                                                  Response* response, Work work) {
  absl::StatusOr<auth::Admission> admitted = gate.Admit(*context, request);
  if (!admitted.ok()) {
    return FinishUnary(context, method, absl::StatusOr<Response>(admitted.status()), response);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status queued = executor.TrySubmit([context, reactor, method = std::string(method),
                                            work = std::move(work), response,
                                            origin = admitted->origin]() mutable {
    store::ScopedWriteOrigin scope(origin);
    work(CancelTokenOf(context), absl::AnyInvocable<void(absl::StatusOr<Response>)>(
                                     [reactor, method, response](absl::StatusOr<Response> result) {
                                       CompleteUnary(reactor, method, std::move(result), response);
                                     }));
  });
  if (!queued.ok()) CompleteUnary(reactor, method, absl::StatusOr<Response>(queued), response);
  return reactor;
}

// The same for `work(token)` that returns its result.
template <typename Request, typename Response, typename Work>
grpc::ServerUnaryReactor* ServeUnaryOffThread(const auth::Gate& gate,
                                              grpc::CallbackServerContext* context,
                                              BoundedExecutor& executor, absl::string_view method,
                                              const Request& request, Response* response,
                                              Work work) {
  return ServeUnaryOffThreadThen(
      gate, context, executor, method, request, response,
      [work = std::move(work)](const domain::CancelToken& token,
                               absl::AnyInvocable<void(absl::StatusOr<Response>)> done) mutable {
        done(absl::StatusOr<Response>(work(token)));
      });
}

}  // namespace torikumi::server
