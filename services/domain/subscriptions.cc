#include "services/domain/subscriptions.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/common/subscription_name.h"
#include "services/domain/change_feed.h"

namespace torikumi::domain {
namespace {

constexpr size_t kMaxUrlBytes = 2048;
constexpr size_t kMaxSecretBytes = 256;

// Every mistake of a new subscription, each naming its field.
absl::Status Validate(const v1::CreateSubscriptionRequest& request,
                      const WebhookTargetPolicy& targets) {
  FieldViolations violations;
  if (!IsValidId(request.subscription_id())) {
    violations.Add("subscription_id",
                   absl::StrCat("'", request.subscription_id(),
                                "' is not an id: lower-case letters, digits and '-', "
                                "starting with a letter"));
  }
  const v1::Subscription& subscription = request.subscription();
  const std::string& url = subscription.url();
  if (!(absl::StartsWith(url, "http://") || absl::StartsWith(url, "https://")) ||
      url.size() > kMaxUrlBytes || absl::StrContains(url, " ")) {
    violations.Add("subscription.url",
                   absl::StrCat("'", url, "' is not an http:// or https:// URL (at most ",
                                kMaxUrlBytes, " bytes, no spaces)"));
  } else if (std::string bad_port = BadUrlPort(url); !bad_port.empty()) {
    violations.Add("subscription.url", std::move(bad_port));
  } else if (std::string refused = RefusedUrl(url, targets); !refused.empty()) {
    violations.Add("subscription.url", std::move(refused));
  }
  if (subscription.secret().empty() || subscription.secret().size() > kMaxSecretBytes) {
    violations.Add("subscription.secret", absl::StrCat("is required, at most ", kMaxSecretBytes,
                                                       " bytes: it signs every delivery"));
  }
  if (!subscription.plan().empty() &&
      !absl::StartsWith(subscription.plan(), absl::StrCat(request.parent(), "/plans/"))) {
    violations.Add("subscription.plan",
                   absl::StrCat("'", subscription.plan(), "' is not a plan of ", request.parent()));
  }
  return violations.ToStatus();
}

// What the API shows of a stored subscription: everything but its secret.
v1::Subscription Shown(v1::Subscription subscription) {
  subscription.clear_secret();
  return subscription;
}

}  // namespace

absl::StatusOr<v1::CreateSubscriptionResponse> Subscriptions::Create(
    const v1::CreateSubscriptionRequest& request) {
  if (auto id = ParseOrganizationName(request.parent(), "parent"); !id.ok()) return id.status();
  if (absl::Status s = Validate(request, targets_); !s.ok()) return s;
  std::vector<v1::ResourceKind> kinds;
  for (int kind : request.subscription().kinds()) kinds.push_back(v1::ResourceKind(kind));
  const std::string scope =
      request.subscription().plan().empty() ? request.parent() : request.subscription().plan();
  if (auto query = ChangeScope(scope, kinds, "subscription.plan"); !query.ok()) {
    return query.status();
  }
  v1::Subscription subscription = request.subscription();
  subscription.set_name(
      absl::StrCat(request.parent(), "/subscriptions/", request.subscription_id()));
  absl::StatusOr<v1::Subscription> created = store_.CreateSubscription(subscription);
  if (!created.ok()) return created.status();
  v1::CreateSubscriptionResponse response;
  *response.mutable_subscription() = Shown(*std::move(created));
  return response;
}

absl::StatusOr<v1::GetSubscriptionResponse> Subscriptions::Get(
    const v1::GetSubscriptionRequest& request) {
  absl::StatusOr<v1::Subscription> found = store_.GetSubscription(request.name());
  if (!found.ok()) return found.status();
  v1::GetSubscriptionResponse response;
  *response.mutable_subscription() = Shown(*std::move(found));
  return response;
}

absl::StatusOr<v1::ListSubscriptionsResponse> Subscriptions::List(
    const v1::ListSubscriptionsRequest& request) {
  if (auto id = ParseOrganizationName(request.parent(), "parent"); !id.ok()) return id.status();
  absl::StatusOr<std::vector<v1::Subscription>> found = store_.ListSubscriptions(request.parent());
  if (!found.ok()) return found.status();
  v1::ListSubscriptionsResponse response;
  for (v1::Subscription& subscription : *found) {
    *response.add_subscriptions() = Shown(std::move(subscription));
  }
  return response;
}

absl::StatusOr<v1::DeleteSubscriptionResponse> Subscriptions::Delete(
    const v1::DeleteSubscriptionRequest& request) {
  if (absl::Status s = store_.DeleteSubscription(request.name()); !s.ok()) return s;
  return v1::DeleteSubscriptionResponse();
}

}  // namespace torikumi::domain
