// API tokens in the PostgreSQL store: the body plus the SHA-256 of the secret, never the
// secret.
#include "absl/strings/str_cat.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {
namespace {

constexpr char kSelectBody[] = "SELECT body FROM tokens WHERE name = $1";

constexpr char kSelectByHash[] = "SELECT body FROM tokens WHERE secret_sha256 = $1";

// Stores `stored` (create_time as the caller set it) with the hash of its secret; sets its
// etag. NOT_FOUND without the organization, ALREADY_EXISTS for a taken name or hash.
absl::Status InsertToken(WriteContext& w, v1::Token& stored, absl::string_view secret_sha256) {
  const std::string organization = rules::TokenOrganization(stored.name());
  if (!organization.empty()) {
    absl::Status exists =
        CheckParentExists(w.tx, "organizations", "organization", organization, stored.name());
    if (!exists.ok()) return exists;
  }
  if (LoadBody<v1::Token>(w.tx, kSelectBody, stored.name()).has_value()) {
    return absl::AlreadyExistsError(absl::StrCat("token '", stored.name(), "' already exists"));
  }
  if (LoadBody<v1::Token>(w.tx, kSelectByHash, secret_sha256).has_value()) {
    return absl::AlreadyExistsError(
        absl::StrCat("token '", stored.name(), "': another token has the same secret"));
  }
  const int64_t version = w.Version();
  stored.set_etag(EtagOf(version));
  // No organization for a server admin token: the subquery finds no row, so NULL.
  w.tx.exec_params(
      "INSERT INTO tokens (name, organization_id, secret_sha256, version, body) "
      "VALUES ($1, (SELECT id FROM organizations WHERE name = $2), $3, $4, $5)",
      stored.name(), organization, std::string(secret_sha256), version, Bytes(stored));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Token> PostgresStore::CreateToken(const v1::Token& token,
                                                     absl::string_view secret_sha256) {
  v1::Token stored = token;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    *stored.mutable_create_time() = ToTimestamp(w.now);
    return InsertToken(w, stored, secret_sha256);
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::Token> PostgresStore::RestoreToken(const StoredToken& token) {
  v1::Token stored = token.token;
  absl::Status status = Write(
      [&](WriteContext& w) -> absl::Status { return InsertToken(w, stored, token.secret_sha256); });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<std::vector<StoredToken>> PostgresStore::ListStoredTokens() {
  std::vector<StoredToken> tokens;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    for (const pqxx::row& row :
         tx.exec("SELECT body, name, secret_sha256 FROM tokens ORDER BY name")) {
      tokens.push_back({ParseBody<v1::Token>(row[0], row[1].c_str()), row[2].as<std::string>()});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return tokens;
}

absl::StatusOr<v1::Token> PostgresStore::FindToken(absl::string_view secret_sha256) {
  std::optional<v1::Token> token;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    token = LoadBody<v1::Token>(tx, kSelectByHash, secret_sha256);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!token.has_value()) return absl::NotFoundError("no such token");
  return *std::move(token);
}

absl::StatusOr<ListResult<v1::Token>> PostgresStore::ListTokens(absl::string_view parent,
                                                                Page page) {
  if (parent.empty()) {
    return ReadPage<v1::Token>(
        {.select = "SELECT body, name FROM tokens WHERE organization_id IS NULL ORDER BY name",
         .count = "SELECT count(*) FROM tokens WHERE organization_id IS NULL"},
        page);
  }
  const std::string where =
      " WHERE organization_id = (SELECT id FROM organizations WHERE name = $1)";
  return ReadPage<v1::Token>(
      {.select = absl::StrCat("SELECT body, name FROM tokens", where, " ORDER BY name"),
       .count = absl::StrCat("SELECT count(*) FROM tokens", where),
       .arguments = {std::string(parent)},
       .parent = ListQuery::Parent{"organizations", "organization", std::string(parent)}},
      page);
}

absl::Status PostgresStore::DeleteToken(absl::string_view name) {
  return Write([&](WriteContext& w) -> absl::Status {
    if (!LoadBody<v1::Token>(w.tx, kSelectBody, name).has_value()) {
      return absl::NotFoundError(absl::StrCat("token '", name, "' not found"));
    }
    DeleteRow(w.tx, "tokens", name);
    return absl::OkStatus();
  });
}

}  // namespace torikumi::store::postgres
