// Organizations in the SQLite store.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {
namespace {

constexpr absl::string_view kSelectBody = "SELECT body FROM organizations WHERE name = ?";

std::string What(absl::string_view name) { return absl::StrCat("organization '", name, "'"); }

absl::StatusOr<v1::Organization> Load(Connection& db, absl::string_view name) {
  absl::StatusOr<std::optional<v1::Organization>> found =
      LoadBody<v1::Organization>(db, kSelectBody, name);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError(absl::StrCat(What(name), " not found"));
  return **std::move(found);
}

}  // namespace

absl::StatusOr<v1::Organization> SqliteStore::CreateOrganization(
    const v1::Organization& organization, absl::string_view request_id) {
  const std::string& name = organization.name();
  if (auto id = ParseOrganizationName(name, "organization.name"); !id.ok()) return id.status();
  v1::Organization stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<std::optional<v1::Organization>> previous =
        PreviousCreate<v1::Organization>(w.db, kOrganizationRequest, request_id, kSelectBody);
    if (!previous.ok()) return previous.status();
    if (previous->has_value()) {
      stored = **previous;
      return absl::OkStatus();
    }
    absl::StatusOr<std::optional<v1::Organization>> existing =
        LoadBody<v1::Organization>(w.db, kSelectBody, name);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return absl::AlreadyExistsError(absl::StrCat(What(name), " already exists"));
    }
    absl::StatusOr<int64_t> version = w.Version();
    if (!version.ok()) return version.status();
    stored = organization;
    *stored.mutable_create_time() = ToTimestamp(w.now);
    *stored.mutable_update_time() = ToTimestamp(w.now);
    stored.set_etag(EtagOf(*version));
    absl::StatusOr<Statement> insert =
        w.db.Prepare("INSERT INTO organizations (name, version, body) VALUES (?, ?, ?)");
    if (!insert.ok()) return insert.status();
    insert->Bind(name).Bind(*version).BindBlob(stored.SerializeAsString());
    if (absl::Status s = insert->Run(); !s.ok()) return s;
    return RecordRequest(w, kOrganizationRequest, request_id, {name});
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::Organization> SqliteStore::GetOrganization(absl::string_view name) {
  if (auto id = ParseOrganizationName(name, "name"); !id.ok()) return id.status();
  v1::Organization organization;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<v1::Organization> found = Load(db, name);
    if (!found.ok()) return found.status();
    organization = *std::move(found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return organization;
}

absl::StatusOr<ListResult<v1::Organization>> SqliteStore::ListOrganizations(Page page) {
  return ReadPage<v1::Organization>(
      {.select = "SELECT body, name FROM organizations ORDER BY name LIMIT ? OFFSET ?",
       .count = "SELECT count(*) FROM organizations"},
      page);
}

absl::StatusOr<v1::Organization> SqliteStore::UpdateOrganization(
    const v1::Organization& organization, absl::string_view expected_etag) {
  const std::string& name = organization.name();
  if (auto id = ParseOrganizationName(name, "organization.name"); !id.ok()) return id.status();
  v1::Organization stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Organization> current = Load(w.db, name);
    if (!current.ok()) return current.status();
    if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
    absl::StatusOr<int64_t> version = w.Version();
    if (!version.ok()) return version.status();
    stored = organization;
    *stored.mutable_create_time() = current->create_time();
    *stored.mutable_update_time() = ToTimestamp(w.now);
    stored.set_etag(EtagOf(*version));
    absl::StatusOr<Statement> update =
        w.db.Prepare("UPDATE organizations SET version = ?, body = ? WHERE name = ?");
    if (!update.ok()) return update.status();
    update->Bind(*version).BindBlob(stored.SerializeAsString()).Bind(name);
    return update->Run();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::Status SqliteStore::DeleteOrganization(absl::string_view name, bool force,
                                             absl::string_view expected_etag) {
  if (auto id = ParseOrganizationName(name, "name"); !id.ok()) return id.status();
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Organization> current = Load(w.db, name);
    if (!current.ok()) return current.status();
    if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
    if (!force) {
      absl::Status refused = RefuseIfChildren(
          w.db, What(name), name,
          {"SELECT count(*) FROM plans WHERE organization = ?", "plan", "plans",
           "delete them first, or delete with force to remove everything below it"});
      if (!refused.ok()) return refused;
    }
    // ON DELETE CASCADE removes its plans, their initiatives and outcomes.
    if (absl::Status s = DeleteRow(w.db, "organizations", name); !s.ok()) return s;
    return force ? ClearDanglingRelists(w) : absl::OkStatus();
  });
}

}  // namespace torikumi::store::sqlite
