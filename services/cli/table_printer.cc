#include "services/cli/table_printer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/text.h"

namespace torikumi::cli {

namespace {
constexpr absl::string_view kColumnGap = "  ";
}  // namespace

std::string OneLine(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool last_was_space = false;
  for (char c : text) {
    bool is_break = c == '\n' || c == '\r' || c == '\t';
    if (is_break) {
      if (!last_was_space && !out.empty()) out.push_back(' ');
      last_was_space = true;
      continue;
    }
    out.push_back(c);
    last_was_space = c == ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

TablePrinter::TablePrinter(std::vector<Column> columns) : columns_(std::move(columns)) {}

void TablePrinter::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (auto& cell : cells) cell = OneLine(cell);
  rows_.push_back(std::move(cells));
}

void TablePrinter::Print(std::ostream& out) const {
  std::vector<int> widths;
  for (size_t c = 0; c < columns_.size(); ++c) {
    int width = DisplayWidth(columns_[c].header);
    for (const auto& row : rows_) width = std::max(width, DisplayWidth(row[c]));
    if (columns_[c].max_width.has_value()) {
      width = std::min(width, std::max(*columns_[c].max_width, DisplayWidth(columns_[c].header)));
    }
    widths.push_back(width);
  }
  auto print_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) absl::StrAppend(&line, kColumnGap);
      absl::StrAppend(&line, PadToWidth(cells[c], widths[c]));
    }
    out << line << "\n";
  };
  std::vector<std::string> headers;
  for (const auto& column : columns_) headers.push_back(column.header);
  print_line(headers);
  for (const auto& row : rows_) print_line(row);
}

void PrintFields(std::ostream& out,
                 const std::vector<std::pair<std::string, std::string>>& fields) {
  int width = 0;
  for (const auto& [label, value] : fields) {
    if (!value.empty()) width = std::max(width, DisplayWidth(label) + 1);
  }
  for (const auto& [label, value] : fields) {
    if (value.empty()) continue;
    out << PadToWidth(absl::StrCat(label, ":"), width) << kColumnGap << value << "\n";
  }
}

}  // namespace torikumi::cli
