#include "services/table/table_grid.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "services/common/fiscal_year.h"
#include "services/table/header.h"
#include "services/table/legend.h"
#include "services/table/row_parser.h"
#include "services/table/title_line.h"

namespace torikumi::table {
namespace {

// Columns before the schedule: 中項目, 小項目, 具体的な取組, 区分.
constexpr int kLeadingColumns = 4;

// The fiscal years the columns show: the plan's period, or the years the data uses when
// the period is unset.
std::vector<int> ColumnYears(const v1::TableDocument& document) {
  int first = document.plan().period().first_fiscal_year();
  int last = document.plan().period().last_fiscal_year();
  if (first == 0 || last < first) {
    first = 0;
    last = 0;
    for (const v1::TableInitiative& row : document.initiatives()) {
      auto see = [&](int year) {
        if (year == 0) return;
        first = first == 0 ? year : std::min(first, year);
        last = std::max(last, year);
      };
      for (const v1::ScheduleEntry& s : row.initiative().schedule()) see(s.fiscal_year());
      for (const v1::Outcome& o : row.outcomes()) see(o.fiscal_year());
    }
  }
  std::vector<int> years;
  for (int y = first; y != 0 && y <= last && years.size() < 100; ++y) years.push_back(y);
  return years;
}

// "（～8月）" for the end of a month, "（～8月15日）" otherwise.
std::string AsOfNote(const v1::Date& date) {
  if (date.day() == DaysInMonth(date.year(), date.month())) {
    return absl::StrCat("（～", date.month(), "月）");
  }
  return absl::StrCat("（～", date.month(), "月", date.day(), "日）");
}

// The as-of date each outcome year column shows (from the first outcome that has one).
std::map<int, v1::Date> AsOfByYear(const v1::TableDocument& document, int last_year) {
  std::map<int, v1::Date> out;
  for (const v1::TableInitiative& row : document.initiatives()) {
    for (const v1::Outcome& o : row.outcomes()) {
      if (!o.has_as_of() || o.as_of().month() == 0) continue;
      int year = o.fiscal_year() == 0 ? last_year : o.fiscal_year();
      out.emplace(year, o.as_of());
    }
  }
  return out;
}

std::vector<std::string> ScheduleCells(const v1::Initiative& initiative,
                                       const std::vector<int>& years) {
  std::vector<std::string> cells;
  const v1::ScheduleEntry* previous = nullptr;
  for (int year : years) {
    const v1::ScheduleEntry* entry = nullptr;
    for (const v1::ScheduleEntry& s : initiative.schedule()) {
      if (s.fiscal_year() == year) entry = &s;
    }
    if (entry == nullptr || entry->phase() == v1::PHASE_UNSPECIFIED) {
      cells.emplace_back(kNoPhaseMark);
      previous = nullptr;
      continue;
    }
    bool continues =
        entry->continuation() && previous != nullptr && previous->phase() == entry->phase();
    cells.emplace_back(continues ? kContinuationMark : PhaseWord(entry->phase()));
    previous = entry;
  }
  return cells;
}

}  // namespace

bool IsRelisted(const v1::TableInitiative& row) {
  return !row.initiative().relists().empty() || !row.relists().area().empty();
}

std::vector<AreaGrid> BuildAreaGrids(const v1::TableDocument& document) {
  const std::vector<int> years = ColumnYears(document);
  const int n = static_cast<int>(years.size());
  const int columns = kLeadingColumns + 2 * n + 1;
  const int last_year = years.empty() ? 0 : years.back();
  const std::map<int, v1::Date> as_of = AsOfByYear(document, last_year);

  std::vector<std::string> areas(document.plan().areas().begin(), document.plan().areas().end());
  for (const v1::TableInitiative& row : document.initiatives()) {
    if (std::find(areas.begin(), areas.end(), row.initiative().area()) == areas.end()) {
      areas.push_back(row.initiative().area());
    }
  }

  std::vector<AreaGrid> grids;
  for (const std::string& area : areas) {
    AreaGrid grid;
    grid.area = area;
    grid.columns = columns;
    auto add = [&](GridRowKind kind, std::vector<std::string> cells) {
      grid.rows.push_back({kind, std::move(cells)});
      return static_cast<int>(grid.rows.size()) - 1;
    };
    auto merge = [&](int r1, int c1, int r2, int c2) {
      if (r1 == r2 && c1 == c2) return;
      grid.merges.push_back({r1, c1, r2, c2});
    };

    int title_row = add(GridRowKind::kTitle,
                        {FormatTitleLine(document.plan().title(), document.plan().period())});
    merge(title_row, 0, title_row, columns - 1);
    add(GridRowKind::kBlank, {});
    add(GridRowKind::kArea, {absl::StrCat("【", area, "】")});
    add(GridRowKind::kBlank, {});

    std::vector<std::string> names(columns);
    names[0] = "中項目";
    names[1] = "小項目";
    names[2] = "具体的な取組";
    names[3] = "区分";
    std::vector<std::string> year_cells(columns);
    if (n > 0) {
      names[kLeadingColumns] = "スケジュール";
      names[kLeadingColumns + n] = "取組状況";
    }
    names[columns - 1] = "評価";
    for (int k = 0; k < n; ++k) {
      year_cells[kLeadingColumns + k] = FormatFiscalYearShort(years[k]);
      std::string label = FormatFiscalYearShort(years[k]);
      auto note = as_of.find(years[k]);
      if (note != as_of.end()) absl::StrAppend(&label, AsOfNote(note->second));
      year_cells[kLeadingColumns + n + k] = std::move(label);
    }
    int names_row = add(GridRowKind::kHeader, std::move(names));
    add(GridRowKind::kHeader, std::move(year_cells));
    for (int c = 0; c < kLeadingColumns; ++c) merge(names_row, c, names_row + 1, c);
    if (n > 0) {
      merge(names_row, kLeadingColumns, names_row, kLeadingColumns + n - 1);
      merge(names_row, kLeadingColumns + n, names_row, kLeadingColumns + 2 * n - 1);
    }
    merge(names_row, columns - 1, names_row + 1, columns - 1);

    // Runs of equal theme / subtheme become one merged cell.
    int theme_start = -1;
    int subtheme_start = -1;
    std::string theme;
    std::string subtheme;
    auto close_runs = [&](int end_row, bool theme_too) {
      if (subtheme_start >= 0) merge(subtheme_start, 1, end_row, 1);
      subtheme_start = -1;
      if (theme_too) {
        if (theme_start >= 0) merge(theme_start, 0, end_row, 0);
        theme_start = -1;
      }
    };
    for (const v1::TableInitiative& item : document.initiatives()) {
      const v1::Initiative& initiative = item.initiative();
      if (initiative.area() != area) continue;
      std::vector<std::string> cells(columns);
      int row_index = static_cast<int>(grid.rows.size());
      bool new_theme = theme_start < 0 || initiative.theme() != theme;
      bool new_subtheme = new_theme || initiative.subtheme() != subtheme;
      if (new_subtheme) close_runs(row_index - 1, new_theme);
      if (new_theme) {
        theme = initiative.theme();
        theme_start = row_index;
        cells[0] = theme;
      }
      if (new_subtheme) {
        subtheme = initiative.subtheme();
        subtheme_start = row_index;
        cells[1] = subtheme;
      }
      cells[2] = absl::StrCat(initiative.number(), " ", initiative.title(),
                              IsRelisted(item) ? kRelistMarker : "");
      cells[3] = std::string(KindWord(initiative.kind()));
      std::vector<std::string> schedule = ScheduleCells(initiative, years);
      for (int k = 0; k < n; ++k) cells[kLeadingColumns + k] = std::move(schedule[k]);

      const v1::Outcome* period = nullptr;
      std::vector<const v1::Outcome*> yearly(n, nullptr);
      bool any_yearly = false;
      for (const v1::Outcome& o : item.outcomes()) {
        if (o.fiscal_year() == 0) {
          period = &o;
          continue;
        }
        auto at = std::find(years.begin(), years.end(), o.fiscal_year());
        if (at == years.end()) continue;
        yearly[at - years.begin()] = &o;
        any_yearly = true;
      }
      const int first_outcome = kLeadingColumns + n;
      if (any_yearly) {
        int filled = 0;
        for (int k = 0; k < n; ++k) {
          if (yearly[k] != nullptr) {
            cells[first_outcome + k] = yearly[k]->text();
            ++filled;
          }
        }
        if (n > 1 && filled == 1 && yearly[0] != nullptr) {
          for (int k = 1; k < n; ++k) cells[first_outcome + k] = std::string(kNoPhaseMark);
        }
      } else if (period != nullptr && n > 0) {
        cells[first_outcome] = period->text();
        merge(row_index, first_outcome, row_index, first_outcome + n - 1);
      }
      cells[columns - 1] = initiative.human_rating().grade();
      add(GridRowKind::kData, std::move(cells));
    }
    close_runs(static_cast<int>(grid.rows.size()) - 1, true);

    add(GridRowKind::kBlank, {});
    if (document.plan().rating_scale().grades_size() > 0) {
      int legend_row = add(GridRowKind::kLegend, {FormatLegend(document.plan().rating_scale())});
      merge(legend_row, 0, legend_row, columns - 1);
    }
    add(GridRowKind::kBlank, {});
    grids.push_back(std::move(grid));
  }
  return grids;
}

}  // namespace torikumi::table
