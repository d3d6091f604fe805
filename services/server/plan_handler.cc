#include "services/server/plan_handler.h"

#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerUnaryReactor* PlanHandler::GetPlan(grpc::CallbackServerContext* context,
                                               const v1::GetPlanRequest* request,
                                               v1::GetPlanResponse* response) {
  return FinishUnary(context, "GetPlan", plans_.Get(*request), response);
}

grpc::ServerUnaryReactor* PlanHandler::ListPlans(grpc::CallbackServerContext* context,
                                                 const v1::ListPlansRequest* request,
                                                 v1::ListPlansResponse* response) {
  return FinishUnary(context, "ListPlans", plans_.List(*request), response);
}

grpc::ServerUnaryReactor* PlanHandler::CreatePlan(grpc::CallbackServerContext* context,
                                                  const v1::CreatePlanRequest* request,
                                                  v1::CreatePlanResponse* response) {
  return FinishUnary(context, "CreatePlan", plans_.Create(*request), response);
}

grpc::ServerUnaryReactor* PlanHandler::UpdatePlan(grpc::CallbackServerContext* context,
                                                  const v1::UpdatePlanRequest* request,
                                                  v1::UpdatePlanResponse* response) {
  return FinishUnary(context, "UpdatePlan", plans_.Update(*request), response);
}

grpc::ServerUnaryReactor* PlanHandler::DeletePlan(grpc::CallbackServerContext* context,
                                                  const v1::DeletePlanRequest* request,
                                                  v1::DeletePlanResponse* response) {
  return FinishUnary(context, "DeletePlan", plans_.Delete(*request), response);
}

}  // namespace torikumi::server
