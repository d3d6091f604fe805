// Splits decoded table text into records (rows) of cells, as Excel writes CSV and
// tab-separated text: a field that starts with '"' is quoted, may hold delimiters and
// line breaks, and "" inside it is one quote.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/table/finding.h"

namespace torikumi::table {

struct Cell {
  std::string raw;   // as written, spaces trimmed at both ends (kept verbatim otherwise)
  std::string norm;  // NFKC form of raw, what the parser matches on
  int line = 0;      // 1-based input line where the cell starts
  int column = 0;    // 1-based cell index in its record
  bool empty() const { return raw.empty(); }
};

struct Record {
  int line = 0;  // where the record starts
  std::vector<Cell> cells;
  bool blank() const;
  // The non-empty cells' raw text joined by single spaces.
  std::string JoinedText() const;
};

enum class Delimiter { kTab, kComma };

// Tab when any of the first lines holds tabs, else comma.
Delimiter DetectDelimiter(absl::string_view text);

// Unterminated quotes are repaired (the quote is taken as a literal character) and
// reported to `findings`; text after a closing quote is kept and reported.
std::vector<Record> SplitRecords(absl::string_view text, Delimiter delimiter,
                                 FindingSink* findings);

}  // namespace torikumi::table
