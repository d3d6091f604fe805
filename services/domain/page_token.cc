#include "services/domain/page_token.h"

#include <algorithm>
#include <limits>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace torikumi::domain {
namespace {

constexpr unsigned char kTokenVersion = 1;
constexpr size_t kTokenBytes = 1 + 8 + 8;

// FNV-1a: stable across processes and builds, so a token outlives a server restart.
uint64_t Fingerprint(absl::string_view query) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : query) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

void AppendLittleEndian(uint64_t value, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t ReadLittleEndian(absl::string_view bytes) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i)
    value |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  return value;
}

std::string EncodeToken(int64_t offset, absl::string_view query) {
  std::string raw;
  raw.push_back(static_cast<char>(kTokenVersion));
  AppendLittleEndian(static_cast<uint64_t>(offset), &raw);
  AppendLittleEndian(Fingerprint(query), &raw);
  return absl::WebSafeBase64Escape(raw);
}

absl::Status BadToken(absl::string_view token, absl::string_view why) {
  // Long garbage is cut so the message stays readable.
  std::string shown(token.substr(0, 64));
  if (token.size() > 64) shown += "...";
  return InvalidField("page_token", absl::StrCat("'", shown, "' ", why));
}

}  // namespace

absl::StatusOr<store::Page> PageFromRequest(int32_t page_size, absl::string_view page_token,
                                            absl::string_view query) {
  store::Page page;
  if (page_size < 0) {
    return InvalidField("page_size", absl::StrCat(page_size, " is negative"));
  }
  page.limit = page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  if (page_token.empty()) return page;

  std::string raw;
  if (!absl::WebSafeBase64Unescape(page_token, &raw) || raw.size() != kTokenBytes ||
      static_cast<unsigned char>(raw[0]) != kTokenVersion) {
    return BadToken(page_token, "is not a page token from this service");
  }
  absl::string_view bytes(raw);
  uint64_t offset = ReadLittleEndian(bytes.substr(1, 8));
  uint64_t fingerprint = ReadLittleEndian(bytes.substr(9, 8));
  if (fingerprint != Fingerprint(query)) {
    return BadToken(page_token,
                    "belongs to a different query; send the same parent and filter as the "
                    "request that returned it");
  }
  if (offset > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return BadToken(page_token, "is not a page token from this service");
  }
  page.offset = static_cast<int64_t>(offset);
  return page;
}

std::string NextPageToken(const store::Page& page, size_t returned, int64_t total,
                          absl::string_view query) {
  int64_t next = page.offset + static_cast<int64_t>(returned);
  if (returned == 0 || next >= total) return "";
  return EncodeToken(next, query);
}

int32_t TotalSize(int64_t total) {
  if (total > std::numeric_limits<int32_t>::max()) return std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(total);
}

}  // namespace torikumi::domain
