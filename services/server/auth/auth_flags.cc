#include "services/server/auth/auth_flags.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "services/server/credentials.h"

namespace torikumi::server::auth {

namespace {

// The first address that is not loopback; empty when all are.
std::string FirstExposed(const std::vector<std::string>& addresses) {
  for (const std::string& address : addresses) {
    if (!address.empty() && !IsLoopbackAddress(address)) return address;
  }
  return "";
}

}  // namespace

absl::StatusOr<AuthOptions> AuthOptionsFromFlags(const std::vector<std::string>& listen_addresses,
                                                 absl::string_view auth, bool insecure,
                                                 absl::string_view cert_principals) {
  AuthOptions options;
  const std::string exposed = FirstExposed(listen_addresses);
  const bool loopback = exposed.empty();
  if (auth.empty()) {
    options.require_credentials = !loopback;
  } else if (auth == "tokens") {
    options.require_credentials = true;
  } else if (auth == "none") {
    if (!loopback && !insecure) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--auth=none on ", exposed,
          ", which is not a loopback address, would let anyone who can reach it do anything; "
          "drop --auth=none (tokens are then required) or add --insecure"));
    }
    options.require_credentials = false;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--auth must be none or tokens, not \"", auth, "\""));
  }
  absl::StatusOr<std::map<std::string, Principal>> mapped =
      ParseCertificatePrincipals(cert_principals);
  if (!mapped.ok()) return mapped.status();
  options.certificate_principals = *std::move(mapped);
  return options;
}

std::string DefaultBootstrapTokenFile(absl::string_view db_path) {
  return absl::StrCat(db_path, ".admin-token");
}

absl::Status WriteSecretFile(const std::string& path, absl::string_view secret) {
  const auto fail = [&](absl::string_view what) {
    return absl::InternalError(
        absl::StrCat("cannot ", what, " the token file ", path, ": ", std::strerror(errno)));
  };
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return fail("create");
  // A file that existed keeps its mode through open(); make it the owner's only.
  if (fchmod(fd, 0600) != 0) {
    close(fd);
    return fail("restrict");
  }
  const std::string line = absl::StrCat(secret, "\n");
  const bool written = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  if (close(fd) != 0 || !written) return fail("write");
  return absl::OkStatus();
}

}  // namespace torikumi::server::auth
