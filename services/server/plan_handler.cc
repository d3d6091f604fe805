#include "services/server/plan_handler.h"

#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerUnaryReactor* PlanHandler::GetPlan(grpc::CallbackServerContext* context,
                                               const v1::GetPlanRequest* request,
                                               v1::GetPlanResponse* response) {
  return ServeUnary(gate_, context, "GetPlan", *request, response,
                    [&] { return plans_.Get(*request); });
}

grpc::ServerUnaryReactor* PlanHandler::ListPlans(grpc::CallbackServerContext* context,
                                                 const v1::ListPlansRequest* request,
                                                 v1::ListPlansResponse* response) {
  return ServeUnary(gate_, context, "ListPlans", *request, response,
                    [&] { return plans_.List(*request); });
}

grpc::ServerUnaryReactor* PlanHandler::CreatePlan(grpc::CallbackServerContext* context,
                                                  const v1::CreatePlanRequest* request,
                                                  v1::CreatePlanResponse* response) {
  return ServeUnary(gate_, context, "CreatePlan", *request, response,
                    [&] { return plans_.Create(*request); });
}

grpc::ServerUnaryReactor* PlanHandler::UpdatePlan(grpc::CallbackServerContext* context,
                                                  const v1::UpdatePlanRequest* request,
                                                  v1::UpdatePlanResponse* response) {
  return ServeUnary(gate_, context, "UpdatePlan", *request, response,
                    [&] { return plans_.Update(*request); });
}

grpc::ServerUnaryReactor* PlanHandler::DeletePlan(grpc::CallbackServerContext* context,
                                                  const v1::DeletePlanRequest* request,
                                                  v1::DeletePlanResponse* response) {
  return ServeUnary(gate_, context, "DeletePlan", *request, response,
                    [&] { return plans_.Delete(*request); });
}

}  // namespace torikumi::server
