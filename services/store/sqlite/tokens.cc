// API tokens in the SQLite store: the body plus the SHA-256 of the secret, never the secret.
#include "absl/strings/str_cat.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {
namespace {

constexpr absl::string_view kSelectBody = "SELECT body FROM tokens WHERE name = ?";

using rules::TokenOrganization;

}  // namespace

absl::StatusOr<v1::Token> SqliteStore::CreateToken(const v1::Token& token,
                                                   absl::string_view secret_sha256) {
  const std::string organization = TokenOrganization(token.name());
  v1::Token stored = token;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    if (!organization.empty()) {
      absl::Status exists =
          CheckParentExists(w.db, "organizations", "organization", organization, token.name());
      if (!exists.ok()) return exists;
    }
    absl::StatusOr<std::optional<v1::Token>> existing =
        LoadBody<v1::Token>(w.db, kSelectBody, token.name());
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return absl::AlreadyExistsError(absl::StrCat("token '", token.name(), "' already exists"));
    }
    absl::StatusOr<int64_t> version = w.Version();
    if (!version.ok()) return version.status();
    *stored.mutable_create_time() = ToTimestamp(w.now);
    stored.set_etag(EtagOf(*version));
    absl::StatusOr<Statement> insert = w.db.Prepare(
        "INSERT INTO tokens (name, organization, secret_sha256, version, body) "
        "VALUES (?, ?, ?, ?, ?)");
    if (!insert.ok()) return insert.status();
    insert->Bind(token.name())
        .BindTextOrNull(organization)
        .Bind(secret_sha256)
        .Bind(*version)
        .BindBlob(stored.SerializeAsString());
    return insert->Run();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::Token> SqliteStore::FindToken(absl::string_view secret_sha256) {
  std::optional<v1::Token> token;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<std::optional<v1::Token>> found =
        LoadBody<v1::Token>(db, "SELECT body FROM tokens WHERE secret_sha256 = ?", secret_sha256);
    if (!found.ok()) return found.status();
    token = *std::move(found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!token.has_value()) return absl::NotFoundError("no such token");
  return *std::move(token);
}

absl::StatusOr<ListResult<v1::Token>> SqliteStore::ListTokens(absl::string_view parent, Page page) {
  if (parent.empty()) {
    return ReadPage<v1::Token>(
        {.select = "SELECT body, name FROM tokens WHERE organization IS NULL ORDER BY name "
                   "LIMIT ? OFFSET ?",
         .count = "SELECT count(*) FROM tokens WHERE organization IS NULL"},
        page);
  }
  return ReadPage<v1::Token>(
      {.select = "SELECT body, name FROM tokens WHERE organization = ? ORDER BY name "
                 "LIMIT ? OFFSET ?",
       .count = "SELECT count(*) FROM tokens WHERE organization = ?",
       .arguments = {std::string(parent)},
       .parent = ListQuery::Parent{"organizations", "organization", std::string(parent)}},
      page);
}

absl::Status SqliteStore::DeleteToken(absl::string_view name) {
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<std::optional<v1::Token>> existing =
        LoadBody<v1::Token>(w.db, kSelectBody, name);
    if (!existing.ok()) return existing.status();
    if (!existing->has_value()) {
      return absl::NotFoundError(absl::StrCat("token '", name, "' not found"));
    }
    return DeleteRow(w.db, "tokens", name);
  });
}

}  // namespace torikumi::store::sqlite
