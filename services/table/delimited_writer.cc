// TSV and CSV: the area grids printed row by row.
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "services/table/json_codec.h"
#include "services/table/table_grid.h"
#include "services/table/table_writer.h"

namespace torikumi::table {
namespace {

constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";

struct Style {
  char delimiter;
  absl::string_view line_end;
};

bool NeedsQuotes(absl::string_view field, char delimiter) {
  if (field.empty()) return false;
  if (field.front() == '"') return true;  // a leading quote would open a quoted field
  for (char c : field) {
    if (c == delimiter || c == '\n' || c == '\r') return true;
    if (delimiter == ',' && c == '"') return true;
  }
  return false;
}

void AppendField(absl::string_view field, char delimiter, std::string* out) {
  if (!NeedsQuotes(field, delimiter)) {
    out->append(field.data(), field.size());
    return;
  }
  out->push_back('"');
  out->append(absl::StrReplaceAll(field, {{"\"", "\"\""}}));
  out->push_back('"');
}

std::string Print(const v1::TableDocument& document, const Style& style) {
  std::string out;
  for (const AreaGrid& grid : BuildAreaGrids(document)) {
    for (const GridRow& row : grid.rows) {
      for (size_t c = 0; c < row.cells.size(); ++c) {
        if (c > 0) out.push_back(style.delimiter);
        AppendField(row.cells[c], style.delimiter, &out);
      }
      out.append(style.line_end.data(), style.line_end.size());
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> WriteTsv(const v1::TableDocument& document) {
  return Print(document, {'\t', "\n"});
}

absl::StatusOr<std::string> WriteCsv(const v1::TableDocument& document) {
  std::string out(kUtf8Bom);
  out += Print(document, {',', "\r\n"});
  return out;
}

absl::StatusOr<std::string> WriteJson(const v1::TableDocument& document) {
  return DocumentToJson(document);
}

}  // namespace torikumi::table
