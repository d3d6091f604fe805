// From the server's flags to who must authenticate, and the bootstrap token's file.
//
//   --auth=none    no credentials needed: a caller without any is the server admin "local"
//                  (a token or mapped certificate that is sent is still checked and used)
//   --auth=tokens  every call needs a bearer token or a mapped client certificate
//   (unset)        none on a loopback address, tokens on any other
// On an address that is not loopback, --auth=none needs --insecure as well.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/server/auth/gate.h"

namespace torikumi::server::auth {

// `listen_addresses`: every address the API is served on (--listen, and --http_listen when
// set, since the HTTP gateway calls through the same gate). Authentication may be off by
// default only when all of them are loopback.
absl::StatusOr<AuthOptions> AuthOptionsFromFlags(const std::vector<std::string>& listen_addresses,
                                                 absl::string_view auth, bool insecure,
                                                 absl::string_view cert_principals);

// Where the bootstrap token goes when --bootstrap_token_file is not given: beside the
// database, "{db}.admin-token".
std::string DefaultBootstrapTokenFile(absl::string_view db_path);

// Writes `secret` and a newline to `path`, readable and writable by its owner only (0600,
// also when the file existed). INTERNAL naming the path on failure.
absl::Status WriteSecretFile(const std::string& path, absl::string_view secret);

}  // namespace torikumi::server::auth
