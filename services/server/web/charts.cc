#include "services/server/web/charts.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/server/web/html.h"

namespace torikumi::server::web {

namespace {

// Distinct for the first three grades (good, middling, poor), then neutral.
constexpr const char* kPalette[] = {"#2e7d32", "#f9a825", "#c62828",
                                    "#1565c0", "#6a1b9a", "#00838f"};
constexpr const char* kGreys[] = {"#757575", "#a8a8a8", "#cfcfcf"};
constexpr int kLabelWidth = 190;
constexpr int kBarArea = 560;
constexpr int kBarHeight = 34;
constexpr int kLegendColumns = 4;
constexpr int kLegendEntryWidth = 140;
constexpr int kLegendRowHeight = 24;

const char* SeriesColour(size_t index, size_t coloured) {
  constexpr size_t kColours = sizeof(kPalette) / sizeof(kPalette[0]);
  constexpr size_t kGreyCount = sizeof(kGreys) / sizeof(kGreys[0]);
  if (index < std::min(coloured, kColours)) return kPalette[index];
  return kGreys[std::min(index - std::min(coloured, kColours), kGreyCount - 1)];
}

std::string FigureStart(absl::string_view id, absl::string_view title,
                        absl::string_view description, int width, int height) {
  return absl::StrCat("<figure class=\"chart\" id=\"", Escape(id), "\"><figcaption>", Escape(title),
                      "</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" ",
                      absl::StrFormat("width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"", width,
                                      height, width, height),
                      " role=\"img\" aria-labelledby=\"", Escape(id), "-title ", Escape(id),
                      "-desc\"><title id=\"", Escape(id), "-title\">", Escape(title),
                      "</title><desc id=\"", Escape(id), "-desc\">", Escape(description),
                      "</desc>");
}

// The legend in rows of kLegendColumns entries above the bars.
std::string Legend(const std::vector<std::string>& series, size_t coloured) {
  std::string svg;
  for (size_t s = 0; s < series.size(); ++s) {
    const int x = kLabelWidth + kLegendEntryWidth * static_cast<int>(s % kLegendColumns);
    const int y = 8 + kLegendRowHeight * static_cast<int>(s / kLegendColumns);
    absl::StrAppend(&svg,
                    absl::StrFormat("<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"16\" "
                                    "fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"15\">",
                                    x, y, SeriesColour(s, coloured), x + 20, y + 13),
                    Escape(series[s]), "</text>");
  }
  return svg;
}

int LegendHeight(size_t series) {
  return 10 + kLegendRowHeight * static_cast<int>((series + kLegendColumns - 1) / kLegendColumns);
}

// One category's bar: its label, then a rect per non-zero count.
std::string Bar(const StackedBarChart& chart, size_t c, int max_total, int y) {
  std::string svg =
      absl::StrCat(absl::StrFormat("<text x=\"%d\" y=\"%d\" font-size=\"15\" text-anchor=\"end\">",
                                   kLabelWidth - 8, y + kBarHeight / 2 + 5),
                   Escape(chart.categories[c]), "</text>");
  if (c < chart.category_links.size()) {
    svg = absl::StrCat("<a href=\"", Escape(chart.category_links[c]), "\">", svg, "</a>");
  }
  double x = kLabelWidth;
  int total = 0;
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const int count = chart.counts[c][s];
    total += count;
    if (count == 0) continue;
    const double width = static_cast<double>(kBarArea) * count / max_total;
    absl::StrAppend(
        &svg,
        absl::StrFormat("<rect class=\"segment\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                        "height=\"%d\" fill=\"%s\" data-count=\"%d\" ",
                        x, y, width, kBarHeight - 6, SeriesColour(s, chart.coloured_series), count),
        "data-category=\"", Escape(chart.categories[c]), "\" data-series=\"",
        Escape(chart.series[s]), "\"><title>", Escape(chart.categories[c]), " ",
        Escape(chart.series[s]), ": ", count, "</title></rect>");
    if (width >= 22) {
      absl::StrAppend(&svg, absl::StrFormat("<text x=\"%.1f\" y=\"%d\" font-size=\"14\" "
                                            "text-anchor=\"middle\" fill=\"#fff\">%d</text>",
                                            x + width / 2, y + kBarHeight / 2 + 2, count));
    }
    x += width;
  }
  absl::StrAppend(&svg, absl::StrFormat("<text x=\"%.1f\" y=\"%d\" font-size=\"14\">%d</text>",
                                        x + 6, y + kBarHeight / 2 + 2, total));
  return svg;
}

std::string DataTable(absl::string_view corner, const std::vector<std::string>& row_labels,
                      const std::vector<std::string>& column_labels,
                      const std::vector<std::vector<int>>& counts, bool with_total) {
  std::string html = absl::StrCat("<table class=\"chart-data\"><thead><tr><th scope=\"col\">",
                                  Escape(corner), "</th>");
  for (const std::string& label : column_labels) {
    absl::StrAppend(&html, "<th scope=\"col\">", Escape(label), "</th>");
  }
  if (with_total) absl::StrAppend(&html, "<th scope=\"col\">計</th>");
  absl::StrAppend(&html, "</tr></thead><tbody>");
  for (size_t r = 0; r < row_labels.size(); ++r) {
    absl::StrAppend(&html, "<tr><th scope=\"row\">", Escape(row_labels[r]), "</th>");
    int total = 0;
    for (int count : counts[r]) {
      absl::StrAppend(&html, "<td>", count, "</td>");
      total += count;
    }
    if (with_total) absl::StrAppend(&html, "<td>", total, "</td>");
    absl::StrAppend(&html, "</tr>");
  }
  return absl::StrCat(html, "</tbody></table>");
}

}  // namespace

