#include "services/table/text_util.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "services/common/text.h"

namespace torikumi::table {
namespace {

constexpr absl::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000
constexpr absl::string_view kNoBreakSpace = "\xC2\xA0";          // U+00A0

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Length of the space sequence starting at `pos`, 0 when there is none.
size_t SpaceAt(absl::string_view text, size_t pos) {
  if (IsAsciiSpace(text[pos])) return 1;
  absl::string_view rest = text.substr(pos);
  if (absl::StartsWith(rest, kIdeographicSpace)) return kIdeographicSpace.size();
  if (absl::StartsWith(rest, kNoBreakSpace)) return kNoBreakSpace.size();
  return 0;
}

// Length of the space sequence ending just before `end`, 0 when there is none.
size_t SpaceBefore(absl::string_view text, size_t end) {
  if (IsAsciiSpace(text[end - 1])) return 1;
  absl::string_view head = text.substr(0, end);
  if (absl::EndsWith(head, kIdeographicSpace)) return kIdeographicSpace.size();
  if (absl::EndsWith(head, kNoBreakSpace)) return kNoBreakSpace.size();
  return 0;
}

size_t CodePointLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

}  // namespace

absl::string_view TrimSpaces(absl::string_view text) {
  size_t begin = 0;
  while (begin < text.size()) {
    size_t n = SpaceAt(text, begin);
    if (n == 0) break;
    begin += n;
  }
  size_t end = text.size();
  while (end > begin) {
    size_t n = SpaceBefore(text, end);
    if (n == 0) break;
    end -= n;
  }
  return text.substr(begin, end - begin);
}

std::string Nfkc(absl::string_view text) {
  absl::StatusOr<std::string> normalized = NormalizeNfkc(text);
  if (!normalized.ok()) return std::string(text);
  return *std::move(normalized);
}

std::vector<Item> SplitItems(absl::string_view text) {
  std::vector<Item> items;
  size_t pos = 0;
  size_t start = std::string::npos;
  while (pos < text.size()) {
    size_t n = SpaceAt(text, pos);
    if (n > 0) {
      if (start != std::string::npos) {
        items.push_back({text.substr(start, pos - start), start});
        start = std::string::npos;
      }
      pos += n;
    } else {
      if (start == std::string::npos) start = pos;
      pos += CodePointLength(static_cast<unsigned char>(text[pos]));
    }
  }
  if (start != std::string::npos) items.push_back({text.substr(start), start});
  return items;
}

int CodePointCount(absl::string_view text) {
  int count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

absl::string_view FirstCodePoint(absl::string_view text) {
  if (text.empty()) return text;
  size_t n = CodePointLength(static_cast<unsigned char>(text[0]));
  return text.substr(0, std::min(n, text.size()));
}

bool IsDashOnly(absl::string_view text) {
  text = TrimSpaces(text);
  if (text.empty()) return false;
  static constexpr absl::string_view kDashes[] = {"-",
                                                  "\xEF\xBC\x8D" /* － */,
                                                  "\xE2\x80\x95" /* ― */,
                                                  "\xE2\x80\x94" /* — */,
                                                  "\xE3\x83\xBC" /* ー */,
                                                  "\xE2\x80\x90" /* ‐ */,
                                                  "\xE2\x88\x92" /* − */};
  while (!text.empty()) {
    bool matched = false;
    for (absl::string_view dash : kDashes) {
      if (absl::StartsWith(text, dash)) {
        text.remove_prefix(dash.size());
        matched = true;
        break;
      }
    }
    if (!matched) return false;
  }
  return true;
}

std::string RemoveAll(absl::string_view text, absl::string_view marker) {
  std::string out = absl::StrReplaceAll(text, {{marker, ""}});
  return std::string(TrimSpaces(out));
}

}  // namespace torikumi::table
