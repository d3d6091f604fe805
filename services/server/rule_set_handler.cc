#include "services/server/rule_set_handler.h"

#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerUnaryReactor* RuleSetHandler::CreateRuleSet(grpc::CallbackServerContext* context,
                                                        const v1::CreateRuleSetRequest* request,
                                                        v1::CreateRuleSetResponse* response) {
  return FinishUnary(context, "CreateRuleSet", rule_sets_.Create(*request), response);
}

grpc::ServerUnaryReactor* RuleSetHandler::GetRuleSet(grpc::CallbackServerContext* context,
                                                     const v1::GetRuleSetRequest* request,
                                                     v1::GetRuleSetResponse* response) {
  return FinishUnary(context, "GetRuleSet", rule_sets_.Get(*request), response);
}

grpc::ServerUnaryReactor* RuleSetHandler::ListRuleSets(grpc::CallbackServerContext* context,
                                                       const v1::ListRuleSetsRequest* request,
                                                       v1::ListRuleSetsResponse* response) {
  return FinishUnary(context, "ListRuleSets", rule_sets_.List(*request), response);
}

}  // namespace torikumi::server
