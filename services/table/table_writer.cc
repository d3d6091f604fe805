#include "services/table/table_writer.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"

namespace torikumi::table {

void SortForDisplay(v1::TableDocument* document) {
  std::vector<std::string> areas(document->plan().areas().begin(), document->plan().areas().end());
  for (const v1::TableInitiative& row : document->initiatives()) {
    if (std::find(areas.begin(), areas.end(), row.initiative().area()) == areas.end()) {
      areas.push_back(row.initiative().area());
    }
  }
  auto rank = [&](const v1::TableInitiative& row) {
    return std::make_pair(
        std::find(areas.begin(), areas.end(), row.initiative().area()) - areas.begin(),
        row.initiative().number());
  };
  auto* rows = document->mutable_initiatives();
  std::stable_sort(rows->begin(), rows->end(),
                   [&](const v1::TableInitiative& a, const v1::TableInitiative& b) {
                     return rank(a) < rank(b);
                   });
}

absl::StatusOr<std::string> WriteTable(const v1::TableDocument& document, v1::TableFormat format) {
  switch (format) {
    case v1::TABLE_FORMAT_TSV:
      return WriteTsv(document);
    case v1::TABLE_FORMAT_CSV:
      return WriteCsv(document);
    case v1::TABLE_FORMAT_JSON:
      return WriteJson(document);
    case v1::TABLE_FORMAT_XLSX:
      return WriteXlsx(document);
    default:
      return InvalidField("format", "choose a table format: tsv, csv, json or xlsx");
  }
}

absl::StatusOr<v1::TableFormat> ParseTableFormat(absl::string_view name) {
  std::string n = absl::AsciiStrToLower(name);
  absl::string_view s = n;
  absl::ConsumePrefix(&s, ".");
  if (s == "tsv" || s == "txt") return v1::TABLE_FORMAT_TSV;
  if (s == "csv") return v1::TABLE_FORMAT_CSV;
  if (s == "json") return v1::TABLE_FORMAT_JSON;
  if (s == "xlsx") return v1::TABLE_FORMAT_XLSX;
  return InvalidField("format", absl::StrCat("unknown table format '", name,
                                             "' (expected tsv, csv, json or xlsx)"));
}

absl::string_view TableFormatExtension(v1::TableFormat format) {
  switch (format) {
    case v1::TABLE_FORMAT_TSV:
      return "tsv";
    case v1::TABLE_FORMAT_CSV:
      return "csv";
    case v1::TABLE_FORMAT_JSON:
      return "json";
    case v1::TABLE_FORMAT_XLSX:
      return "xlsx";
    default:
      return "";
  }
}

absl::string_view TableFormatMediaType(v1::TableFormat format) {
  switch (format) {
    case v1::TABLE_FORMAT_TSV:
      return "text/tab-separated-values; charset=utf-8";
    case v1::TABLE_FORMAT_CSV:
      return "text/csv; charset=utf-8";
    case v1::TABLE_FORMAT_JSON:
      return "application/json";
    case v1::TABLE_FORMAT_XLSX:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    default:
      return "";
  }
}

}  // namespace torikumi::table
