// The table reader: the published 取組状況 table (TSV, Excel CSV, CP932 or UTF-8, or the
// lossless JSON the writers produce) → a plan, its initiatives with outcomes, and the
// findings. Pure text to torikumi.v1 messages: no gRPC, no store. The caller (the
// ImportTable RPC) stores the result in one transaction and maps re-list keys to names.
//
// Accepted layout, per area (see README "Importing a table"):
//   人材育成推進プラン（平成30年度～令和4年度）の取組状況      title line: title and period
//   【職員研修】                                                area marker
//   中項目 小項目 具体的な取組 区分 スケジュール … 取組状況 … 評価   header row 1
//                               H30 R1 … R4 H30 R1 … R4（～8月）   header row 2: the years
//   自己啓発 … 1 通信教育… 継続 実施 ⇒ ⇒ ⇒ ⇒ 支援人数 1人 … A      data rows
//   ※評価 A：実施できた、B：概ね実施できた（一部実施できなかった）、C：実施できなかった
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/table/decoding.h"
#include "services/table/finding.h"
#include "torikumi/v1/resources.pb.h"
#include "torikumi/v1/table.pb.h"

namespace torikumi::table {

// The largest table ReadTable accepts. A real plan is tens of kilobytes (the seed is
// 25 KB; a thousand initiatives with five years of text is a few megabytes), so a larger
// input is a mistake or an attack and is refused at once, before any work, with an error
// that names the limit. The ImportTable stream can stop reading at the same size.
inline constexpr size_t kMaxTableBytes = 32u << 20;  // 32 MiB

// At most this many findings are listed; past it one finding says how many more there were.
inline constexpr size_t kMaxFindings = 10000;

struct ReadOptions {
  Encoding encoding = Encoding::kAuto;
  // Findings other than kInfo make ReadTable fail with INVALID_ARGUMENT listing them.
  bool strict = false;
  size_t max_bytes = kMaxTableBytes;
  size_t max_findings = kMaxFindings;
};

// An initiative by its place in the table, for links between rows.
struct InitiativeKey {
  std::string area;
  int number = 0;
  bool operator==(const InitiativeKey& other) const {
    return area == other.area && number == other.number;
  }
};

struct ImportedInitiative {
  // name and relists are empty: the rows are not stored yet (see `relists`).
  v1::Initiative initiative;
  // Names empty; fiscal_year 0 for an outcome that covers the whole period.
  std::vector<v1::Outcome> outcomes;
  // （再掲）: the original this initiative lists again, resolved by title.
  std::optional<InitiativeKey> relists;
  // The input line of the row that introduced the initiative.
  int source_line = 0;
};

struct ParsedTable {
  // title, period, areas (display order) and rating_scale; name empty.
  v1::Plan plan;
  // Display order: areas in plan.areas order, by number within an area.
  std::vector<ImportedInitiative> initiatives;
  std::vector<Finding> findings;
  // What the bytes were: "UTF-8", "CP932", "JSON", …
  std::string detected_encoding;
};

// INVALID_ARGUMENT, naming the line, column and text where it applies, for: an empty
// input, binary data, text in neither UTF-8 nor CP932, an XLSX workbook, input over
// opts.max_bytes, text with no header row (not a table), a header with no readable
// year, no initiative rows, and — with opts.strict — any finding above kInfo.
absl::StatusOr<ParsedTable> ReadTable(absl::string_view bytes, const ReadOptions& opts = {});

// The parsed table as one document (plan + initiatives with outcomes and re-list keys),
// the form the writers take.
v1::TableDocument ToDocument(const ParsedTable& table);

}  // namespace torikumi::table
