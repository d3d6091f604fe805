#include "services/domain/tokens.h"

#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/common/timestamp.h"
#include "services/domain/page_token.h"
#include "services/domain/sha256.h"
#include "services/domain/validation.h"

namespace torikumi::domain {
namespace {

// Secrets start with this, so that a leaked one is easy to recognise (and grep for).
constexpr absl::string_view kSecretPrefix = "trk_";
constexpr int kSecretBytes = 32;

absl::StatusOr<std::string> NewSecret() {
  unsigned char bytes[kSecretBytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return absl::InternalError("cannot make a token secret: OpenSSL's RAND_bytes failed");
  }
  return absl::StrCat(kSecretPrefix, absl::WebSafeBase64Escape(absl::string_view(
                                         reinterpret_cast<const char*>(bytes), sizeof(bytes))));
}

void ValidateRole(const std::string& parent, v1::Role role, FieldViolations* violations) {
  if (parent.empty()) {
    if (role != v1::ROLE_SERVER_ADMIN) {
      violations->Add("token.role", "a server-level token (no parent) must be ROLE_SERVER_ADMIN");
    }
  } else if (role < v1::ROLE_VIEWER || role > v1::ROLE_ADMIN) {
    violations->Add("token.role", absl::StrCat("an organization's token needs a role from "
                                               "ROLE_VIEWER to ROLE_ADMIN, not ",
                                               v1::Role_Name(role)));
  }
}

absl::StatusOr<v1::CreateTokenResponse> Store(store::Store& store, v1::Token token,
                                              absl::string_view id) {
  absl::StatusOr<std::string> secret = NewSecret();
  if (!secret.ok()) return secret.status();
  token.set_name(absl::StrCat(token.name(), token.name().empty() ? "" : "/", "tokens/", id));
  absl::StatusOr<v1::Token> created = store.CreateToken(token, Sha256Hex(*secret));
  if (!created.ok()) return created.status();
  v1::CreateTokenResponse response;
  *response.mutable_token() = *std::move(created);
  response.set_secret(*std::move(secret));
  return response;
}

}  // namespace

std::string TokenOrganization(absl::string_view token_name) {
  const size_t at = token_name.find("/tokens/");
  return at == absl::string_view::npos ? "" : std::string(token_name.substr(0, at));
}

absl::StatusOr<v1::CreateTokenResponse> Tokens::Create(const v1::CreateTokenRequest& request,
                                                       absl::string_view creator) {
  FieldViolations violations;
  if (!request.parent().empty()) {
    if (auto id = ParseOrganizationName(request.parent(), "parent"); !id.ok()) return id.status();
  }
  ValidateOptionalId(request.token_id(), "token_id", &violations);
  ValidateRole(request.parent(), request.token().role(), &violations);
  if (request.token().has_expire_time() &&
      FromTimestamp(request.token().expire_time()) <= absl::Now()) {
    violations.Add("token.expire_time", "must be in the future");
  }
  if (!violations.empty()) return violations.ToStatus();
  v1::Token token;
  token.set_name(request.parent());  // Store() appends tokens/{id}
  token.set_display_name(request.token().display_name());
  token.set_role(request.token().role());
  if (request.token().has_expire_time())
    *token.mutable_expire_time() = request.token().expire_time();
  token.set_creator(std::string(creator));
  return Store(store_, std::move(token),
               request.token_id().empty() ? GenerateId('t') : request.token_id());
}

absl::StatusOr<v1::ListTokensResponse> Tokens::List(const v1::ListTokensRequest& request) {
  if (!request.parent().empty()) {
    if (auto id = ParseOrganizationName(request.parent(), "parent"); !id.ok()) return id.status();
  }
  const std::string query = absl::StrCat("tokens\n", request.parent());
  absl::StatusOr<store::Page> page =
      PageFromRequest(request.page_size(), request.page_token(), query);
  if (!page.ok()) return page.status();
  absl::StatusOr<store::ListResult<v1::Token>> result = store_.ListTokens(request.parent(), *page);
  if (!result.ok()) return result.status();
  v1::ListTokensResponse response;
  for (v1::Token& token : result->items) *response.add_tokens() = std::move(token);
  response.set_next_page_token(NextPageToken(*page, response.tokens_size(), result->total, query));
  response.set_total_size(TotalSize(result->total));
  return response;
}

absl::StatusOr<v1::DeleteTokenResponse> Tokens::Delete(const v1::DeleteTokenRequest& request) {
  const std::string organization = TokenOrganization(request.name());
  const absl::string_view id =
      absl::string_view(request.name()).substr(organization.empty() ? 0 : organization.size() + 1);
  if (!absl::StartsWith(id, "tokens/") || !IsValidId(id.substr(7)) ||
      (!organization.empty() && !ParseOrganizationName(organization, "name").ok())) {
    return InvalidField("name", absl::StrCat("'", request.name(),
                                             "' is not a token name (organizations/{o}/tokens/{t} "
                                             "or tokens/{t})"));
  }
  if (absl::Status s = store_.DeleteToken(request.name()); !s.ok()) return s;
  return v1::DeleteTokenResponse();
}

absl::StatusOr<v1::Token> Tokens::Verify(absl::string_view secret) {
  absl::StatusOr<v1::Token> token = store_.FindToken(Sha256Hex(secret));
  if (absl::IsNotFound(token.status())) {
    return absl::UnauthenticatedError("the bearer token is not valid (unknown or revoked)");
  }
  if (!token.ok()) return token.status();
  if (token->has_expire_time() && FromTimestamp(token->expire_time()) <= absl::Now()) {
    return absl::UnauthenticatedError(
        absl::StrCat("the bearer token ", token->name(), " has expired"));
  }
  return token;
}

absl::StatusOr<bool> Tokens::CreateBootstrapToken(
    absl::FunctionRef<absl::Status(absl::string_view secret)> deliver) {
  absl::StatusOr<store::ListResult<v1::Token>> existing = store_.ListTokens("", {.limit = 0});
  if (!existing.ok()) return existing.status();
  if (existing->total > 0) return false;
  v1::Token token;
  token.set_display_name("bootstrap server admin");
  token.set_role(v1::ROLE_SERVER_ADMIN);
  token.set_creator("system");
  absl::StatusOr<v1::CreateTokenResponse> created =
      Store(store_, std::move(token), "bootstrap-admin");
  if (!created.ok()) return created.status();
  if (absl::Status delivered = deliver(created->secret()); !delivered.ok()) {
    if (absl::Status revoked = store_.DeleteToken(created->token().name()); !revoked.ok()) {
      return absl::Status(delivered.code(),
                          absl::StrCat(delivered.message(), "; and revoking ",
                                       created->token().name(), " failed: ", revoked.message()));
    }
    return delivered;
  }
  return true;
}

}  // namespace torikumi::domain
