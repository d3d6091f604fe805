// Webhook subscriptions in the SQLite store: one row each, the body holding the secret and
// the delivery log the dispatcher keeps.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/common/subscription_name.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {
namespace {

constexpr absl::string_view kSelectBody = "SELECT body FROM subscriptions WHERE name = ?";

std::string What(absl::string_view name) { return absl::StrCat("subscription '", name, "'"); }

absl::StatusOr<v1::Subscription> Load(Connection& db, absl::string_view name) {
  absl::StatusOr<std::optional<v1::Subscription>> found =
      LoadBody<v1::Subscription>(db, kSelectBody, name);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError(absl::StrCat(What(name), " not found"));
  return **std::move(found);
}

}  // namespace

absl::StatusOr<v1::Subscription> SqliteStore::CreateSubscription(
    const v1::Subscription& subscription) {
  absl::StatusOr<SubscriptionName> parsed =
      ParseSubscriptionName(subscription.name(), "subscription.name");
  if (!parsed.ok()) return parsed.status();
  v1::Subscription stored = subscription;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    if (absl::Status s = CheckParentExists(w.db, "organizations", "organization",
                                           parsed->organization, subscription.name());
        !s.ok()) {
      return s;
    }
    absl::StatusOr<std::optional<v1::Subscription>> existing =
        LoadBody<v1::Subscription>(w.db, kSelectBody, subscription.name());
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return absl::AlreadyExistsError(absl::StrCat(What(subscription.name()), " already exists"));
    }
    absl::StatusOr<FeedState> feed = ReadFeedState(w.db);
    if (!feed.ok()) return feed.status();
    *stored.mutable_create_time() = ToTimestamp(w.now);
    stored.clear_delivery();
    stored.mutable_delivery()->set_cursor(absl::StrCat(feed->last_seq));
    absl::StatusOr<Statement> insert =
        w.db.Prepare("INSERT INTO subscriptions (name, organization, body) VALUES (?, ?, ?)");
    if (!insert.ok()) return insert.status();
    insert->Bind(stored.name()).Bind(parsed->organization).BindBlob(stored.SerializeAsString());
    return insert->Run();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::Subscription> SqliteStore::GetSubscription(absl::string_view name) {
  if (auto parsed = ParseSubscriptionName(name, "name"); !parsed.ok()) return parsed.status();
  v1::Subscription found;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<v1::Subscription> loaded = Load(db, name);
    if (!loaded.ok()) return loaded.status();
    found = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<std::vector<v1::Subscription>> SqliteStore::ListSubscriptions(
    absl::string_view parent) {
  const bool all = parent == "organizations/-";
  if (!all) {
    if (auto id = ParseOrganizationName(parent, "parent"); !id.ok()) return id.status();
  }
  std::vector<v1::Subscription> found;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    if (!all) {
      if (absl::Status s = CheckParentExists(db, "organizations", "organization", parent, "");
          !s.ok()) {
        return s;
      }
    }
    absl::StatusOr<Statement> query =
        all ? db.Prepare("SELECT body, name FROM subscriptions ORDER BY name")
            : db.Prepare(
                  "SELECT body, name FROM subscriptions WHERE organization = ? ORDER BY name");
    if (!query.ok()) return query.status();
    if (!all) query->Bind(parent);
    return AppendBodies(*query, &found);
  });
  if (!status.ok()) return status;
  return found;
}

absl::Status SqliteStore::DeleteSubscription(absl::string_view name) {
  if (auto parsed = ParseSubscriptionName(name, "name"); !parsed.ok()) return parsed.status();
  return Write([&](WriteContext& w) -> absl::Status {
    if (absl::StatusOr<v1::Subscription> current = Load(w.db, name); !current.ok()) {
      return current.status();
    }
    return DeleteRow(w.db, "subscriptions", name);
  });
}

absl::Status SqliteStore::UpdateDelivery(absl::string_view name,
                                         const v1::DeliveryStatus& delivery) {
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Subscription> current = Load(w.db, name);
    if (!current.ok()) return current.status();
    *current->mutable_delivery() = delivery;
    absl::StatusOr<Statement> update =
        w.db.Prepare("UPDATE subscriptions SET body = ? WHERE name = ?");
    if (!update.ok()) return update.status();
    update->BindBlob(current->SerializeAsString()).Bind(name);
    return update->Run();
  });
}

}  // namespace torikumi::store::sqlite
