// Findings: everything the table reader noticed, repaired, guessed or could not place,
// each with the line, column and text concerned. Nothing is dropped silently.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "torikumi/v1/table.pb.h"

namespace torikumi::table {

enum class Severity {
  kInfo,    // worth knowing; nothing changed
  kRepair,  // the layout was fixed (a shifted cell, an extra ⇒)
  kGuess,   // one reading of several was chosen
  kError,   // could not be read or placed; left out
};

struct Finding {
  int line = 0;    // 1-based input line where the cell starts
  int column = 0;  // 1-based cell index; 0 for the whole line
  std::string text;
  std::string action;
  Severity severity = Severity::kInfo;
};

absl::string_view SeverityName(Severity severity);

// "line 13, column 10 (repair): ⇒ — dropped the extra ⇒ …"; for logs and CLI output.
std::string FormatFinding(const Finding& finding);

v1::TableFinding ToProto(const Finding& finding);

// Collects findings up to a limit, so hostile input cannot make the list unbounded;
// past the limit it counts what it left out and Take() ends the list with one error
// finding that says how many more there were.
class FindingSink {
 public:
  explicit FindingSink(size_t limit) : limit_(limit) {}

  void Add(int line, int column, absl::string_view text, std::string action, Severity severity);

  const std::vector<Finding>& findings() const { return findings_; }
  std::vector<Finding> Take();

 private:
  size_t limit_;
  size_t overflow_ = 0;
  std::vector<Finding> findings_;
};

// INVALID_ARGUMENT listing every finding that is not kInfo (one field violation each,
// field "table:LINE:COLUMN"), or OK when there is none. This is what `strict` means.
absl::Status StrictStatus(const std::vector<Finding>& findings);

// Text quoted in findings is cut to this many code points so a finding stays readable.
inline constexpr int kMaxQuotedCodePoints = 80;

// The first kMaxQuotedCodePoints code points of text, with "…" when cut.
std::string Quote(absl::string_view text);

}  // namespace torikumi::table
