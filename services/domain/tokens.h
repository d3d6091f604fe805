// API tokens: creation (a random secret shown once, kept only as its SHA-256), listing,
// revocation, and checking a secret a client sent.
#pragma once

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/store.h"
#include "torikumi/v1/token_service.pb.h"

namespace torikumi::domain {

class Tokens {
 public:
  explicit Tokens(store::Store& store) : store_(store) {}

  // `creator` is the principal asking (recorded on the token).
  absl::StatusOr<v1::CreateTokenResponse> Create(const v1::CreateTokenRequest& request,
                                                 absl::string_view creator);
  absl::StatusOr<v1::ListTokensResponse> List(const v1::ListTokensRequest& request);
  absl::StatusOr<v1::DeleteTokenResponse> Delete(const v1::DeleteTokenRequest& request);

  // The token of `secret`: UNAUTHENTICATED when no token has it (never made, or revoked) or
  // when it has expired.
  absl::StatusOr<v1::Token> Verify(absl::string_view secret);

  // When no server admin token exists: creates one (tokens/bootstrap-admin) and hands its
  // secret to `deliver` (which writes it where its owner finds it); when that fails, the
  // token is revoked again, so a next start makes a new one. Returns whether one was made.
  absl::StatusOr<bool> CreateBootstrapToken(
      absl::FunctionRef<absl::Status(absl::string_view secret)> deliver);

 private:
  store::Store& store_;
};

// "organizations/{o}" of a token name, "" for a server admin token (tokens/{t}).
std::string TokenOrganization(absl::string_view token_name);

}  // namespace torikumi::domain
