// gRPC handlers of torikumi.v1.OutcomeService: each calls the domain and maps the status.
// The writes run on the server's executor, not on the gRPC callback thread. An upsert is
// answered from its commit (the executor's thread does not wait for the fsync), so every
// upsert in flight can share one commit (group commit).
#pragma once

#include "services/common/bounded_executor.h"
#include "services/domain/outcomes.h"
#include "services/server/auth/gate.h"
#include "torikumi/v1/outcome_service.grpc.pb.h"

namespace torikumi::server {

class OutcomeHandler final : public v1::OutcomeService::CallbackService {
 public:
  OutcomeHandler(const auth::Gate& gate, domain::Outcomes& outcomes, BoundedExecutor& executor)
      : gate_(gate), outcomes_(outcomes), executor_(executor) {}

  grpc::ServerUnaryReactor* UpsertOutcome(grpc::CallbackServerContext* context,
                                          const v1::UpsertOutcomeRequest* request,
                                          v1::UpsertOutcomeResponse* response) override;
  grpc::ServerUnaryReactor* ListOutcomes(grpc::CallbackServerContext* context,
                                         const v1::ListOutcomesRequest* request,
                                         v1::ListOutcomesResponse* response) override;
  grpc::ServerUnaryReactor* DeleteOutcome(grpc::CallbackServerContext* context,
                                          const v1::DeleteOutcomeRequest* request,
                                          v1::DeleteOutcomeResponse* response) override;

 private:
  const auth::Gate& gate_;
  domain::Outcomes& outcomes_;
  BoundedExecutor& executor_;
};

}  // namespace torikumi::server
