#include "services/table/layout_recorder.h"

#include "services/common/fiscal_year.h"
#include "services/table/header.h"
#include "services/table/text_util.h"

namespace torikumi::table {
namespace {

// Blank records next to `index`: after it (step 1) or before it (step -1).
int BlanksBeside(const std::vector<Record>& records, size_t index, int step) {
  int count = 0;
  for (long i = static_cast<long>(index) + step;
       i >= 0 && i < static_cast<long>(records.size()) && records[i].blank(); i += step) {
    ++count;
  }
  return count;
}

// PER_AREA when the line stands once per area, ONCE when once in a table of several areas.
v1::TablePlacement PlacementOf(int lines, int areas) {
  if (lines == 0) return v1::TABLE_PLACEMENT_NONE;
  if (lines == 1 && areas > 1) return v1::TABLE_PLACEMENT_ONCE;
  return v1::TABLE_PLACEMENT_PER_AREA;
}

void RecordHeaderWord(const Cell& cell, v1::TableLayout* layout) {
  std::optional<HeaderColumn> column = HeaderColumnNamed(cell.norm);
  if (!column.has_value()) return;
  switch (*column) {
    case HeaderColumn::kTheme:
      return layout->set_theme_heading(cell.raw);
    case HeaderColumn::kSubtheme:
      return layout->set_subtheme_heading(cell.raw);
    case HeaderColumn::kTitle:
      return layout->set_title_heading(cell.raw);
    case HeaderColumn::kKind:
      return layout->set_kind_heading(cell.raw);
    case HeaderColumn::kSchedule:
      return layout->set_schedule_heading(cell.raw);
    case HeaderColumn::kOutcome:
      return layout->set_outcome_heading(cell.raw);
    case HeaderColumn::kRating:
      return layout->set_rating_heading(cell.raw);
  }
}

// The fiscal year a year cell names (H30, 平成30年度, R5（～９月）), from the text before
// its note.
std::optional<int> YearOfLabel(const Cell& cell) {
  absl::string_view text = cell.norm;
  text = text.substr(0, text.find('('));
  absl::StatusOr<int> year = ParseFiscalYear(TrimSpaces(text));
  if (!year.ok()) return std::nullopt;
  return *year;
}

// The first cell naming a year is its schedule label, the second its outcome label.
void RecordYearLabel(const Cell& cell, v1::TableLayout* layout) {
  std::optional<int> year = YearOfLabel(cell);
  if (!year.has_value()) return;
  for (v1::TableYearLabel& label : *layout->mutable_year_labels()) {
    if (label.fiscal_year() != *year) continue;
    if (label.outcome_label().empty()) label.set_outcome_label(cell.raw);
    return;
  }
  v1::TableYearLabel* label = layout->add_year_labels();
  label->set_fiscal_year(*year);
  label->set_schedule_label(cell.raw);
}

}  // namespace

void LayoutRecorder::Title(size_t index, const TitleLine& title) {
  if (titles_++ > 0) return;
  first_title_ = index;
  layout_.set_period_text(title.period_text);
  layout_.set_caption(title.caption);
}

void LayoutRecorder::Area(size_t index) {
  if (areas_++ == 0) first_area_ = index;
}

void LayoutRecorder::Legend(size_t index, const Record& record) {
  if (legends_++ > 0) return;
  first_legend_ = index;
  layout_.set_legend_text(record.JoinedText());
}

void LayoutRecorder::Header(const Record& names, const Record* years) {
  if (header_seen_) return;
  header_seen_ = true;
  for (const Cell& cell : names.cells) {
    if (!cell.empty()) RecordHeaderWord(cell, &layout_);
  }
  if (years == nullptr) return;
  for (const Cell& cell : years->cells) {
    if (!cell.empty()) RecordYearLabel(cell, &layout_);
  }
}

v1::TableLayout LayoutRecorder::Finish(const std::vector<Record>& records) const {
  v1::TableLayout layout = layout_;
  layout.set_recorded(true);
  layout.set_title_placement(PlacementOf(titles_, areas_));
  layout.set_legend_placement(PlacementOf(legends_, areas_));
  if (first_title_) layout.set_blank_lines_after_title(BlanksBeside(records, *first_title_, 1));
  if (first_area_) layout.set_blank_lines_after_area(BlanksBeside(records, *first_area_, 1));
  if (first_legend_) {
    layout.set_blank_lines_before_legend(BlanksBeside(records, *first_legend_, -1));
    layout.set_blank_lines_after_legend(BlanksBeside(records, *first_legend_, 1));
  }
  return layout;
}

}  // namespace torikumi::table