std::string RenderStackedBars(const StackedBarChart& chart, absl::string_view id) {
  int max_total = 1;
  for (const std::vector<int>& row : chart.counts) {
    int total = 0;
    for (int count : row) total += count;
    max_total = std::max(max_total, total);
  }
  const int width = kLabelWidth + kBarArea + 50;
  const int legend = LegendHeight(chart.series.size());
  const int height = legend + kBarHeight * static_cast<int>(chart.categories.size()) + 8;
  std::string html = FigureStart(id, chart.title, chart.description, width, height);
  absl::StrAppend(&html, Legend(chart.series, chart.coloured_series));
  for (size_t c = 0; c < chart.categories.size(); ++c) {
    absl::StrAppend(&html, Bar(chart, c, max_total, legend + kBarHeight * static_cast<int>(c)));
  }
  absl::StrAppend(&html, "</svg>",
                  DataTable(chart.category_heading, chart.categories, chart.series, chart.counts,
                            /*with_total=*/true),
                  "</figure>");
  return html;
}

std::string RenderHeatMap(const HeatMap& map, absl::string_view id) {
  constexpr int kCell = 64;
  constexpr int kLeft = 150;
  constexpr int kTop = 60;
  int max_count = 1;
  for (const std::vector<int>& row : map.counts) {
    for (int count : row) max_count = std::max(max_count, count);
  }
  const int width = kLeft + kCell * static_cast<int>(map.columns.size()) + 10;
  const int height = kTop + kCell * static_cast<int>(map.rows.size()) + 10;
  std::string html = FigureStart(id, map.title, map.description, width, height);
  absl::StrAppend(&html, "<text x=\"", kLeft, "\" y=\"18\" font-size=\"14\">",
                  Escape(map.column_heading), " →</text><text x=\"4\" y=\"", kTop - 8,
                  "\" font-size=\"14\">", Escape(map.row_heading), " ↓</text>");
  for (size_t c = 0; c < map.columns.size(); ++c) {
    absl::StrAppend(&html,
                    absl::StrFormat("<text x=\"%d\" y=\"%d\" font-size=\"15\" "
                                    "text-anchor=\"middle\">",
                                    kLeft + kCell * static_cast<int>(c) + kCell / 2, kTop - 10),
                    Escape(map.columns[c]), "</text>");
  }
  for (size_t r = 0; r < map.rows.size(); ++r) {
    const int y = kTop + kCell * static_cast<int>(r);
    absl::StrAppend(&html,
                    absl::StrFormat("<text x=\"%d\" y=\"%d\" font-size=\"15\" "
                                    "text-anchor=\"end\">",
                                    kLeft - 8, y + kCell / 2 + 5),
                    Escape(map.rows[r]), "</text>");
    for (size_t c = 0; c < map.columns.size(); ++c) {
      const int count = map.counts[r][c];
      const double strength = static_cast<double>(count) / max_count;
      const int x = kLeft + kCell * static_cast<int>(c);
      absl::StrAppend(
          &html,
          absl::StrFormat("<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "fill=\"#0d47a1\" fill-opacity=\"%.2f\" stroke=\"#555\" "
                          "data-count=\"%d\" ",
                          x, y, kCell, kCell, 0.05 + 0.9 * strength, count),
          "data-row=\"", Escape(map.rows[r]), "\" data-column=\"", Escape(map.columns[c]),
          "\"><title>", Escape(map.row_heading), " ", Escape(map.rows[r]), " / ",
          Escape(map.column_heading), " ", Escape(map.columns[c]), ": ", count, "</title></rect>",
          absl::StrFormat("<text x=\"%d\" y=\"%d\" font-size=\"18\" text-anchor=\"middle\" "
                          "fill=\"%s\">%d</text>",
                          x + kCell / 2, y + kCell / 2 + 6, strength > 0.5 ? "#fff" : "#111",
                          count));
    }
  }
  absl::StrAppend(&html, "</svg>",
                  DataTable(absl::StrCat(map.row_heading, " ＼ ", map.column_heading), map.rows,
                            map.columns, map.counts, /*with_total=*/false),
                  "</figure>");
  return html;
}

}  // namespace torikumi::server::web
