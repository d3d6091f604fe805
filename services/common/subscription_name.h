// Parsing of webhook subscription names: organizations/{o}/subscriptions/{s}.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace torikumi {

struct SubscriptionName {
  // organizations/{o}
  std::string organization;
  std::string subscription;
};

// INVALID_ARGUMENT naming `field` and the text when the name is malformed.
absl::StatusOr<SubscriptionName> ParseSubscriptionName(absl::string_view name,
                                                       absl::string_view field);

}  // namespace torikumi
