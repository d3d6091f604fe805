#include "services/server/rule_set_handler.h"

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerUnaryReactor* RuleSetHandler::CreateRuleSet(grpc::CallbackServerContext* context,
                                                        const v1::CreateRuleSetRequest* request,
                                                        v1::CreateRuleSetResponse* response) {
  absl::StatusOr<v1::CreateRuleSetResponse> created = rule_sets_.Create(*request);
  if (created.ok() && created->rule_set().version() > 1) {
    // Plans that follow the latest version of this rule set are re-rated in the background.
    absl::StatusOr<std::vector<std::string>> plans = ratings_.PlansWithRuleSet(created->rule_set().name());
    if (!plans.ok()) {
      log::Error("cannot find the plans to re-rate after ", created->rule_set().name(), "@",
                 created->rule_set().version(), ": ", plans.status().ToString());
    } else if (!plans->empty()) {
      jobs_.Start(absl::StrCat("rule-set ", created->rule_set().name(), "@", created->rule_set().version()),
                  *std::move(plans), domain::kTriggerRuleSet);
    }
  }
  return FinishUnary(context, "CreateRuleSet", std::move(created), response);
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
