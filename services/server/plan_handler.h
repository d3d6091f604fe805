// gRPC handlers of torikumi.v1.PlanService: each calls the domain and maps the status.
#pragma once

#include "services/domain/plans.h"
#include "services/server/auth/gate.h"
#include "torikumi/v1/plan_service.grpc.pb.h"

namespace torikumi::server {

class PlanHandler final : public v1::PlanService::CallbackService {
 public:
  PlanHandler(const auth::Gate& gate, domain::Plans& plans) : gate_(gate), plans_(plans) {}

  grpc::ServerUnaryReactor* GetPlan(grpc::CallbackServerContext* context,
                                    const v1::GetPlanRequest* request,
                                    v1::GetPlanResponse* response) override;
  grpc::ServerUnaryReactor* ListPlans(grpc::CallbackServerContext* context,
                                      const v1::ListPlansRequest* request,
                                      v1::ListPlansResponse* response) override;
  grpc::ServerUnaryReactor* CreatePlan(grpc::CallbackServerContext* context,
                                       const v1::CreatePlanRequest* request,
                                       v1::CreatePlanResponse* response) override;
  grpc::ServerUnaryReactor* UpdatePlan(grpc::CallbackServerContext* context,
                                       const v1::UpdatePlanRequest* request,
                                       v1::UpdatePlanResponse* response) override;
  grpc::ServerUnaryReactor* DeletePlan(grpc::CallbackServerContext* context,
                                       const v1::DeletePlanRequest* request,
                                       v1::DeletePlanResponse* response) override;

 private:
  const auth::Gate& gate_;
  domain::Plans& plans_;
};

}  // namespace torikumi::server
