// The published sheet layout as a grid of cells with merged ranges, one grid per area.
// TSV and CSV print the cells (a merged range shows its text in its first cell, as the
// seed does); XLSX also merges the ranges, like the original workbook.
#pragma once

#include <string>
#include <vector>

#include "torikumi/v1/table.pb.h"

namespace torikumi::table {

enum class GridRowKind { kTitle, kBlank, kArea, kHeader, kData, kLegend };

struct GridRow {
  GridRowKind kind = GridRowKind::kBlank;
  std::vector<std::string> cells;  // one cell for title, area and legend rows
};

// A rectangle of cells shown as one (0-based rows and columns of the area grid, inclusive).
struct MergedRange {
  int first_row = 0;
  int first_column = 0;
  int last_row = 0;
  int last_column = 0;
};

struct AreaGrid {
  std::string area;
  int columns = 0;  // width of header and data rows
  std::vector<GridRow> rows;
  std::vector<MergedRange> merges;
};

// One grid per area, in display order, as the plan's table_layout says (layout.h; a plan
// without one gets the default, shown here):
//   title line (plan title and period in era notation) / blank / 【area】 / blank /
//   header rows (中項目 小項目 具体的な取組 区分 スケジュール… 取組状況… 評価; then the years,
//   the outcome years with an as-of note such as R4（～8月）) / a row per initiative /
//   blank / the legend (※評価 A：…) / blank.
// The layout gives the header's words and year labels as the imported table wrote them, the
// blank lines, and whether the title and legend stand per area or once (in the first grid,
// the last grid) or not at all.
// A theme or subtheme is written in the first row of its run only (the merged cell), a
// schedule year as its phase, ⇒ when it continues the year before, － when it has none.
// Yearly outcomes fill their year columns; a whole-period outcome fills the first outcome
// column, merged across the others. When only the first year has an outcome, the other
// years show － so that the row does not read back as a whole-period outcome.
// Limits of the printed layout (the JSON format keeps everything): an initiative with
// both a whole-period and yearly outcomes shows the yearly ones; years outside the plan's
// period are not shown; one as-of date per year column.
std::vector<AreaGrid> BuildAreaGrids(const v1::TableDocument& document);

// True when the row lists another initiative again (（再掲）).
bool IsRelisted(const v1::TableInitiative& row);

}  // namespace torikumi::table
