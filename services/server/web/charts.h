// Charts as inline SVG written on the server: no script and no library, every number both in
// the picture and in a data table beside it, <title> and <desc> for screen readers. Labels
// are escaped here; callers pass plain text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace torikumi::server::web {

// Horizontal bars, one per category, each split into the series' counts.
struct StackedBarChart {
  std::string title;
  std::string description;
  std::string category_heading;  // the data table's first column, e.g. 分野
  std::vector<std::string> categories;
  std::vector<std::string> series;
  std::vector<std::vector<int>> counts;  // [category][series]
  // The series from this index on (未評価, データ不足, …) are drawn in greys.
  size_t coloured_series = SIZE_MAX;
  // Where each category's label leads (e.g. the table filtered to that area); none if empty.
  std::vector<std::string> category_links;
};

// Counts of pairs: rows (e.g. the human grade) against columns (the computed grade).
struct HeatMap {
  std::string title;
  std::string description;
  std::string row_heading;
  std::string column_heading;
  std::vector<std::string> rows;
  std::vector<std::string> columns;
  std::vector<std::vector<int>> counts;  // [row][column]
};

// A <figure> with the SVG and its data table; `id` (letters, digits, '-') names it.
std::string RenderStackedBars(const StackedBarChart& chart, absl::string_view id);
std::string RenderHeatMap(const HeatMap& map, absl::string_view id);

}  // namespace torikumi::server::web
