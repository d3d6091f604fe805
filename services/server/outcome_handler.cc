#include "services/server/outcome_handler.h"

#include <utility>

#include "services/server/offloaded_unary.h"
#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerUnaryReactor* OutcomeHandler::UpsertOutcome(grpc::CallbackServerContext* context,
                                                        const v1::UpsertOutcomeRequest* request,
                                                        v1::UpsertOutcomeResponse* response) {
  // Answered from the write's commit: the executor's thread is free while it waits.
  return ServeUnaryOffThreadThen(
      gate_, context, executor_, "UpsertOutcome", *request, response,
      [this, request](const domain::CancelToken&, domain::Outcomes::UpsertDone done) {
        outcomes_.Upsert(*request, std::move(done));
      });
}

grpc::ServerUnaryReactor* OutcomeHandler::ListOutcomes(grpc::CallbackServerContext* context,
                                                       const v1::ListOutcomesRequest* request,
                                                       v1::ListOutcomesResponse* response) {
  return ServeUnary(gate_, context, "ListOutcomes", *request, response,
                    [&] { return outcomes_.List(*request); });
}

grpc::ServerUnaryReactor* OutcomeHandler::DeleteOutcome(grpc::CallbackServerContext* context,
                                                        const v1::DeleteOutcomeRequest* request,
                                                        v1::DeleteOutcomeResponse* response) {
  return ServeUnaryOffThread(
      gate_, context, executor_, "DeleteOutcome", *request, response,
      [this, request](const domain::CancelToken&) { return outcomes_.Delete(*request); });
}

}  // namespace torikumi::server
