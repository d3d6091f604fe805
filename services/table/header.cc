#include "services/table/header.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/fiscal_year.h"
#include "services/table/text_util.h"

namespace torikumi::table {
namespace {

constexpr absl::string_view kTitleColumnNames[] = {"具体的な取組", "取組内容", "取組"};
constexpr absl::string_view kScheduleName = "スケジュール";
// What tables call the outcome columns.
constexpr absl::string_view kOutcomeNames[] = {"取組状況", "実施状況", "進捗状況"};
constexpr absl::string_view kRatingName = "評価";
constexpr absl::string_view kKnownNames[] = {"中項目", "小項目",   "具体的な取組", "取組内容",
                                             "取組",   "区分",     "スケジュール", "取組状況",
                                             "評価",   "実施状況", "進捗状況"};

bool IsOutcomeColumnName(absl::string_view norm) {
  for (absl::string_view name : kOutcomeNames) {
    if (norm == name) return true;
  }
  return false;
}

bool IsTitleColumnName(absl::string_view norm) {
  for (absl::string_view name : kTitleColumnNames) {
    if (norm == name) return true;
  }
  return false;
}

// One cell of the year row: its column and what could be read from it.
struct YearCell {
  const Cell* cell = nullptr;
  std::optional<int> year;
  std::optional<v1::Date> as_of;
  std::string note;  // the parenthesised note, if any
};

YearCell ReadYearCell(const Cell& cell) {
  YearCell out;
  out.cell = &cell;
  absl::string_view text = cell.norm;
  absl::string_view year_part = text;
  size_t open = text.find('(');
  if (open != absl::string_view::npos) {
    year_part = text.substr(0, open);
    absl::string_view note = text.substr(open + 1);
    size_t close = note.find(')');
    out.note = std::string(TrimSpaces(note.substr(0, close)));
  }
  absl::StatusOr<int> year = ParseFiscalYear(TrimSpaces(year_part));
  if (year.ok()) {
    out.year = *year;
    if (!out.note.empty()) out.as_of = ParseAsOfNote(out.note, *year);
  }
  return out;
}

// Reads the first run of ASCII digits at or after `pos`; advances pos past it.
std::optional<int> ReadNumber(absl::string_view text, size_t* pos) {
  while (*pos < text.size() && !absl::ascii_isdigit(static_cast<unsigned char>(text[*pos]))) {
    ++*pos;
  }
  size_t begin = *pos;
  while (*pos < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[*pos])) &&
         *pos - begin < 4) {
    ++*pos;
  }
  int value = 0;
  if (*pos == begin || !absl::SimpleAtoi(text.substr(begin, *pos - begin), &value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2) {
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

std::optional<v1::Date> ParseAsOfNote(absl::string_view note, int fiscal_year) {
  std::string text = Nfkc(note);
  size_t month_mark = text.find("月");
  if (month_mark == std::string::npos) return std::nullopt;
  // The month is the number just before 月.
  size_t begin = month_mark;
  while (begin > 0 && absl::ascii_isdigit(static_cast<unsigned char>(text[begin - 1]))) --begin;
  int month = 0;
  if (begin == month_mark || month_mark - begin > 2 ||
      !absl::SimpleAtoi(absl::string_view(text).substr(begin, month_mark - begin), &month) ||
      month < 1 || month > 12) {
    return std::nullopt;
  }
  // Fiscal years run April–March: January to March belong to the next calendar year.
  int year = month >= 4 ? fiscal_year : fiscal_year + 1;
  int day = DaysInMonth(year, month);
  size_t day_mark = text.find("日", month_mark);
  if (day_mark != std::string::npos) {
    size_t pos = month_mark;
    std::optional<int> d = ReadNumber(absl::string_view(text).substr(0, day_mark), &pos);
    if (d.has_value() && *d >= 1 && *d <= day) day = *d;
  }
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

std::optional<HeaderColumn> HeaderColumnNamed(absl::string_view norm) {
  if (norm == "中項目") return HeaderColumn::kTheme;
  if (norm == "小項目") return HeaderColumn::kSubtheme;
  if (IsTitleColumnName(norm)) return HeaderColumn::kTitle;
  if (norm == "区分") return HeaderColumn::kKind;
  if (norm == kScheduleName) return HeaderColumn::kSchedule;
  if (IsOutcomeColumnName(norm)) return HeaderColumn::kOutcome;
  if (norm == kRatingName) return HeaderColumn::kRating;
  return std::nullopt;
}

bool IsHeaderRow(const Record& record) {
  std::set<absl::string_view> seen;
  for (const Cell& cell : record.cells) {
    for (absl::string_view name : kKnownNames) {
      if (cell.norm == name) seen.insert(name);
    }
  }
  return seen.size() >= 3;
}

namespace {

// What the first header row says: the label columns before the title, and which of the
// schedule, outcome and rating columns there are.
struct ColumnNames {
  int label_columns = 2;
  bool has_schedule = false;
  bool has_outcomes = false;
  bool has_rating = false;
};

ColumnNames ReadColumnNames(const Record& names) {
  ColumnNames out;
  for (const Cell& cell : names.cells) {
    if (IsTitleColumnName(cell.norm)) out.label_columns = cell.column - 1;
    if (cell.norm == kScheduleName) out.has_schedule = true;
    if (IsOutcomeColumnName(cell.norm)) out.has_outcomes = true;
    if (cell.norm == kRatingName) out.has_rating = true;
  }
  return out;
}

std::vector<YearCell> ReadYearCells(const Record* years) {
  std::vector<YearCell> cells;
  if (years == nullptr) return cells;
  for (const Cell& cell : years->cells) {
    if (!cell.empty()) cells.push_back(ReadYearCell(cell));
  }
  return cells;
}

absl::Status NoReadableYear(const Record& names, const Record* years) {
  int line = years != nullptr ? years->line : names.line + 1;
  return InvalidField(absl::StrCat("table:", line, ":0"),
                      absl::StrCat("line ", line,
                                   ": no fiscal-year column can be read in the header row "
                                   "under line ",
                                   names.line,
                                   " (expected years such as H30 R1 R2 or 2018年度; "
                                   "found '",
                                   years != nullptr ? Quote(years->JoinedText()) : "", "')"));
}

// The year an unreadable cell most likely is, from the readable cells beside it. When the
// two neighbours disagree, the cell is at the boundary between the schedule and the outcome
// years, and most likely ends the first run.
std::optional<int> YearFromNeighbours(const std::vector<YearCell>& cells, size_t i) {
  if (i > 0 && cells[i - 1].year.has_value()) return *cells[i - 1].year + 1;
  if (i + 1 < cells.size() && cells[i + 1].year.has_value()) return *cells[i + 1].year - 1;
  return std::nullopt;
}

// An unreadable year between readable ones is most likely the year in sequence.
void GuessUnreadableYears(std::vector<YearCell>* cells, FindingSink* findings) {
  for (size_t i = 0; i < cells->size(); ++i) {
    YearCell& c = (*cells)[i];
    if (c.year.has_value()) continue;
    std::optional<int> guess = YearFromNeighbours(*cells, i);
    if (guess.has_value() && *guess >= kMinFiscalYear && *guess <= kMaxFiscalYear) {
      c.year = guess;
      if (!c.note.empty()) c.as_of = ParseAsOfNote(c.note, *guess);
      findings->Add(c.cell->line, c.cell->column, c.cell->raw,
                    absl::StrCat("not a fiscal year; read as ", FormatFiscalYearShort(*guess),
                                 " from the years beside it"),
                    Severity::kGuess);
    } else {
      findings->Add(c.cell->line, c.cell->column, c.cell->raw,
                    "not a fiscal year and none can be guessed from its neighbours; the "
                    "column was left out",
                    Severity::kError);
    }
  }
}

void ReportUnreadableNotes(const std::vector<YearCell>& cells, FindingSink* findings) {
  for (const YearCell& c : cells) {
    if (c.year.has_value() && !c.note.empty() && !c.as_of.has_value()) {
      findings->Add(c.cell->line, c.cell->column, c.cell->raw,
                    absl::StrCat("the note '", c.note,
                                 "' gives no month the year is reported up to; ignored"),
                    Severity::kError);
    }
  }
}

using YearRun = std::vector<const YearCell*>;

// The years run in order twice: once for the schedule, once for the outcomes. A year that
// is not after the one before starts the next run.
std::vector<YearRun> YearRuns(const std::vector<YearCell>& cells) {
  std::vector<YearRun> runs;
  for (const YearCell& c : cells) {
    if (!c.year.has_value()) continue;
    if (runs.empty() || *c.year <= *runs.back().back()->year) runs.emplace_back();
    runs.back().push_back(&c);
  }
  return runs;
}

std::vector<int> ScheduleYearsOf(const YearRun& run) {
  std::vector<int> out;
  for (const YearCell* c : run) out.push_back(*c->year);
  return out;
}

std::vector<OutcomeYear> OutcomeYearsOf(const YearRun& run) {
  std::vector<OutcomeYear> out;
  for (const YearCell* c : run) out.push_back({*c->year, c->as_of});
  return out;
}

// Which run is the schedule's and which the outcomes': two runs are both; one run is
// whichever of the two the header names (the outcomes when it names both or neither).
void AssignYearRuns(const std::vector<YearRun>& runs, const ColumnNames& names, const Record& years,
                    TableLayout* layout, FindingSink* findings) {
  if (runs.size() >= 2) {
    layout->schedule_years = ScheduleYearsOf(runs[0]);
    layout->outcome_years = OutcomeYearsOf(runs[1]);
    for (size_t r = 2; r < runs.size(); ++r) {
      for (const YearCell* c : runs[r]) {
        findings->Add(c->cell->line, c->cell->column, c->cell->raw,
                      "a third run of years after the schedule and outcome years; the column "
                      "was left out",
                      Severity::kError);
      }
    }
  } else if (names.has_schedule && !names.has_outcomes) {
    layout->schedule_years = ScheduleYearsOf(runs[0]);
  } else {
    layout->outcome_years = OutcomeYearsOf(runs[0]);
    if (names.has_schedule) {
      findings->Add(years.line, 0, years.JoinedText(),
                    "only one run of years although the header names both スケジュール and "
                    "取組状況; the years were taken as outcome years",
                    Severity::kGuess);
    }
  }
}

}  // namespace

absl::StatusOr<TableLayout> ReadLayout(const Record& names, const Record* years,
                                       FindingSink* findings) {
  const ColumnNames columns = ReadColumnNames(names);
  TableLayout layout;
  layout.header_line = names.line;
  layout.label_columns = columns.label_columns;
  layout.has_rating_column = columns.has_rating;

  std::vector<YearCell> cells = ReadYearCells(years);
  const bool any_readable =
      std::any_of(cells.begin(), cells.end(), [](const YearCell& c) { return c.year.has_value(); });
  // Without a readable year `years` may be null; with one it is the row the cells came from.
  if (!any_readable) return NoReadableYear(names, years);
  GuessUnreadableYears(&cells, findings);
  ReportUnreadableNotes(cells, findings);
  AssignYearRuns(YearRuns(cells), columns, *years, &layout, findings);
  return layout;
}

}  // namespace torikumi::table
