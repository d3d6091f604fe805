#include "services/table/row_parser.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/fiscal_year.h"
#include "services/common/table_words.h"
#include "services/table/legend.h"
#include "services/table/metrics.h"
#include "services/table/text_util.h"

namespace torikumi::table {
namespace {

// After the number of a title, before its words (raw forms, full- and half-width).
constexpr absl::string_view kTitleSeparators[] = {" ", "　", ".", "．", "、", ")", "）", ":", "："};
constexpr absl::string_view kFullWidthDigitLead = "\xEF\xBC";  // U+FF10..FF19 start with EF BC

bool IsDigit(char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); }

// Bytes taken by the title number and the separators after it in the raw cell.
size_t RawNumberPrefix(absl::string_view raw) {
  size_t p = 0;
  while (p < raw.size()) {
    if (IsDigit(raw[p])) {
      ++p;
    } else if (absl::StartsWith(raw.substr(p), kFullWidthDigitLead) && p + 2 < raw.size() &&
               static_cast<unsigned char>(raw[p + 2]) >= 0x90 &&
               static_cast<unsigned char>(raw[p + 2]) <= 0x99) {
      p += 3;
    } else {
      break;
    }
  }
  bool matched = true;
  while (matched && p < raw.size()) {
    matched = false;
    for (absl::string_view sep : kTitleSeparators) {
      if (absl::StartsWith(raw.substr(p), sep)) {
        p += sep.size();
        matched = true;
        break;
      }
    }
  }
  return p;
}

std::string YearList(const std::vector<int>& years) {
  if (years.empty()) return "";
  if (years.size() == 1) return FormatFiscalYearShort(years.front());
  return absl::StrCat(FormatFiscalYearShort(years.front()), "–",
                      FormatFiscalYearShort(years.back()));
}

std::string LabelName(size_t slot, size_t slots) {
  if (slot + 1 == slots) return "小項目";
  if (slot + 2 == slots) return "中項目";
  return absl::StrCat("label column ", slot + 1);
}

bool IsKindOrPhase(const Cell& cell) {
  if (cell.empty()) return false;
  if (KindFromWord(cell.norm).has_value()) return true;
  std::optional<ScheduleToken> token = ReadScheduleToken(cell.norm);
  return token.has_value() && token->kind != ScheduleTokenKind::kNone;
}

bool IsScheduleCell(const Cell& cell) {
  return !cell.empty() && ReadScheduleToken(cell.norm).has_value();
}

// A short cell in the rating position that is no grade of the scale but looks like one.
bool LooksLikeGrade(absl::string_view norm) {
  if (CodePointCount(norm) > 2 || IsDashOnly(norm)) return false;
  if (IsCommonGradeCode(norm)) return true;
  for (char c : norm) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

v1::Outcome MakeOutcome(int fiscal_year, absl::string_view text,
                        const std::optional<v1::Date>& as_of) {
  v1::Outcome outcome;
  outcome.set_fiscal_year(fiscal_year);
  outcome.set_text(std::string(text));
  outcome.set_status(StatusFromMarkers(text));
  for (v1::Metric& m : ExtractMetrics(text)) *outcome.add_metrics() = std::move(m);
  if (as_of.has_value()) *outcome.mutable_as_of() = *as_of;
  return outcome;
}

}  // namespace

std::optional<RowTitle> ReadTitleCell(const Cell& cell) {
  absl::string_view norm = cell.norm;
  size_t digits = 0;
  while (digits < norm.size() && IsDigit(norm[digits])) ++digits;
  if (digits == 0 || digits > 3 || digits >= norm.size()) return std::nullopt;
  char sep = norm[digits];
  if (sep != ' ' && sep != '.' && sep != ')' && sep != ':' &&
      !absl::StartsWith(norm.substr(digits), "、")) {
    return std::nullopt;
  }
  int number = 0;
  if (!absl::SimpleAtoi(norm.substr(0, digits), &number) || number < 1) return std::nullopt;
  RowTitle title;
  title.cell = &cell;
  title.number = number;
  for (absl::string_view marker : kRelistNormMarkers) {
    title.relisted = title.relisted || absl::StrContains(norm, marker);
  }
  std::string text(TrimSpaces(absl::string_view(cell.raw).substr(RawNumberPrefix(cell.raw))));
  for (absl::string_view marker : kRelistRawMarkers) text = RemoveAll(text, marker);
  if (text.empty()) return std::nullopt;
  title.title = std::move(text);
  return title;
}

std::optional<ScheduleToken> ReadScheduleToken(absl::string_view norm) {
  if (std::optional<v1::Phase> phase = PhaseFromWord(norm)) {
    return ScheduleToken{ScheduleTokenKind::kPhase, *phase};
  }
  if (IsContinuationMark(norm)) {
    return ScheduleToken{ScheduleTokenKind::kContinuation, v1::PHASE_UNSPECIFIED};
  }
  if (IsDashOnly(norm)) return ScheduleToken{ScheduleTokenKind::kNone, v1::PHASE_UNSPECIFIED};
  return std::nullopt;
}

RowParser::RowParser(const TableLayout& layout, const v1::RatingScale& scale, FindingSink* findings)
    : layout_(layout), scale_(scale), findings_(findings) {}

void RowParser::NotPlaced(const Cell& cell, absl::string_view why) {
  findings_->Add(cell.line, cell.column, cell.raw, absl::StrCat("not placed: ", why),
                 Severity::kError);
}

bool RowParser::IsGrade(absl::string_view norm) const {
  if (scale_.grades_size() > 0) return ScaleHasCode(scale_, norm);
  return layout_.has_rating_column && IsCommonGradeCode(norm);
}

std::optional<ParsedRow> RowParser::Parse(const Record& record) {
  ParsedRow row;
  row.line = record.line;
  // Where the 区分 or schedule cells begin: titles and labels lie before.
  const std::vector<Cell>& cells = record.cells;
  auto kind_or_phase = std::find_if(cells.begin(), cells.end(), IsKindOrPhase);
  const size_t stop = static_cast<size_t>(kind_or_phase - cells.begin());
  std::optional<size_t> after_titles = ReadTitles(record, stop, &row);
  if (!after_titles.has_value()) return std::nullopt;
  const size_t p = ReadKindCell(record, *after_titles, &row);
  const size_t after_schedule = ReadSchedule(record, p, &row);
  std::optional<size_t> rating = ReadRating(record, after_schedule, &row);
  ReadOutcomes(record, after_schedule, rating.value_or(cells.size()), rating.has_value(), &row);
  return row;
}

std::optional<size_t> RowParser::ReadTitles(const Record& record, size_t stop, ParsedRow* row) {
  const std::vector<Cell>& cells = record.cells;
  const size_t label_columns = static_cast<size_t>(std::max(0, layout_.label_columns));
  const size_t search_end = std::min(stop, label_columns + 3);
  for (size_t first = 0; first < search_end; ++first) {
    if (cells[first].empty() || !ReadTitleCell(cells[first]).has_value()) continue;
    size_t i = first;
    while (i < stop && !cells[i].empty()) {
      std::optional<RowTitle> title = ReadTitleCell(cells[i]);
      if (!title.has_value()) break;
      row->titles.push_back(*std::move(title));
      ++i;
    }
    ReadLabels(record, first, row);
    return i;
  }
  if (stop >= cells.size()) return std::nullopt;
  // No numbered title, but 区分 or a schedule follows: the last text before it is the
  // title; the number is given when the row joins its area.
  size_t candidate = stop;
  while (candidate > 0 && cells[candidate - 1].empty()) --candidate;
  if (candidate == 0) return std::nullopt;
  const Cell& cell = cells[--candidate];
  RowTitle title;
  title.cell = &cell;
  title.title = cell.raw;
  for (absl::string_view marker : kRelistNormMarkers) {
    title.relisted = title.relisted || absl::StrContains(cell.norm, marker);
  }
  for (absl::string_view marker : kRelistRawMarkers) title.title = RemoveAll(title.title, marker);
  row->titles.push_back(std::move(title));
  ReadLabels(record, candidate, row);
  return candidate + 1;
}

size_t RowParser::ReadKindCell(const Record& record, size_t p, ParsedRow* row) {
  const std::vector<Cell>& cells = record.cells;
  // 区分: one column, which may be empty.
  if (p >= cells.size()) return p;
  if (cells[p].empty()) return p + 1;
  if (std::optional<v1::InitiativeKind> kind = KindFromWord(cells[p].norm)) {
    row->kind = *kind;
    return p + 1;
  }
  if (!IsScheduleCell(cells[p]) && p + 1 < cells.size() && IsScheduleCell(cells[p + 1])) {
    findings_->Add(cells[p].line, cells[p].column, cells[p].raw,
                   "区分 is neither 新規 nor 継続; the initiative's kind was left unset",
                   Severity::kError);
    return p + 1;
  }
  return p;
}

std::optional<size_t> RowParser::ReadRating(const Record& record, size_t begin, ParsedRow* row) {
  const std::vector<Cell>& cells = record.cells;
  // The rating: the last non-empty cell, when it is a grade.
  size_t last = cells.size();
  while (last > begin && cells[last - 1].empty()) --last;
  if (last == begin) return std::nullopt;
  const Cell& cell = cells[--last];
  if (IsGrade(cell.norm)) {
    row->grade = cell.norm;
    if (scale_.grades_size() == 0 &&
        std::find(seen_codes_.begin(), seen_codes_.end(), cell.norm) == seen_codes_.end()) {
      seen_codes_.push_back(cell.norm);
    }
    return last;
  }
  if (!layout_.has_rating_column || !LooksLikeGrade(cell.norm)) return std::nullopt;
  std::vector<std::string> codes;
  for (const v1::Grade& g : scale_.grades()) codes.push_back(g.code());
  findings_->Add(cell.line, cell.column, cell.raw,
                 absl::StrCat("not placed: '", cell.raw,
                              "' is not a grade of the rating "
                              "scale (",
                              absl::StrJoin(codes, ", "), "); the initiative was left unrated"),
                 Severity::kError);
  return last;
}

void RowParser::ReadLabels(const Record& record, size_t first_title, ParsedRow* row) {
  const std::vector<Cell>& cells = record.cells;
  const size_t slots = static_cast<size_t>(std::max(0, layout_.label_columns));
  row->labels.assign(slots, nullptr);
  if (first_title == slots) {
    for (size_t k = 0; k < slots; ++k) row->labels[k] = &cells[k];
  } else if (first_title > slots) {
    ReadLabelsBeforeALateTitle(record, first_title, row);
  } else {
    ReadLabelsBeforeAnEarlyTitle(record, first_title, row);
  }
}

void RowParser::ReadLabelsBeforeALateTitle(const Record& record, size_t first_title,
                                           ParsedRow* row) {
  const std::vector<Cell>& cells = record.cells;
  const size_t slots = row->labels.size();
  const Cell& title = cells[first_title];
  const size_t extra = first_title - slots;
  bool leading_empty = true;
  for (size_t k = 0; k < extra; ++k) leading_empty = leading_empty && cells[k].empty();
  if (leading_empty) {
    for (size_t k = 0; k < slots; ++k) row->labels[k] = &cells[extra + k];
    findings_->Add(title.line, title.column, title.raw,
                   absl::StrCat("the title is in column ", title.column, " instead of ", slots + 1,
                                ": the row is shifted right by ", extra,
                                " empty column(s) and was read as if it were not"),
                   Severity::kRepair);
    return;
  }
  std::vector<const Cell*> filled;
  for (size_t k = 0; k < first_title; ++k) {
    if (!cells[k].empty()) filled.push_back(&cells[k]);
  }
  while (filled.size() > slots) {
    NotPlaced(*filled.front(), "more label cells before the title than 中項目 and 小項目");
    filled.erase(filled.begin());
  }
  size_t offset = slots - filled.size();
  for (size_t k = 0; k < filled.size(); ++k) row->labels[offset + k] = filled[k];
  findings_->Add(
      title.line, title.column, title.raw,
      absl::StrCat("the title is in column ", title.column, " instead of ", slots + 1,
                   "; the label cells before it were read as ",
                   slots == 2 && filled.size() == 1 ? "the 小項目" : "the nearest label columns"),
      Severity::kGuess);
}

void RowParser::ReadLabelsBeforeAnEarlyTitle(const Record& record, size_t first_title,
                                             ParsedRow* row) {
  const std::vector<Cell>& cells = record.cells;
  const size_t slots = row->labels.size();
  const Cell& title = cells[first_title];
  // Fewer cells than label columns: they are the innermost labels (nearest the title).
  size_t missing = slots - first_title;
  const Cell* first_filled = nullptr;
  for (size_t k = 0; k < first_title; ++k) {
    row->labels[missing + k] = &cells[k];
    if (first_filled == nullptr && !cells[k].empty()) first_filled = &cells[k];
  }
  if (first_filled != nullptr) {
    size_t slot = missing + static_cast<size_t>(first_filled->column - 1);
    findings_->Add(first_filled->line, first_filled->column, first_filled->raw,
                   absl::StrCat("only ", first_title, " cell(s) before the title instead of ",
                                slots, "; read as the ", LabelName(slot, slots),
                                ", the labels to its left carried down from above"),
                   Severity::kGuess);
  } else {
    findings_->Add(title.line, title.column, title.raw,
                   absl::StrCat("the title is in column ", title.column, " instead of ", slots + 1,
                                ": the row is shifted left; 中項目 and 小項目 were "
                                "carried down from above"),
                   Severity::kRepair);
  }
}

std::optional<size_t> RowParser::LastScheduleToken(const Record& record, size_t begin) const {
  const std::vector<Cell>& cells = record.cells;
  const size_t years = layout_.schedule_years.size();
  // The run of schedule cells; empty cells inside it are years without a phase.
  std::optional<size_t> last;
  for (size_t j = begin; j < cells.size(); ++j) {
    if (cells[j].empty()) {
      if (j - begin >= years + 1) break;
      continue;
    }
    if (!ReadScheduleToken(cells[j].norm).has_value()) break;
    last = j;
  }
  return last;
}

size_t RowParser::CellsAfterTheSchedule() const {
  return layout_.outcome_years.size() + (layout_.has_rating_column ? 1 : 0);
}

size_t RowParser::StartOfScheduleRun(const Record& record, size_t begin) {
  const std::vector<Cell>& cells = record.cells;
  size_t first = begin;
  while (first < cells.size() && cells[first].empty() && first - begin < 3) ++first;
  if (first == begin || first >= cells.size() || !IsScheduleCell(cells[first])) return begin;
  // Only cells beyond a full row can be a shift; a short row is taken to be shifted.
  const size_t full = layout_.schedule_years.size() + CellsAfterTheSchedule();
  const size_t room = cells.size() - begin;
  const size_t shift = room >= full ? std::min(first - begin, room - full) : first - begin;
  if (shift == 0) return begin;
  const Cell& start = cells[begin + shift];
  findings_->Add(start.line, start.column, start.raw,
                 absl::StrCat(shift,
                              " empty cell(s) between 区分 and the schedule; the "
                              "schedule was read from column ",
                              start.column),
                 Severity::kRepair);
  return begin + shift;
}

size_t RowParser::EndOfScheduleRun(const Record& record, size_t begin, size_t last_token) const {
  const std::vector<Cell>& cells = record.cells;
  const size_t years = layout_.schedule_years.size();
  const size_t after = CellsAfterTheSchedule();
  size_t end = last_token + 1;
  while (end - begin < years && end < cells.size() && cells[end].empty() &&
         cells.size() - (end + 1) >= after) {
    ++end;
  }
  return end;
}

void RowParser::DropCellsAfterTheLastYear(std::vector<const Cell*>* run) {
  const std::vector<int>& years = layout_.schedule_years;
  const size_t total = run->size();
  std::vector<const Cell*> dropped;
  // Extra ⇒ at the end (and empty cells between them) go; anything else stays put.
  while (run->size() > years.size()) {
    const Cell& back = *run->back();
    if (!back.empty()) {
      std::optional<ScheduleToken> token = ReadScheduleToken(back.norm);
      if (!token.has_value() || token->kind != ScheduleTokenKind::kContinuation) break;
      dropped.push_back(&back);
    }
    run->pop_back();
  }
  if (!dropped.empty()) {
    findings_->Add(
        dropped.back()->line, dropped.back()->column, dropped.back()->raw,
        absl::StrCat("the row has ", total, " schedule cells for ", years.size(), " years (",
                     YearList(years), "); ", dropped.size(), " extra ⇒ dropped"),
        Severity::kRepair);
  }
  while (run->size() > years.size()) {
    if (!run->back()->empty()) NotPlaced(*run->back(), "a schedule cell after the last year");
    run->pop_back();
  }
}

std::vector<int> RowParser::ScheduleEntries(const std::vector<const Cell*>& run, ParsedRow* row) {
  const std::vector<int>& years = layout_.schedule_years;
  v1::Phase current = v1::PHASE_UNSPECIFIED;
  std::vector<int> filled;
  for (size_t k = 0; k < years.size(); ++k) {
    v1::ScheduleEntry entry;
    entry.set_fiscal_year(years[k]);
    if (k >= run.size()) {
      // No cell for this year (the row is short): the last phase is taken to continue.
      if (current == v1::PHASE_UNSPECIFIED) continue;
      entry.set_phase(current);
      entry.set_continuation(true);
      row->schedule.push_back(entry);
      filled.push_back(years[k]);
      continue;
    }
    const Cell& cell = *run[k];
    std::optional<ScheduleToken> token = cell.empty() ? std::nullopt : ReadScheduleToken(cell.norm);
    if (!token.has_value() || token->kind == ScheduleTokenKind::kNone) {
      current = v1::PHASE_UNSPECIFIED;
      continue;
    }
    if (token->kind == ScheduleTokenKind::kPhase) {
      current = token->phase;
      entry.set_phase(current);
    } else if (current == v1::PHASE_UNSPECIFIED) {
      NotPlaced(cell, "⇒ (same as the year before) with no phase in the year before");
      continue;
    } else {
      entry.set_phase(current);
      entry.set_continuation(true);
    }
    row->schedule.push_back(entry);
  }
  return filled;
}

size_t RowParser::ReadSchedule(const Record& record, size_t begin, ParsedRow* row) {
  const std::vector<int>& years = layout_.schedule_years;
  if (years.empty()) return begin;
  begin = StartOfScheduleRun(record, begin);
  std::optional<size_t> last_token = LastScheduleToken(record, begin);
  if (!last_token.has_value()) {
    findings_->Add(record.line, 0, record.JoinedText(),
                   "no schedule cells (研究 検討 試行 実施 ⇒) in this row; the initiative has no "
                   "schedule",
                   Severity::kInfo);
    return begin;
  }
  const size_t end = EndOfScheduleRun(record, begin, *last_token);
  std::vector<const Cell*> run;
  for (size_t j = begin; j < end; ++j) run.push_back(&record.cells[j]);
  if (run.size() > years.size()) DropCellsAfterTheLastYear(&run);

  std::vector<int> filled = ScheduleEntries(run, row);
  if (run.size() < years.size()) {
    const Cell& last = *run.back();
    const std::string made =
        filled.empty() ? "the later years have no phase"
                       : absl::StrCat(YearList(filled), " taken to continue the last phase (⇒)");
    findings_->Add(
        last.line, last.column, last.raw,
        absl::StrCat("the row has ", run.size(), " schedule cells for ", years.size(), " years",
                     filled.empty() ? "" : absl::StrCat(" (", YearList(years), ")"), "; ", made),
        Severity::kGuess);
  }
  return end;
}

std::vector<const Cell*> RowParser::OutcomeCells(const Record& record, size_t begin, size_t end,
                                                 bool has_rating) {
  const std::vector<Cell>& cells = record.cells;
  const size_t m = layout_.outcome_years.size();
  std::vector<const Cell*> region;
  for (size_t i = begin; i < end && i < cells.size(); ++i) region.push_back(&cells[i]);
  if (has_rating) {
    size_t dropped = 0;
    while (region.size() > m && region.back()->empty()) {
      region.pop_back();
      ++dropped;
    }
    if (dropped > 0) {
      const Cell& rating = cells[end];
      findings_->Add(rating.line, rating.column, rating.raw,
                     absl::StrCat(dropped,
                                  " empty cell(s) between the outcomes and the "
                                  "rating; the rating was read from column ",
                                  rating.column),
                     Severity::kRepair);
    }
    while (region.size() > m && region.front()->empty()) {
      const Cell& skipped = *region.front();
      findings_->Add(skipped.line, skipped.column, "",
                     "an empty cell before the outcomes; the outcomes were read from the next "
                     "column",
                     Severity::kRepair);
      region.erase(region.begin());
    }
  } else {
    while (region.size() > m && region.back()->empty()) region.pop_back();
  }
  while (region.size() > m) {
    if (!region.back()->empty()) NotPlaced(*region.back(), "a cell after the last outcome year");
    region.pop_back();
  }
  return region;
}

void RowParser::ReadOutcomes(const Record& record, size_t begin, size_t end, bool has_rating,
                             ParsedRow* row) {
  const std::vector<OutcomeYear>& years = layout_.outcome_years;
  if (years.empty()) {
    for (size_t i = begin; i < end && i < record.cells.size(); ++i) {
      if (!record.cells[i].empty()) {
        NotPlaced(record.cells[i], "the header has no outcome year columns");
      }
    }
    return;
  }
  std::vector<const Cell*> region = OutcomeCells(record, begin, end, has_rating);
  size_t filled = 0;
  for (const Cell* cell : region) filled += cell->empty() ? 0 : 1;
  if (filled == 0) return;
  if (filled == 1 && !region[0]->empty() && years.size() > 1 && !IsDashOnly(region[0]->norm)) {
    ReadOneCellForThePeriod(*region[0], row);
    return;
  }
  for (size_t k = 0; k < region.size(); ++k) {
    const Cell& cell = *region[k];
    if (cell.empty() || IsDashOnly(cell.norm)) continue;
    row->outcomes.push_back(MakeOutcome(years[k].fiscal_year, cell.raw, years[k].as_of));
  }
}

void RowParser::ReadOneCellForThePeriod(const Cell& cell, ParsedRow* row) {
  const std::vector<OutcomeYear>& years = layout_.outcome_years;
  const size_t m = years.size();
  // One cell for the whole period — unless it repeats one group of figures per year.
  std::optional<std::vector<std::string>> pieces = SplitPerYear(cell.raw, static_cast<int>(m));
  if (!pieces.has_value()) {
    row->outcomes.push_back(MakeOutcome(0, cell.raw, years.back().as_of));
    return;
  }
  for (size_t k = 0; k < m; ++k) {
    row->outcomes.push_back(MakeOutcome(years[k].fiscal_year, (*pieces)[k], years[k].as_of));
  }
  std::vector<int> year_numbers;
  for (const OutcomeYear& y : years) year_numbers.push_back(y.fiscal_year);
  findings_->Add(cell.line, cell.column, cell.raw,
                 absl::StrCat("one cell holds ", m, " groups of figures, one per year (",
                              YearList(year_numbers), "); split into yearly outcomes"),
                 Severity::kGuess);
}

}  // namespace torikumi::table
