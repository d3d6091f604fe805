#include "services/common/subscription_name.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"

namespace torikumi {

absl::StatusOr<SubscriptionName> ParseSubscriptionName(absl::string_view name,
                                                       absl::string_view field) {
  constexpr absl::string_view kCollection = "/subscriptions/";
  const size_t at = name.find(kCollection);
  if (at == absl::string_view::npos || !IsValidId(name.substr(at + kCollection.size()))) {
    return InvalidField(std::string(field), absl::StrCat("'", name,
                                                         "' is not a subscription name "
                                                         "(organizations/{o}/subscriptions/{s})"));
  }
  absl::StatusOr<std::string> organization = ParseOrganizationName(name.substr(0, at), field);
  if (!organization.ok()) return organization.status();
  return SubscriptionName{std::string(name.substr(0, at)),
                          std::string(name.substr(at + kCollection.size()))};
}

}  // namespace torikumi
