#include "services/common/text.h"

#include <cstdlib>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "utf8proc.h"

namespace torikumi {
namespace {

const utf8proc_uint8_t* Bytes(absl::string_view text) {
  return reinterpret_cast<const utf8proc_uint8_t*>(text.data());
}

// Replacement for a byte that is not UTF-8 when measuring or padding: one column wide.
constexpr utf8proc_int32_t kReplacement = 0xFFFD;
constexpr absl::string_view kReplacementUtf8 = "\xEF\xBF\xBD";
constexpr absl::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026 "…"
constexpr utf8proc_int32_t kEllipsisCodePoint = 0x2026;

int CharWidth(utf8proc_int32_t cp) { return utf8proc_charwidth(cp); }

// One user-perceived character (a grapheme cluster: a base plus its combining marks), so
// truncation never separates a mark from its base. Invalid bytes are single clusters
// rendered as U+FFFD.
struct Cluster {
  std::string utf8;
  int width = 0;
};

std::vector<Cluster> SplitClusters(absl::string_view text) {
  std::vector<Cluster> clusters;
  utf8proc_int32_t previous = -1;
  utf8proc_int32_t state = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp;
    const size_t n = DecodeUtf8At(text, pos, &cp);
    if (n == 0) {
      clusters.push_back({std::string(kReplacementUtf8), CharWidth(kReplacement)});
      previous = -1;
      state = 0;
      pos += 1;
      continue;
    }
    // The stateful break check must see every adjacent pair in order; it keeps the history
    // that rules such as regional-indicator pairs and emoji ZWJ sequences need.
    if (previous < 0 || utf8proc_grapheme_break_stateful(previous, cp, &state)) {
      clusters.emplace_back();
    }
    absl::StrAppend(&clusters.back().utf8, text.substr(pos, n));
    clusters.back().width += CharWidth(cp);
    previous = cp;
    pos += n;
  }
  return clusters;
}

}  // namespace

size_t DecodeUtf8At(absl::string_view text, size_t pos, char32_t* code_point) {
  utf8proc_int32_t cp = 0;
  utf8proc_ssize_t n = utf8proc_iterate(Bytes(text) + pos, text.size() - pos, &cp);
  if (n <= 0) return 0;
  *code_point = static_cast<char32_t>(cp);
  return static_cast<size_t>(n);
}

size_t FirstInvalidUtf8(absl::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp;
    const size_t n = DecodeUtf8At(text, pos, &cp);
    if (n == 0) return pos;
    pos += n;
  }
  return absl::string_view::npos;
}

std::string CutUtf8(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return absl::StrCat(text.substr(0, end), "…");
}

bool IsValidUtf8(absl::string_view text) {
  return FirstInvalidUtf8(text) == absl::string_view::npos;
}

std::string ToValidUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp;
    const size_t n = DecodeUtf8At(text, pos, &cp);
    if (n == 0) {
      out.append(kReplacementUtf8.data(), kReplacementUtf8.size());
      ++pos;
    } else {
      out.append(text.data() + pos, n);
      pos += n;
    }
  }
  return out;
}

absl::StatusOr<std::string> NormalizeNfkc(absl::string_view text) {
  size_t bad = FirstInvalidUtf8(text);
  if (bad != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("text is not valid UTF-8 at byte offset ", bad, " (byte 0x",
                     absl::Hex(static_cast<unsigned char>(text[bad]), absl::kZeroPad2), ")"));
  }
  if (text.empty()) return std::string();
  utf8proc_uint8_t* out = nullptr;
  // No UTF8PROC_NULLTERM: the length is explicit, so embedded NULs survive.
  utf8proc_ssize_t n = utf8proc_map(
      Bytes(text), static_cast<utf8proc_ssize_t>(text.size()), &out,
      static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_STABLE));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
  if (n < 0) {
    return absl::InvalidArgumentError(absl::StrCat("cannot normalise text: ", utf8proc_errmsg(n)));
  }
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

absl::StatusOr<std::u32string> ComparableCodePoints(absl::string_view text) {
  absl::StatusOr<std::string> normalized = NormalizeNfkc(text);
  if (!normalized.ok()) return normalized.status();
  std::u32string kept;
  size_t pos = 0;
  while (pos < normalized->size()) {
    char32_t cp;
    const size_t n = DecodeUtf8At(*normalized, pos, &cp);  // valid: NormalizeNfkc checked it
    pos += n;
    // The category's first letter: Z separators, P punctuation, C controls.
    const char major = utf8proc_category_string(cp)[0];
    if (major != 'Z' && major != 'P' && major != 'C') kept.push_back(cp);
  }
  return kept;
}

int DisplayWidth(absl::string_view text) {
  int width = 0;
  for (const Cluster& cluster : SplitClusters(text)) width += cluster.width;
  return width;
}

std::string PadToWidth(absl::string_view text, int width) {
  if (width <= 0) return std::string();
  std::vector<Cluster> clusters = SplitClusters(text);
  int total = 0;
  for (const Cluster& c : clusters) total += c.width;

  std::string out;
  int used = 0;
  if (total <= width) {
    for (const Cluster& c : clusters) out += c.utf8;
    used = total;
  } else {
    // Keep whole clusters while they and the ellipsis still fit; a wide character that
    // would straddle the limit is dropped and its column becomes padding.
    const int ellipsis_width = CharWidth(kEllipsisCodePoint);
    if (ellipsis_width > width) return std::string(static_cast<size_t>(width), ' ');
    for (const Cluster& c : clusters) {
      if (used + c.width + ellipsis_width > width) break;
      out += c.utf8;
      used += c.width;
    }
    absl::StrAppend(&out, kEllipsis);
    used += ellipsis_width;
  }
  out.append(static_cast<size_t>(width - used), ' ');
  return out;
}

}  // namespace torikumi
