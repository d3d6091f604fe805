// API tokens in the SQLite store: the body plus the SHA-256 of the secret, never the secret.
#include "absl/strings/str_cat.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {
namespace {

constexpr absl::string_view kSelectBody = "SELECT body FROM tokens WHERE name = ?";
constexpr absl::string_view kSelectByHash = "SELECT body FROM tokens WHERE secret_sha256 = ?";

using rules::TokenOrganization;

// Whether `select` finds a row with `key` bound.
absl::StatusOr<bool> RowExists(Connection& db, absl::string_view select, absl::string_view key) {
  absl::StatusOr<Statement> query = db.Prepare(select);
  if (!query.ok()) return query.status();
  query->Bind(key);
  return query->Step();
}

// Stores `stored` (create_time as the caller set it) with the hash of its secret; sets its
// etag. NOT_FOUND without the organization, ALREADY_EXISTS for a taken name or hash.
absl::Status InsertToken(WriteContext& w, v1::Token& stored, absl::string_view secret_sha256) {
  const std::string organization = TokenOrganization(stored.name());
  if (!organization.empty()) {
    absl::Status exists =
        CheckParentExists(w.db, "organizations", "organization", organization, stored.name());
    if (!exists.ok()) return exists;
  }
  absl::StatusOr<bool> name_taken = RowExists(w.db, kSelectBody, stored.name());
  if (!name_taken.ok()) return name_taken.status();
  if (*name_taken) {
    return absl::AlreadyExistsError(absl::StrCat("token '", stored.name(), "' already exists"));
  }
  absl::StatusOr<bool> hash_taken = RowExists(w.db, kSelectByHash, secret_sha256);
  if (!hash_taken.ok()) return hash_taken.status();
  if (*hash_taken) {
    return absl::AlreadyExistsError(
        absl::StrCat("token '", stored.name(), "': another token has the same secret"));
  }
  absl::StatusOr<int64_t> version = w.Version();
  if (!version.ok()) return version.status();
  stored.set_etag(EtagOf(*version));
  absl::StatusOr<Statement> insert = w.db.Prepare(
      "INSERT INTO tokens (name, organization, secret_sha256, version, body) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(stored.name())
      .BindTextOrNull(organization)
      .Bind(secret_sha256)
      .Bind(*version)
      .BindBlob(stored.SerializeAsString());
  return insert->Run();
}

}  // namespace

absl::StatusOr<v1::Token> SqliteStore::CreateToken(const v1::Token& token,
                                                   absl::string_view secret_sha256) {
  v1::Token stored = token;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    *stored.mutable_create_time() = ToTimestamp(w.now);
    return InsertToken(w, stored, secret_sha256);
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::Token> SqliteStore::RestoreToken(const StoredToken& token) {
  v1::Token stored = token.token;
  absl::Status status = Write(
      [&](WriteContext& w) -> absl::Status { return InsertToken(w, stored, token.secret_sha256); });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<std::vector<StoredToken>> SqliteStore::ListStoredTokens() {
  std::vector<StoredToken> tokens;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<Statement> select =
        db.Prepare("SELECT body, name, secret_sha256 FROM tokens ORDER BY name");
    if (!select.ok()) return select.status();
    while (true) {
      absl::StatusOr<bool> row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      absl::StatusOr<v1::Token> token =
          ParseBody<v1::Token>(select->ColumnBlob(0), select->ColumnText(1));
      if (!token.ok()) return token.status();
      tokens.push_back({*std::move(token), select->ColumnText(2)});
    }
  });
  if (!status.ok()) return status;
  return tokens;
}

absl::StatusOr<v1::Token> SqliteStore::FindToken(absl::string_view secret_sha256) {
  std::optional<v1::Token> token;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<std::optional<v1::Token>> found =
        LoadBody<v1::Token>(db, kSelectByHash, secret_sha256);
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
