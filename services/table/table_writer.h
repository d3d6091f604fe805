// The table writers: a plan and its initiatives (a TableDocument, in display order) →
// the published layout as TSV, Excel CSV or an XLSX workbook, or lossless JSON. ReadTable
// reads every one of them back except XLSX (Excel opens that).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "torikumi/v1/table.pb.h"

namespace torikumi::table {

// Tab-separated UTF-8 text, "\n" line ends, in the seed's layout (see table_grid.h).
// A field holding a tab, a line break or a leading quote is quoted as Excel quotes it.
absl::StatusOr<std::string> WriteTsv(const v1::TableDocument& document);

// The same grid as Excel writes CSV: a UTF-8 byte-order mark (so Excel picks UTF-8),
// CRLF between rows, fields with a comma, quote or line break in double quotes.
absl::StatusOr<std::string> WriteCsv(const v1::TableDocument& document);

// The document in the protobuf JSON mapping: every field, nothing lost.
absl::StatusOr<std::string> WriteJson(const v1::TableDocument& document);

// An .xlsx workbook: one sheet per area, header and theme cells merged like the original.
absl::StatusOr<std::string> WriteXlsx(const v1::TableDocument& document);

// Puts the initiatives in display order: areas as Plan.areas lists them (others after,
// in order of appearance), numbers ascending within an area. For documents built from
// stored rows, before they are written.
void SortForDisplay(v1::TableDocument* document);

// Dispatches on `format`; INVALID_ARGUMENT for TABLE_FORMAT_UNSPECIFIED.
absl::StatusOr<std::string> WriteTable(const v1::TableDocument& document, v1::TableFormat format);

// "tsv", "csv", "json", "xlsx" (any case, with or without a leading dot).
absl::StatusOr<v1::TableFormat> ParseTableFormat(absl::string_view name);
// "tsv" … for file names; "" for TABLE_FORMAT_UNSPECIFIED.
absl::string_view TableFormatExtension(v1::TableFormat format);
// "text/tab-separated-values; charset=utf-8", "text/csv; charset=utf-8",
// "application/json", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".
absl::string_view TableFormatMediaType(v1::TableFormat format);

}  // namespace torikumi::table
