// Small UTF-8 helpers the table reader shares: trimming Japanese and ASCII spaces,
// splitting text into space-separated items while keeping their place in the original.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace torikumi::table {

// Removes ASCII whitespace, U+3000 (ideographic space) and U+00A0 from both ends.
absl::string_view TrimSpaces(absl::string_view text);

// NFKC form of text that is already known to be valid UTF-8 (cells after decoding).
// Invalid input comes back unchanged rather than failing, so callers need no error path.
std::string Nfkc(absl::string_view text);

// A run of text between spaces; `offset` is where it starts in the text it came from.
struct Item {
  absl::string_view text;
  size_t offset = 0;
};

// Splits at runs of spaces (ASCII, U+3000, U+00A0) and newlines. Items view `text`.
std::vector<Item> SplitItems(absl::string_view text);

// Number of code points (for "is this a one-character grade code" decisions).
int CodePointCount(absl::string_view text);

// The first code point of `text` as UTF-8 bytes (empty for empty text).
absl::string_view FirstCodePoint(absl::string_view text);

// True when `text` consists only of dashes meaning "nothing here": - － ― — ー ‐.
bool IsDashOnly(absl::string_view text);

// Removes every occurrence of `marker` from `text` and trims the result.
std::string RemoveAll(absl::string_view text, absl::string_view marker);

}  // namespace torikumi::table
