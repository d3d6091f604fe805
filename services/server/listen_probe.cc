#include "services/server/listen_probe.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace torikumi::server {

absl::Status ProbeListenAddress(absl::string_view address) {
  for (absl::string_view scheme : {"unix:", "unix-abstract:", "vsock:"}) {
    if (absl::StartsWith(address, scheme)) return absl::OkStatus();
  }
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot listen on ", address, ": expected host:port, e.g. 127.0.0.1:50051"));
  }
  absl::string_view host = address.substr(0, colon);
  const std::string port(address.substr(colon + 1));
  int port_number = 0;
  if (!absl::SimpleAtoi(port, &port_number) || port_number < 0 || port_number > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot listen on ", address, ": \"", port, "\" is not a port number"));
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* resolved = nullptr;
  const std::string host_text(host);
  // An empty host means every interface, as it does for gRPC.
  if (int error = getaddrinfo(host_text.empty() ? nullptr : host_text.c_str(), port.c_str(), &hints,
                              &resolved);
      error != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot listen on ", address, ": ", gai_strerror(error)));
  }

  absl::Status result = absl::OkStatus();
  for (addrinfo* candidate = resolved; candidate != nullptr && result.ok();
       candidate = candidate->ai_next) {
    int fd =
        socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, candidate->ai_protocol);
    // A family this host cannot use (no IPv6, say) is gRPC's to skip as well.
    if (fd < 0) continue;
    // gRPC sets SO_REUSEADDR too, so a port in TIME_WAIT is not reported as taken.
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, candidate->ai_addr, candidate->ai_addrlen) != 0) {
      result = absl::UnavailableError(
          absl::StrCat("cannot listen on ", address, ": ", std::strerror(errno)));
    }
    close(fd);
  }
  freeaddrinfo(resolved);
  return result;
}

}  // namespace torikumi::server
