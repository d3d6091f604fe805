#include "services/server/outcome_handler.h"

#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerUnaryReactor* OutcomeHandler::UpsertOutcome(grpc::CallbackServerContext* context,
                                                        const v1::UpsertOutcomeRequest* request,
                                                        v1::UpsertOutcomeResponse* response) {
  return FinishUnary(context, "UpsertOutcome", outcomes_.Upsert(*request), response);
}

grpc::ServerUnaryReactor* OutcomeHandler::ListOutcomes(grpc::CallbackServerContext* context,
                                                       const v1::ListOutcomesRequest* request,
                                                       v1::ListOutcomesResponse* response) {
  return FinishUnary(context, "ListOutcomes", outcomes_.List(*request), response);
}

grpc::ServerUnaryReactor* OutcomeHandler::DeleteOutcome(grpc::CallbackServerContext* context,
                                                        const v1::DeleteOutcomeRequest* request,
                                                        v1::DeleteOutcomeResponse* response) {
  return FinishUnary(context, "DeleteOutcome", outcomes_.Delete(*request), response);
}

}  // namespace torikumi::server
