// Tables and field lists for people. Columns are aligned by display width (DisplayWidth), so
// rows mixing 漢字 (two columns each) and ASCII line up in a terminal.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace torikumi::cli {

class TablePrinter {
 public:
  struct Column {
    std::string header;
    // Cells wider than this are cut and end in "…"; no limit when not set.
    std::optional<int> max_width = std::nullopt;
  };

  explicit TablePrinter(std::vector<Column> columns);

  // Missing trailing cells print empty; line breaks and tabs inside a cell become spaces.
  void AddRow(std::vector<std::string> cells);
  size_t row_count() const { return rows_.size(); }

  // Header line, then one line per row. Every cell is padded to its column's width, so every
  // line has the same display width.
  void Print(std::ostream& out) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// "label:  value" lines with the values aligned, for one resource (`get`, `create`).
// Fields whose value is empty are left out.
void PrintFields(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& fields);

// Collapses line breaks and tabs to single spaces so a cell stays on one line.
std::string OneLine(absl::string_view text);

}  // namespace torikumi::cli
