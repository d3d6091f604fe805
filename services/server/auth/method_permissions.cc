#include "services/server/auth/method_permissions.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_split.h"

namespace torikumi::server::auth {
namespace {

using Table = absl::flat_hash_map<std::string, Permission>;

const Table& MethodTable() {
  static const Table* const kTable = new Table{
      {"torikumi.v1.OrganizationService/GetOrganization", Permission::kRead},
      // Lists only the caller's own organization unless it is a server admin.
      {"torikumi.v1.OrganizationService/ListOrganizations", Permission::kAuthenticated},
      {"torikumi.v1.OrganizationService/CreateOrganization", Permission::kServerAdmin},
      {"torikumi.v1.OrganizationService/UpdateOrganization", Permission::kAdmin},
      {"torikumi.v1.OrganizationService/DeleteOrganization", Permission::kServerAdmin},

      {"torikumi.v1.PlanService/GetPlan", Permission::kRead},
      {"torikumi.v1.PlanService/ListPlans", Permission::kRead},
      {"torikumi.v1.PlanService/CreatePlan", Permission::kEdit},
      {"torikumi.v1.PlanService/UpdatePlan", Permission::kEdit},
      {"torikumi.v1.PlanService/DeletePlan", Permission::kAdmin},

      {"torikumi.v1.InitiativeService/GetInitiative", Permission::kRead},
      {"torikumi.v1.InitiativeService/ListInitiatives", Permission::kRead},
      {"torikumi.v1.InitiativeService/CreateInitiative", Permission::kEdit},
      {"torikumi.v1.InitiativeService/BatchCreateInitiatives", Permission::kEdit},
      {"torikumi.v1.InitiativeService/UpdateInitiative", Permission::kEdit},
      {"torikumi.v1.InitiativeService/DeleteInitiative", Permission::kAdmin},
      {"torikumi.v1.InitiativeService/RateInitiative", Permission::kRate},

      {"torikumi.v1.OutcomeService/UpsertOutcome", Permission::kRecord},
      {"torikumi.v1.OutcomeService/ListOutcomes", Permission::kRead},
      {"torikumi.v1.OutcomeService/DeleteOutcome", Permission::kAdmin},

      {"torikumi.v1.TableService/ImportTable", Permission::kEdit},
      {"torikumi.v1.TableService/ExportTable", Permission::kRead},

      {"torikumi.v1.RuleSetService/CreateRuleSet", Permission::kAdmin},
      {"torikumi.v1.RuleSetService/GetRuleSet", Permission::kRead},
      {"torikumi.v1.RuleSetService/ListRuleSets", Permission::kRead},

      // The evaluators are the server's, not an organization's: anyone may see which exist.
      {"torikumi.v1.RatingService/ListEvaluators", Permission::kAuthenticated},
      {"torikumi.v1.RatingService/ReloadEvaluators", Permission::kServerAdmin},
      {"torikumi.v1.RatingService/Evaluate", Permission::kEdit},
      {"torikumi.v1.RatingService/ListRatings", Permission::kRead},
      {"torikumi.v1.RatingService/ExplainRating", Permission::kRead},
      {"torikumi.v1.RatingService/CompareRatings", Permission::kRead},
      // Jobs of every organization.
      {"torikumi.v1.RatingService/ListJobs", Permission::kServerAdmin},

      // Editors and admins run a rating round; raters (and they) review its entries.
      {"torikumi.v1.RatingRoundService/GetRatingRound", Permission::kRead},
      {"torikumi.v1.RatingRoundService/ListRatingRounds", Permission::kRead},
      {"torikumi.v1.RatingRoundService/NextRatingRoundEntry", Permission::kRead},
      {"torikumi.v1.RatingRoundService/OpenRatingRound", Permission::kEdit},
      {"torikumi.v1.RatingRoundService/AcceptRating", Permission::kRate},
      {"torikumi.v1.RatingRoundService/OverrideRating", Permission::kRate},
      {"torikumi.v1.RatingRoundService/CloseRatingRound", Permission::kEdit},
      {"torikumi.v1.RatingRoundService/ReopenRatingRound", Permission::kEdit},

      {"torikumi.v1.TokenService/CreateToken", Permission::kAdmin},
      {"torikumi.v1.TokenService/ListTokens", Permission::kAdmin},
      {"torikumi.v1.TokenService/DeleteToken", Permission::kAdmin},

      {"torikumi.v1.AuditService/ListAuditEvents", Permission::kAdmin},

      {"torikumi.v1.ChangeService/WatchChanges", Permission::kRead},
      {"torikumi.v1.SubscriptionService/CreateSubscription", Permission::kAdmin},
      {"torikumi.v1.SubscriptionService/GetSubscription", Permission::kAdmin},
      {"torikumi.v1.SubscriptionService/ListSubscriptions", Permission::kAdmin},
      {"torikumi.v1.SubscriptionService/DeleteSubscription", Permission::kAdmin},
  };
  return *kTable;
}

using RequestIndex = absl::flat_hash_map<const google::protobuf::Descriptor*, std::string>;

RequestIndex BuildRequestIndex() {
  RequestIndex index;
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& [full_method, permission] : MethodTable()) {
    std::vector<std::string> parts = absl::StrSplit(full_method, '/');
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(parts[0]);
    if (service == nullptr) continue;
    const google::protobuf::MethodDescriptor* method = service->FindMethodByName(parts[1]);
    if (method != nullptr) index[method->input_type()] = full_method;
  }
  return index;
}

}  // namespace

absl::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kAuthenticated:
      return "authenticated";
    case Permission::kRead:
      return "read";
    case Permission::kRecord:
      return "record";
    case Permission::kRate:
      return "rate";
    case Permission::kEdit:
      return "edit";
    case Permission::kAdmin:
      return "admin";
    case Permission::kServerAdmin:
      return "server admin";
  }
  return "unknown";
}

std::optional<Permission> PermissionOf(absl::string_view full_method) {
  auto it = MethodTable().find(full_method);
  if (it == MethodTable().end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> TableMethods() {
  std::vector<std::string> methods;
  for (const auto& [full_method, permission] : MethodTable()) methods.push_back(full_method);
  return methods;
}

const std::string& MethodOfRequest(const google::protobuf::Descriptor* request_type) {
  static const RequestIndex* const kIndex = new RequestIndex(BuildRequestIndex());
  static const std::string* const kNone = new std::string();
  auto it = kIndex->find(request_type);
  return it == kIndex->end() ? *kNone : it->second;
}

bool RoleAllows(v1::Role role, Permission permission) {
  if (role == v1::ROLE_SERVER_ADMIN) return true;
  switch (permission) {
    case Permission::kAuthenticated:
    case Permission::kRead:
      return role >= v1::ROLE_VIEWER && role <= v1::ROLE_ADMIN;
    case Permission::kRecord:
      return role == v1::ROLE_RECORDER || role == v1::ROLE_EDITOR || role == v1::ROLE_ADMIN;
    case Permission::kRate:
      return role == v1::ROLE_RATER || role == v1::ROLE_EDITOR || role == v1::ROLE_ADMIN;
    case Permission::kEdit:
      return role == v1::ROLE_EDITOR || role == v1::ROLE_ADMIN;
    case Permission::kAdmin:
      return role == v1::ROLE_ADMIN;
    case Permission::kServerAdmin:
      return false;
  }
  return false;
}

}  // namespace torikumi::server::auth
