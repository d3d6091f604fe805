#include "services/server/rule_set_handler.h"

#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerUnaryReactor* RuleSetHandler::CreateRuleSet(grpc::CallbackServerContext* context,
                                                        const v1::CreateRuleSetRequest* request,
                                                        v1::CreateRuleSetResponse* response) {
  return ServeUnary(gate_, context, "CreateRuleSet", *request, response,
                    [&] { return rule_sets_.Create(*request); });
}

grpc::ServerUnaryReactor* RuleSetHandler::GetRuleSet(grpc::CallbackServerContext* context,
                                                     const v1::GetRuleSetRequest* request,
                                                     v1::GetRuleSetResponse* response) {
  return ServeUnary(gate_, context, "GetRuleSet", *request, response,
                    [&] { return rule_sets_.Get(*request); });
}

grpc::ServerUnaryReactor* RuleSetHandler::ListRuleSets(grpc::CallbackServerContext* context,
                                                       const v1::ListRuleSetsRequest* request,
                                                       v1::ListRuleSetsResponse* response) {
  return ServeUnary(gate_, context, "ListRuleSets", *request, response,
                    [&] { return rule_sets_.List(*request); });
}

}  // namespace torikumi::server
