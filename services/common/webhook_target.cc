#include "services/common/webhook_target.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace torikumi {
namespace {

constexpr char kHowToAllow[] =
    "; webhooks into the server's own networks are refused unless the server runs with "
    "--webhook_allow_private_targets or lists the host in --webhook_allowed_hosts";

// Why an IPv4 address (in host order) is refused; "" when it is not.
std::string RefusedV4(uint32_t a) {
  auto in = [a](uint32_t network, int bits) {
    const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
    return (a & mask) == network;
  };
  if (in(0x00000000, 8)) return "an unspecified ('this network') address";
  if (in(0x7f000000, 8)) return "a loopback address";
  if (in(0xa9fe0000, 16)) return "a link-local address (where cloud metadata services answer)";
  if (in(0x0a000000, 8) || in(0xac100000, 12) || in(0xc0a80000, 16)) return "a private address";
  if (in(0x64400000, 10)) return "a shared (carrier-grade NAT) address";
  if (in(0xc0000000, 24)) return "an IETF protocol assignment address";
  if (in(0xc6120000, 15)) return "a benchmarking network address";
  if (in(0xe0000000, 4)) return "a multicast address";
  if (in(0xf0000000, 4)) return "a reserved or broadcast address";
  return "";
}

// Why an IPv6 address is refused; "" when it is not. Addresses that carry an IPv4 address
// (mapped, NAT64, the deprecated IPv4-compatible form, 6to4) are judged by that address, so
// none of them names a refused IPv4 host in another form.
std::string RefusedV6(const std::array<uint8_t, 16>& b) {
  auto prefix = [&b](std::initializer_list<uint8_t> bytes) {
    return std::equal(bytes.begin(), bytes.end(), b.begin());
  };
  const uint32_t tail =
      (uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) | (uint32_t{b[14]} << 8) | uint32_t{b[15]};
  if (prefix({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}) ||
      prefix({0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0}) ||
      prefix({0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) {
    return RefusedV4(tail);
  }
  if (prefix({0, 0x64, 0xff, 0x9b, 0, 1})) return "a local-use NAT64 address";
  if (prefix({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})) {
    if (b[15] == 1) return "a loopback address";
    if (b[15] == 0) return "an unspecified address";
  }
  if (prefix({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})) return RefusedV4(tail);
  if (prefix({0x20, 0x02})) {
    return RefusedV4((uint32_t{b[2]} << 24) | (uint32_t{b[3]} << 16) | (uint32_t{b[4]} << 8) |
                     uint32_t{b[5]});
  }
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) {
    return "a link-local address (where cloud metadata services answer)";
  }
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return "a site-local address";
  if ((b[0] & 0xfe) == 0xfc) return "a unique-local (private) address";
  if (b[0] == 0xff) return "a multicast address";
  return "";
}

bool HostAllowed(absl::string_view host, const WebhookTargetPolicy& policy) {
  if (policy.allow_private) return true;
  return std::any_of(
      policy.allowed_hosts.begin(), policy.allowed_hosts.end(),
      [host](const std::string& allowed) { return absl::EqualsIgnoreCase(allowed, host); });
}

// "localhost" and the names below it, which always resolve to loopback.
bool IsLocalhostName(absl::string_view host) {
  std::string name = absl::AsciiStrToLower(host);
  if (absl::EndsWith(name, ".")) name.pop_back();
  return name == "localhost" || absl::EndsWith(name, ".localhost");
}

// The text of a resolved socket address.
std::string AddressText(const addrinfo& info) {
  char text[INET6_ADDRSTRLEN] = {};
  const void* bytes =
      info.ai_family == AF_INET
          ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(info.ai_addr)->sin_addr)
          : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(info.ai_addr)->sin6_addr);
  inet_ntop(info.ai_family, bytes, text, sizeof(text));
  return text;
}

}  // namespace

std::string UrlHost(absl::string_view url) {
  const size_t scheme = url.find("://");
  absl::string_view rest = scheme == absl::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (absl::StartsWith(rest, "[")) return std::string(rest.substr(1, rest.find(']') - 1));
  return std::string(rest.substr(0, rest.find(':')));
}

std::string BadUrlPort(absl::string_view url) {
  const size_t scheme = url.find("://");
  absl::string_view rest = scheme == absl::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (absl::StartsWith(rest, "[")) {
    const size_t close = rest.find(']');
    rest = close == absl::string_view::npos ? absl::string_view() : rest.substr(close + 1);
  }
  const size_t colon = rest.rfind(':');
  if (colon == absl::string_view::npos) return "";
  const absl::string_view port = rest.substr(colon + 1);
  int number = 0;
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(port, &number) || number < 1 || number > 65535) {
    return absl::StrCat("'", url, "' has the port '", port,
                        "': a port is a number from 1 to 65535");
  }
  return "";
}

std::string RefusedRange(absl::string_view address) {
  const std::string text(address);
  in_addr v4;
  // inet_aton, not inet_pton: it takes every form the resolver does ("127.1", "0x7f.1",
  // "2130706433"), so a URL cannot name a refused address in a form only delivery would see.
  if (inet_aton(text.c_str(), &v4) != 0) return RefusedV4(ntohl(v4.s_addr));
  std::array<uint8_t, 16> v6;
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) return RefusedV6(v6);
  return "";
}

std::string RefusedUrl(absl::string_view url, const WebhookTargetPolicy& policy) {
  const std::string host = UrlHost(url);
  if (HostAllowed(host, policy)) return "";
  const std::string refused =
      IsLocalhostName(host) ? "a name of the loopback address" : RefusedRange(host);
  if (refused.empty()) return "";
  return absl::StrCat("'", url, "' reaches '", host, "', ", refused, kHowToAllow);
}

absl::StatusOr<std::vector<std::string>> ResolveTarget(absl::string_view host,
                                                       const WebhookTargetPolicy& policy) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string name(host);
  if (int error = getaddrinfo(name.c_str(), nullptr, &hints, &found); error != 0) {
    return absl::UnavailableError(
        absl::StrCat("host '", host, "' does not resolve: ", gai_strerror(error)));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
  std::vector<std::string> addresses;
  for (const addrinfo* info = found; info != nullptr; info = info->ai_next) {
    if (info->ai_family != AF_INET && info->ai_family != AF_INET6) continue;
    const std::string address = AddressText(*info);
    const std::string refused = HostAllowed(host, policy) ? "" : RefusedRange(address);
    if (!refused.empty()) {
      return absl::PermissionDeniedError(absl::StrCat("refused: host '", host, "' resolves to ",
                                                      address, ", ", refused, kHowToAllow));
    }
    // One per address: getaddrinfo lists it again for each protocol.
    if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) {
      addresses.push_back(address);
    }
  }
  if (addresses.empty()) {
    return absl::UnavailableError(absl::StrCat("host '", host, "' has no IP address"));
  }
  return addresses;
}

}  // namespace torikumi
