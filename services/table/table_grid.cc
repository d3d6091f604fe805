#include "services/table/table_grid.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/fiscal_year.h"
#include "services/common/table_words.h"
#include "services/table/header.h"
#include "services/table/layout.h"
#include "services/table/legend.h"
#include "services/table/text_util.h"
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
                                       const std::vector<int>& years, absl::string_view no_phase) {
  std::vector<std::string> cells;
  const v1::ScheduleEntry* previous = nullptr;
  for (int year : years) {
    const v1::ScheduleEntry* entry = nullptr;
    for (const v1::ScheduleEntry& s : initiative.schedule()) {
      if (s.fiscal_year() == year) entry = &s;
    }
    if (entry == nullptr || entry->phase() == v1::PHASE_UNSPECIFIED) {
      cells.emplace_back(no_phase);
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

// The areas in display order: the plan's, then any only an initiative names.
std::vector<std::string> AreaOrder(const v1::TableDocument& document) {
  std::vector<std::string> areas(document.plan().areas().begin(), document.plan().areas().end());
  for (const v1::TableInitiative& row : document.initiatives()) {
    if (std::find(areas.begin(), areas.end(), row.initiative().area()) == areas.end()) {
      areas.push_back(row.initiative().area());
    }
  }
  return areas;
}

// One area's grid as it is built, row by row.
class GridWriter {
 public:
  GridWriter(std::string area, int columns) {
    grid_.area = std::move(area);
    grid_.columns = columns;
  }
  // Adds a row; returns its index.
  int Add(GridRowKind kind, std::vector<std::string> cells) {
    grid_.rows.push_back({kind, std::move(cells)});
    return static_cast<int>(grid_.rows.size()) - 1;
  }
  void Merge(int r1, int c1, int r2, int c2) {
    if (r1 == r2 && c1 == c2) return;
    grid_.merges.push_back({r1, c1, r2, c2});
  }
  int next_row() const { return static_cast<int>(grid_.rows.size()); }
  int columns() const { return grid_.columns; }
  AreaGrid Take() { return std::move(grid_); }

 private:
  AreaGrid grid_;
};

// The columns of the year rows: years, each outcome year with its as-of note, and the
// layout that names them.
struct YearColumns {
  std::vector<int> years;
  std::map<int, v1::Date> as_of;
  v1::TableLayout layout;
  int count() const { return static_cast<int>(years.size()); }
  int first_outcome() const { return kLeadingColumns + count(); }
};

void AddBlanks(int count, GridWriter* grid) {
  for (int i = 0; i < count; ++i) grid->Add(GridRowKind::kBlank, {});
}

// Where in the table an area's grid stands: the layout prints a title or legend given once
// in the first or last grid only.
struct GridPlace {
  bool first = true;
  bool last = true;
};

bool Shows(v1::TablePlacement placement, bool once_here) {
  return placement == v1::TABLE_PLACEMENT_PER_AREA ||
         (placement == v1::TABLE_PLACEMENT_ONCE && once_here);
}

void AddTitleAndArea(const v1::Plan& plan, const std::string& area, const v1::TableLayout& layout,
                     GridPlace place, GridWriter* grid) {
  if (Shows(layout.title_placement(), place.first)) {
    int title_row = grid->Add(
        GridRowKind::kTitle,
        {FormatTitleLine(plan.title(), plan.period(), layout.caption(), layout.period_text())});
    grid->Merge(title_row, 0, title_row, grid->columns() - 1);
    AddBlanks(layout.blank_lines_after_title(), grid);
  }
  grid->Add(GridRowKind::kArea, {absl::StrCat("【", area, "】")});
  AddBlanks(layout.blank_lines_after_area(), grid);
}

// The layout's legend line while it still reads as the plan's scale, else the scale's own.
std::string LegendLine(const v1::RatingScale& scale, const v1::TableLayout& layout) {
  if (!layout.legend_text().empty()) {
    std::optional<v1::RatingScale> written = ParseLegend(Nfkc(layout.legend_text()));
    if (written.has_value() &&
        google::protobuf::util::MessageDifferencer::Equals(*written, scale)) {
      return layout.legend_text();
    }
  }
  return FormatLegend(scale);
}

void AddLegend(const v1::RatingScale& scale, const v1::TableLayout& layout, GridPlace place,
               GridWriter* grid) {
  if (!Shows(layout.legend_placement(), place.last)) return;
  AddBlanks(layout.blank_lines_before_legend(), grid);
  if (scale.grades_size() > 0) {
    int legend_row = grid->Add(GridRowKind::kLegend, {LegendLine(scale, layout)});
    grid->Merge(legend_row, 0, legend_row, grid->columns() - 1);
  }
  AddBlanks(layout.blank_lines_after_legend(), grid);
}

// The header's label of a year: the layout's as written, else H30 / R4（～8月）.
std::string YearCellLabel(const YearColumns& columns, int year, bool outcome) {
  std::string label = YearLabel(columns.layout, year, outcome);
  if (!label.empty()) return label;
  label = FormatFiscalYearShort(year);
  auto note = columns.as_of.find(year);
  if (outcome && note != columns.as_of.end()) absl::StrAppend(&label, AsOfNote(note->second));
  return label;
}

void AddHeaderRows(const YearColumns& columns, GridWriter* grid) {
  const int n = columns.count();
  const int width = grid->columns();
  const v1::TableLayout& layout = columns.layout;
  std::vector<std::string> names(width);
  names[0] = layout.theme_heading();
  names[1] = layout.subtheme_heading();
  names[2] = layout.title_heading();
  names[3] = layout.kind_heading();
  std::vector<std::string> year_cells(width);
  if (n > 0) {
    names[kLeadingColumns] = layout.schedule_heading();
    names[columns.first_outcome()] = layout.outcome_heading();
  }
  names[width - 1] = layout.rating_heading();
  for (int k = 0; k < n; ++k) {
    year_cells[kLeadingColumns + k] = YearCellLabel(columns, columns.years[k], false);
    year_cells[columns.first_outcome() + k] = YearCellLabel(columns, columns.years[k], true);
  }
  int names_row = grid->Add(GridRowKind::kHeader, std::move(names));
  grid->Add(GridRowKind::kHeader, std::move(year_cells));
  for (int c = 0; c < kLeadingColumns; ++c) grid->Merge(names_row, c, names_row + 1, c);
  if (n > 0) {
    grid->Merge(names_row, kLeadingColumns, names_row, kLeadingColumns + n - 1);
    grid->Merge(names_row, columns.first_outcome(), names_row, kLeadingColumns + 2 * n - 1);
  }
  grid->Merge(names_row, width - 1, names_row + 1, width - 1);
}

// Runs of equal theme / subtheme become one merged cell, written in its first row only.
class LabelRuns {
 public:
  explicit LabelRuns(GridWriter* grid) : grid_(grid) {}

  // The row about to be added shows `initiative`: fills its label cells when a run starts.
  void Next(const v1::Initiative& initiative, std::vector<std::string>* cells) {
    const int row = grid_->next_row();
    bool new_theme = theme_start_ < 0 || initiative.theme() != theme_;
    bool new_subtheme = new_theme || initiative.subtheme() != subtheme_;
    if (new_subtheme) Close(row - 1, new_theme);
    if (new_theme) {
      theme_ = initiative.theme();
      theme_start_ = row;
      (*cells)[0] = theme_;
    }
    if (new_subtheme) {
      subtheme_ = initiative.subtheme();
      subtheme_start_ = row;
      (*cells)[1] = subtheme_;
    }
  }

  // Merges the open runs up to `end_row`; the theme's too when `theme_too`.
  void Close(int end_row, bool theme_too) {
    if (subtheme_start_ >= 0) grid_->Merge(subtheme_start_, 1, end_row, 1);
    subtheme_start_ = -1;
    if (!theme_too) return;
    if (theme_start_ >= 0) grid_->Merge(theme_start_, 0, end_row, 0);
    theme_start_ = -1;
  }

 private:
  GridWriter* grid_;
  int theme_start_ = -1;
  int subtheme_start_ = -1;
  std::string theme_;
  std::string subtheme_;
};

// The outcome cells of a data row. Yearly outcomes fill their year columns (the others
// show － when only the first year has one, so that the row does not read back as a
// whole-period outcome); a whole-period outcome fills the first column, merged across the
// others.
void FillOutcomeCells(const v1::TableInitiative& item, const YearColumns& columns,
                      std::vector<std::string>* cells, GridWriter* grid) {
  const int n = columns.count();
  const v1::Outcome* period = nullptr;
  std::vector<const v1::Outcome*> yearly(n, nullptr);
  int filled = 0;
  for (const v1::Outcome& o : item.outcomes()) {
    if (o.fiscal_year() == 0) {
      period = &o;
      continue;
    }
    auto at = std::find(columns.years.begin(), columns.years.end(), o.fiscal_year());
    if (at == columns.years.end()) continue;
    yearly[at - columns.years.begin()] = &o;
  }
  const int first = columns.first_outcome();
  for (int k = 0; k < n; ++k) {
    if (yearly[k] == nullptr) continue;
    (*cells)[first + k] = yearly[k]->text();
    ++filled;
  }
  if (filled > 0) {
    if (n > 1 && filled == 1 && yearly[0] != nullptr) {
      for (int k = 1; k < n; ++k) (*cells)[first + k] = std::string(kNoPhaseMark);
    }
  } else if (period != nullptr && n > 0) {
    (*cells)[first] = period->text();
    grid->Merge(grid->next_row(), first, grid->next_row(), first + n - 1);
  }
}

void AddDataRow(const v1::TableInitiative& item, const YearColumns& columns, LabelRuns* labels,
                GridWriter* grid) {
  const v1::Initiative& initiative = item.initiative();
  std::vector<std::string> cells(grid->columns());
  labels->Next(initiative, &cells);
  cells[2] = absl::StrCat(initiative.number(), " ", initiative.title(),
                          IsRelisted(item) ? kRelistMarker : "");
  cells[3] = std::string(KindWord(initiative.kind()));
  std::vector<std::string> schedule = ScheduleCells(
      initiative, columns.years, columns.layout.empty_cell_for_no_phase() ? "" : kNoPhaseMark);
  for (int k = 0; k < columns.count(); ++k) cells[kLeadingColumns + k] = std::move(schedule[k]);
  FillOutcomeCells(item, columns, &cells, grid);
  cells[grid->columns() - 1] = initiative.human_rating().grade();
  grid->Add(GridRowKind::kData, std::move(cells));
}

AreaGrid BuildAreaGrid(const v1::TableDocument& document, const std::string& area,
                       const YearColumns& columns, GridPlace place) {
  GridWriter grid(area, kLeadingColumns + 2 * columns.count() + 1);
  AddTitleAndArea(document.plan(), area, columns.layout, place, &grid);
  AddHeaderRows(columns, &grid);
  LabelRuns labels(&grid);
  for (const v1::TableInitiative& item : document.initiatives()) {
    if (item.initiative().area() == area) AddDataRow(item, columns, &labels, &grid);
  }
  labels.Close(grid.next_row() - 1, true);
  AddLegend(document.plan().rating_scale(), columns.layout, place, &grid);
  return grid.Take();
}

}  // namespace

bool IsRelisted(const v1::TableInitiative& row) {
  return !row.initiative().relists().empty() || !row.relists().area().empty();
}

std::vector<AreaGrid> BuildAreaGrids(const v1::TableDocument& document) {
  YearColumns columns;
  columns.years = ColumnYears(document);
  columns.as_of = AsOfByYear(document, columns.years.empty() ? 0 : columns.years.back());
  columns.layout = EffectiveLayout(document.plan().table_layout());
  std::vector<AreaGrid> grids;
  const std::vector<std::string> areas = AreaOrder(document);
  for (size_t i = 0; i < areas.size(); ++i) {
    GridPlace place{i == 0, i + 1 == areas.size()};
    grids.push_back(BuildAreaGrid(document, areas[i], columns, place));
  }
  return grids;
}

}  // namespace torikumi::table
