// Webhook subscriptions in the PostgreSQL store: one row each, the body holding the secret and
// the delivery log the dispatcher keeps.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/common/subscription_name.h"
#include "services/store/postgres/change_log.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {
namespace {

constexpr char kSelectBody[] = "SELECT body FROM subscriptions WHERE name = $1";

std::string What(absl::string_view name) { return absl::StrCat("subscription '", name, "'"); }

absl::StatusOr<v1::Subscription> Load(Tx& tx, absl::string_view name) {
  std::optional<v1::Subscription> found = LoadBody<v1::Subscription>(tx, kSelectBody, name);
  if (!found.has_value()) return absl::NotFoundError(absl::StrCat(What(name), " not found"));
  return *std::move(found);
}

}  // namespace

absl::StatusOr<v1::Subscription> PostgresStore::CreateSubscription(
    const v1::Subscription& subscription) {
  absl::StatusOr<SubscriptionName> parsed =
      ParseSubscriptionName(subscription.name(), "subscription.name");
  if (!parsed.ok()) return parsed.status();
  v1::Subscription stored = subscription;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    if (absl::Status s = CheckParentExists(w.tx, "organizations", "organization",
                                           parsed->organization, subscription.name());
        !s.ok()) {
      return s;
    }
    if (LoadBody<v1::Subscription>(w.tx, kSelectBody, subscription.name()).has_value()) {
      return absl::AlreadyExistsError(absl::StrCat(What(subscription.name()), " already exists"));
    }
    *stored.mutable_create_time() = ToTimestamp(w.now);
    stored.clear_delivery();
    stored.mutable_delivery()->set_cursor(absl::StrCat(ReadFeedState(w.tx).last_seq));
    w.tx.exec_params(
        "INSERT INTO subscriptions (name, organization_id, body) "
        "VALUES ($1, (SELECT id FROM organizations WHERE name = $2), $3)",
        stored.name(), parsed->organization, Bytes(stored));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::Subscription> PostgresStore::GetSubscription(absl::string_view name) {
  if (auto parsed = ParseSubscriptionName(name, "name"); !parsed.ok()) return parsed.status();
  v1::Subscription found;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    absl::StatusOr<v1::Subscription> loaded = Load(tx, name);
    if (!loaded.ok()) return loaded.status();
    found = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<std::vector<v1::Subscription>> PostgresStore::ListSubscriptions(
    absl::string_view parent) {
  const bool all = parent == "organizations/-";
  if (!all) {
    if (auto id = ParseOrganizationName(parent, "parent"); !id.ok()) return id.status();
  }
  std::vector<v1::Subscription> found;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    if (all) {
      AppendBodies(tx.exec("SELECT body, name FROM subscriptions ORDER BY name"), &found);
      return absl::OkStatus();
    }
    if (absl::Status s = CheckParentExists(tx, "organizations", "organization", parent, "");
        !s.ok()) {
      return s;
    }
    AppendBodies(tx.exec_params("SELECT body, name FROM subscriptions WHERE organization_id = "
                                "(SELECT id FROM organizations WHERE name = $1) ORDER BY name",
                                std::string(parent)),
                 &found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

absl::Status PostgresStore::DeleteSubscription(absl::string_view name) {
  if (auto parsed = ParseSubscriptionName(name, "name"); !parsed.ok()) return parsed.status();
  return Write([&](WriteContext& w) -> absl::Status {
    if (absl::StatusOr<v1::Subscription> current = Load(w.tx, name); !current.ok()) {
      return current.status();
    }
    DeleteRow(w.tx, "subscriptions", name);
    return absl::OkStatus();
  });
}

absl::Status PostgresStore::UpdateDelivery(absl::string_view name,
                                           const v1::DeliveryStatus& delivery) {
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Subscription> current = Load(w.tx, name);
    if (!current.ok()) return current.status();
    *current->mutable_delivery() = delivery;
    w.tx.exec_params("UPDATE subscriptions SET body = $1 WHERE name = $2", Bytes(*current),
                     std::string(name));
    return absl::OkStatus();
  });
}

}  // namespace torikumi::store::postgres
