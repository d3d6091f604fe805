// gRPC handlers of torikumi.v1.RuleSetService. (A new version of a rule set that plans
// follow starts a background job re-rating them: domain::RuleSets tells its triggers.)
#pragma once

#include "services/domain/rule_sets.h"
#include "services/server/auth/gate.h"
#include "torikumi/v1/rule_set_service.grpc.pb.h"

namespace torikumi::server {

class RuleSetHandler final : public v1::RuleSetService::CallbackService {
 public:
  RuleSetHandler(const auth::Gate& gate, domain::RuleSets& rule_sets)
      : gate_(gate), rule_sets_(rule_sets) {}

  grpc::ServerUnaryReactor* CreateRuleSet(grpc::CallbackServerContext* context,
                                          const v1::CreateRuleSetRequest* request,
                                          v1::CreateRuleSetResponse* response) override;
  grpc::ServerUnaryReactor* GetRuleSet(grpc::CallbackServerContext* context,
                                       const v1::GetRuleSetRequest* request,
                                       v1::GetRuleSetResponse* response) override;
  grpc::ServerUnaryReactor* ListRuleSets(grpc::CallbackServerContext* context,
                                         const v1::ListRuleSetsRequest* request,
                                         v1::ListRuleSetsResponse* response) override;

 private:
  const auth::Gate& gate_;
  domain::RuleSets& rule_sets_;
};

}  // namespace torikumi::server
