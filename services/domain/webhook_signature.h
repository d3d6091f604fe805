// The signature of a webhook delivery: the receiver recomputes it with the subscription's
// secret to know the POST came from torikumi and was not altered or replayed late.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace torikumi::domain {

// Lower-case hex of HMAC-SHA256(secret, timestamp + "." + body); sent as
// "X-Torikumi-Signature: sha256=<hex>" beside "X-Torikumi-Timestamp: <timestamp>".
std::string WebhookSignature(absl::string_view secret, absl::string_view timestamp,
                             absl::string_view body);

}  // namespace torikumi::domain
