// Who is calling: what authentication (auth/authenticator.h) found.
#pragma once

#include <string>

#include "torikumi/v1/token_service.pb.h"

namespace torikumi::server::auth {

struct Principal {
  // Recorded in the audit log: "organizations/{o}/tokens/{t}", "tokens/{t}",
  // "cert:{common name}", or "local" (a caller where authentication is off).
  std::string name;
  // "organizations/{o}" whose resources it may use; empty for a server admin.
  std::string organization;
  v1::Role role = v1::ROLE_UNSPECIFIED;

  bool server_admin() const { return role == v1::ROLE_SERVER_ADMIN; }
};

// The principal of every call while authentication is off (loopback, --auth=none).
inline constexpr char kLocalPrincipal[] = "local";

}  // namespace torikumi::server::auth
