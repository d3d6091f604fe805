// The one check every call passes before its handler's work runs: who is calling
// (authentication: a bearer token, or a client certificate mapped to a principal) and
// whether the method's permission (method_permissions.h) and the organizations the request
// names (request_scope.h) allow it. Unary calls go through ServeUnary (unary.h); the
// streaming handlers call Admit themselves.
#pragma once

#include <grpcpp/server_context.h>

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/domain/tokens.h"
#include "services/server/auth/principal.h"
#include "services/store/write_origin.h"

namespace torikumi::server::auth {

struct AuthOptions {
  // false: a call without credentials is the server admin "local" (loopback default);
  // true: it is UNAUTHENTICATED. Credentials sent are checked either way.
  bool require_credentials = false;
  // Verified client certificates (mutual TLS) by common name → the principal they act as.
  std::map<std::string, Principal> certificate_principals;
};

// Parses --cert_principals: comma-separated "CN:organizations/{o}:ROLE" or
// "CN:server-admin", ROLE one of viewer, recorder, rater, editor, admin.
absl::StatusOr<std::map<std::string, Principal>> ParseCertificatePrincipals(absl::string_view text);

// A call let in: who, and what its writes record in the audit log.
struct Admission {
  Principal principal;
  store::WriteOrigin origin;
};

class Gate {
 public:
  explicit Gate(domain::Tokens& tokens) : tokens_(tokens) {}

  // Before Start; not changed while serving.
  void Configure(AuthOptions options) { options_ = std::move(options); }
  bool requires_credentials() const { return options_.require_credentials; }

  // UNAUTHENTICATED without acceptable credentials, PERMISSION_DENIED when the principal may
  // not call the method of `request` on the organizations it names.
  absl::StatusOr<Admission> Admit(const grpc::ServerContextBase& context,
                                  const google::protobuf::Message& request) const;

  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& context) const;

 private:
  absl::StatusOr<Principal> FromBearer(absl::string_view authorization) const;
  absl::StatusOr<Principal> FromCertificate(const grpc::ServerContextBase& context) const;

  domain::Tokens& tokens_;
  AuthOptions options_;
};

// PERMISSION_DENIED unless `principal` may call `full_method` with `request`.
absl::Status Authorize(const Principal& principal, absl::string_view full_method,
                       const google::protobuf::Message& request);

}  // namespace torikumi::server::auth
