// Which hosts a webhook may be delivered to. A subscription's URL is chosen by an
// organization admin, not by the operator, so by default it may not reach into the server's
// own networks: loopback, link-local (where cloud metadata services answer, 169.254.169.254),
// private and unique-local, carrier-grade NAT, unspecified, multicast and reserved addresses
// are refused unless the operator allows them. Names are checked on every delivery, on the
// addresses they resolve to then, and the connection goes to the address that was checked, so
// a name that changes its address after the check (DNS rebinding) cannot slip past.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace torikumi {

struct WebhookTargetPolicy {
  // --webhook_allow_private_targets: every address may be a target.
  bool allow_private = false;
  // --webhook_allowed_hosts: hosts, as written in URLs, that may be delivered to whatever
  // they resolve to (an HR tool on the internal network).
  std::vector<std::string> allowed_hosts;
};

// The host of an http(s) URL without port or brackets: "http://[::1]:80/x" → "::1".
std::string UrlHost(absl::string_view url);

// Why the port of an http(s) URL cannot be connected to (not 1–65535, or not digits); "" when
// it has none or a good one. The HTTP client would otherwise fail on it outside any status.
std::string BadUrlPort(absl::string_view url);

// What kind of refused address `address` (numeric IPv4 or IPv6) is, e.g. "a loopback
// address"; "" when it may be a target or is not a numeric address.
std::string RefusedRange(absl::string_view address);

// At subscription create time, what can be known without resolving a name: why `policy`
// refuses the URL, whose host is a numeric address or a localhost name; "" when it does not.
std::string RefusedUrl(absl::string_view url, const WebhookTargetPolicy& policy);

// At delivery: the addresses `host` resolves to now, in the resolver's order, to connect to.
// PERMISSION_DENIED when `policy` refuses any of them, UNAVAILABLE when it does not resolve.
absl::StatusOr<std::vector<std::string>> ResolveTarget(absl::string_view host,
                                                       const WebhookTargetPolicy& policy);

}  // namespace torikumi
