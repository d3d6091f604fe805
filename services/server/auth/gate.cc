#include "services/server/auth/gate.h"

#include <grpcpp/security/auth_context.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/server/auth/method_permissions.h"
#include "services/server/auth/request_scope.h"

namespace torikumi::server::auth {
namespace {

constexpr absl::string_view kBearer = "Bearer ";

std::string MetadataValue(const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

absl::StatusOr<v1::Role> ParseRole(absl::string_view text) {
  const std::string name = absl::StrCat("ROLE_", absl::AsciiStrToUpper(text));
  v1::Role role;
  if (!v1::Role_Parse(name, &role) || role == v1::ROLE_UNSPECIFIED ||
      role == v1::ROLE_SERVER_ADMIN) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a role: viewer, recorder, rater, editor or admin"));
  }
  return role;
}

// The update_mask paths of a request that has one, comma-separated.
std::string FieldMaskOf(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("update_mask");
  if (field == nullptr || field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE)
    return "";
  const google::protobuf::Message& mask = request.GetReflection()->GetMessage(request, field);
  const google::protobuf::FieldDescriptor* paths = mask.GetDescriptor()->FindFieldByName("paths");
  if (paths == nullptr) return "";
  std::vector<std::string> list;
  for (int i = 0; i < mask.GetReflection()->FieldSize(mask, paths); ++i) {
    list.push_back(mask.GetReflection()->GetRepeatedString(mask, paths, i));
  }
  return absl::StrJoin(list, ",");
}

std::string RequestIdOf(const grpc::ServerContextBase& context,
                        const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("request_id");
  if (field != nullptr && field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING &&
      !field->is_repeated()) {
    std::string id = request.GetReflection()->GetString(request, field);
    if (!id.empty()) return id;
  }
  return MetadataValue(context, "x-request-id");
}

}  // namespace

absl::StatusOr<std::map<std::string, Principal>> ParseCertificatePrincipals(
    absl::string_view text) {
  std::map<std::string, Principal> principals;
  for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::vector<absl::string_view> parts = absl::StrSplit(entry, ':');
    const auto refuse = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("--cert_principals: '", entry, "' ", why,
                       " (want CN:organizations/{o}:ROLE or CN:server-admin)"));
    };
    if (parts.empty() || parts[0].empty()) return refuse("has no common name");
    Principal principal{.name = absl::StrCat("cert:", parts[0])};
    if (parts.size() == 2 && parts[1] == "server-admin") {
      principal.role = v1::ROLE_SERVER_ADMIN;
    } else if (parts.size() == 3 && absl::StartsWith(parts[1], "organizations/") &&
               parts[1].size() > 14) {
      absl::StatusOr<v1::Role> role = ParseRole(parts[2]);
      if (!role.ok()) return refuse(role.status().message());
      principal.organization = std::string(parts[1]);
      principal.role = *role;
    } else {
      return refuse("is not in the expected form");
    }
    principals[std::string(parts[0])] = std::move(principal);
  }
  return principals;
}

absl::StatusOr<Principal> Gate::FromBearer(absl::string_view authorization) const {
  if (!absl::StartsWithIgnoreCase(authorization, kBearer)) {
    return absl::UnauthenticatedError("the authorization metadata must be \"Bearer {token}\"");
  }
  absl::StatusOr<v1::Token> token =
      tokens_.Verify(absl::StripAsciiWhitespace(authorization.substr(kBearer.size())));
  if (!token.ok()) return token.status();
  return Principal{.name = token->name(),
                   .organization = domain::TokenOrganization(token->name()),
                   .role = token->role()};
}

absl::StatusOr<Principal> Gate::FromCertificate(const grpc::ServerContextBase& context) const {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return absl::NotFoundError("no certificate");
  std::vector<grpc::string_ref> names = auth->FindPropertyValues("x509_common_name");
  if (names.empty()) return absl::NotFoundError("no certificate");
  const std::string common_name(names.front().data(), names.front().size());
  auto it = options_.certificate_principals.find(common_name);
  // Where credentials are optional, an unmapped certificate is no credential at all.
  if (it == options_.certificate_principals.end() && !options_.require_credentials) {
    return absl::NotFoundError("unmapped certificate");
  }
  if (it == options_.certificate_principals.end()) {
    return absl::UnauthenticatedError(
        absl::StrCat("the client certificate CN=", common_name,
                     " maps to no principal (--cert_principals); send a bearer token instead"));
  }
  return it->second;
}

absl::StatusOr<Principal> Gate::Authenticate(const grpc::ServerContextBase& context) const {
  const std::string authorization = MetadataValue(context, "authorization");
  if (!authorization.empty()) return FromBearer(authorization);
  absl::StatusOr<Principal> certified = FromCertificate(context);
  if (!absl::IsNotFound(certified.status())) return certified;
  if (!options_.require_credentials) {
    return Principal{.name = kLocalPrincipal, .role = v1::ROLE_SERVER_ADMIN};
  }
  return absl::UnauthenticatedError(
      "this server requires credentials: send \"authorization: Bearer {token}\" (torikumi "
      "--token or $TORIKUMI_TOKEN)");
}

absl::Status Authorize(const Principal& principal, absl::string_view full_method,
                       const google::protobuf::Message& request) {
  std::optional<Permission> permission = PermissionOf(full_method);
  if (!permission.has_value()) {
    return absl::PermissionDeniedError(
        absl::StrCat(full_method, " has no entry in the permission table"));
  }
  if (principal.server_admin()) return absl::OkStatus();
  const auto deny = [&](absl::string_view why) {
    return absl::PermissionDeniedError(
        absl::StrCat(principal.name, " may not call ", full_method, ": ", why));
  };
  if (*permission == Permission::kServerAdmin) return deny("it needs a server admin");
  if (*permission == Permission::kAuthenticated) return absl::OkStatus();
  RequestScope scope = ScopeOf(request);
  if (!scope.outside.empty()) {
    return deny(absl::StrCat("'", *scope.outside.begin(), "' is not in ", principal.organization));
  }
  if (scope.organizations.empty()) {
    return deny("the request names no organization (only a server admin may do that)");
  }
  for (const std::string& organization : scope.organizations) {
    if (organization != principal.organization) {
      return deny(absl::StrCat("it belongs to ", principal.organization, ", not ", organization));
    }
  }
  if (!RoleAllows(principal.role, *permission)) {
    return deny(absl::StrCat("role ", v1::Role_Name(principal.role), " lacks the ",
                             PermissionName(*permission), " permission"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Admission> Gate::Admit(const grpc::ServerContextBase& context,
                                      const google::protobuf::Message& request) const {
  absl::StatusOr<Principal> principal = Authenticate(context);
  if (!principal.ok()) return principal.status();
  const std::string& method = MethodOfRequest(request.GetDescriptor());
  if (absl::Status allowed = Authorize(*principal, method, request); !allowed.ok()) {
    return allowed;
  }
  Admission admission{.principal = *principal};
  admission.origin = {.principal = principal->name,
                      .method = method,
                      .field_mask = FieldMaskOf(request),
                      .request_id = RequestIdOf(context, request)};
  return admission;
}

}  // namespace torikumi::server::auth
