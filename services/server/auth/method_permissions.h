// The one table of what every RPC needs (method_permissions.cc), and what each role may do.
// auth_methods_test walks every service of the torikumi.v1 package and fails when a method
// is missing from the table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "torikumi/v1/token_service.pb.h"

namespace torikumi::server::auth {

enum class Permission {
  kAuthenticated,  // any principal (what it sees is still limited to its organization)
  kRead,           // viewer and up
  kRecord,         // outcomes: recorder, editor, admin
  kRate,           // human ratings: rater, editor, admin
  kEdit,           // plans, initiatives, imports, evaluation runs: editor, admin
  kAdmin,          // rule sets, tokens, deletes, the audit log: admin
  kServerAdmin,    // organizations, plugin reloads, jobs, server tokens
};

absl::string_view PermissionName(Permission permission);

// The permission of a full method name ("torikumi.v1.PlanService/GetPlan"); nullopt for a
// method the table does not know.
std::optional<Permission> PermissionOf(absl::string_view full_method);

// Every full method name in the table.
std::vector<std::string> TableMethods();

// The full method name whose request message is `request_type`; empty when none is known.
// (Request messages are unique per method: buf lint's STANDARD rules require it.)
const std::string& MethodOfRequest(const google::protobuf::Descriptor* request_type);

// Whether an organization's principal of `role` has `permission` (server admins have all).
bool RoleAllows(v1::Role role, Permission permission);

}  // namespace torikumi::server::auth
