// List paging: page_size rules and opaque page tokens.
//
// A token is web-safe base64 of a version byte, the offset of the next item and a
// fingerprint of the query (resource kind, parent, normalised filter). A token only works
// for the query that produced it; anything else, or bytes that are not a token, is
// INVALID_ARGUMENT on "page_token". Offsets are enough because every list has a stable order.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/store.h"

namespace torikumi::domain {

inline constexpr int32_t kDefaultPageSize = 50;
inline constexpr int32_t kMaxPageSize = 1000;

// `query` identifies the listing (e.g. "initiatives", parent and the serialised filter);
// callers build it the same way for the request and for its next token.
absl::StatusOr<store::Page> PageFromRequest(int32_t page_size, absl::string_view page_token,
                                            absl::string_view query);

// The token for the page after `page` that returned `returned` items of `total`; empty when
// that was the last page.
std::string NextPageToken(const store::Page& page, size_t returned, int64_t total,
                          absl::string_view query);

// The store's total as the API's int32 total_size (saturating).
int32_t TotalSize(int64_t total);

}  // namespace torikumi::domain
