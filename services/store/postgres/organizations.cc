// Organizations in the PostgreSQL store.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {
namespace {

constexpr char kSelectBody[] = "SELECT body FROM organizations WHERE name = $1";

std::string What(absl::string_view name) { return absl::StrCat("organization '", name, "'"); }

absl::StatusOr<v1::Organization> Load(Tx& tx, absl::string_view name) {
  std::optional<v1::Organization> found = LoadBody<v1::Organization>(tx, kSelectBody, name);
  if (!found.has_value()) return absl::NotFoundError(absl::StrCat(What(name), " not found"));
  return *std::move(found);
}

}  // namespace

absl::StatusOr<v1::Organization> PostgresStore::CreateOrganization(
    const v1::Organization& organization, absl::string_view request_id) {
  const std::string& name = organization.name();
  if (auto id = ParseOrganizationName(name, "organization.name"); !id.ok()) return id.status();
  v1::Organization stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<std::optional<v1::Organization>> previous =
        PreviousCreate<v1::Organization>(w.tx, kOrganizationRequest, request_id, kSelectBody);
    if (!previous.ok()) return previous.status();
    if (previous->has_value()) {
      stored = **previous;
      return absl::OkStatus();
    }
    if (LoadBody<v1::Organization>(w.tx, kSelectBody, name).has_value()) {
      return absl::AlreadyExistsError(absl::StrCat(What(name), " already exists"));
    }
    const int64_t version = w.Version();
    stored = organization;
    *stored.mutable_create_time() = ToTimestamp(w.now);
    *stored.mutable_update_time() = ToTimestamp(w.now);
    stored.set_etag(EtagOf(version));
    w.tx.exec_params("INSERT INTO organizations (name, version, body) VALUES ($1, $2, $3)", name,
                     version, Bytes(stored));
    RecordRequest(w, kOrganizationRequest, request_id, {name});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::Organization> PostgresStore::GetOrganization(absl::string_view name) {
  if (auto id = ParseOrganizationName(name, "name"); !id.ok()) return id.status();
  v1::Organization organization;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    absl::StatusOr<v1::Organization> found = Load(tx, name);
    if (!found.ok()) return found.status();
    organization = *std::move(found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return organization;
}

absl::StatusOr<ListResult<v1::Organization>> PostgresStore::ListOrganizations(Page page) {
  return ReadPage<v1::Organization>({.select = "SELECT body, name FROM organizations ORDER BY name",
                                     .count = "SELECT count(*) FROM organizations"},
                                    page);
}

absl::StatusOr<v1::Organization> PostgresStore::UpdateOrganization(
    const v1::Organization& organization, absl::string_view expected_etag) {
  const std::string& name = organization.name();
  if (auto id = ParseOrganizationName(name, "organization.name"); !id.ok()) return id.status();
  v1::Organization stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Organization> current = Load(w.tx, name);
    if (!current.ok()) return current.status();
    if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
    const int64_t version = w.Version();
    stored = organization;
    *stored.mutable_create_time() = current->create_time();
    *stored.mutable_update_time() = ToTimestamp(w.now);
    stored.set_etag(EtagOf(version));
    w.tx.exec_params("UPDATE organizations SET version = $1, body = $2 WHERE name = $3", version,
                     Bytes(stored), name);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::Status PostgresStore::DeleteOrganization(absl::string_view name, bool force,
                                               absl::string_view expected_etag) {
  if (auto id = ParseOrganizationName(name, "name"); !id.ok()) return id.status();
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Organization> current = Load(w.tx, name);
    if (!current.ok()) return current.status();
    if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
    if (!force) {
      absl::Status refused = RefuseIfChildren(
          w.tx, What(name), name,
          {"SELECT count(*) FROM plans p JOIN organizations o ON o.id = p.organization_id "
           "WHERE o.name = $1",
           "plan", "plans",
           "delete them first, or delete with force to remove everything below it"});
      if (!refused.ok()) return refused;
    }
    // ON DELETE CASCADE removes its plans, their initiatives and outcomes.
    DeleteRow(w.tx, "organizations", name);
    if (force) ClearDanglingRelists(w);
    return absl::OkStatus();
  });
}

}  // namespace torikumi::store::postgres
