// One data row of an area → the initiative(s) it names, their schedule, outcomes and
// rating. The row is read by what its cells are (a numbered title, 新規/継続, schedule
// tokens, a grade) rather than by fixed positions, because merged cells in the original
// sheet leave cells shifted: an extra ⇒, an empty column, a title one column off.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/table/finding.h"
#include "services/table/header.h"
#include "services/table/records.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::table {

struct RowTitle {
  const Cell* cell = nullptr;
  int number = 0;     // 0 when the title has no number
  std::string title;  // verbatim, without the number and the （再掲） marker
  bool relisted = false;
};

struct ParsedRow {
  int line = 0;
  // One slot per label column (中項目, 小項目), right-aligned to the title; null or empty
  // means "carried down from the row above" (a merged cell).
  std::vector<const Cell*> labels;
  std::vector<RowTitle> titles;  // usually one; two when two numbered titles share a row
  v1::InitiativeKind kind = v1::INITIATIVE_KIND_UNSPECIFIED;
  std::vector<v1::ScheduleEntry> schedule;
  std::vector<v1::Outcome> outcomes;
  std::string grade;  // empty when the row has no rating
};

class RowParser {
 public:
  // `scale` holds the grades of the legend; when it is empty (no legend), common grade
  // codes are accepted and collected in seen_codes().
  RowParser(const TableLayout& layout, const v1::RatingScale& scale, FindingSink* findings);

  // nullopt when the row names no initiative; its cells are then reported as not placed.
  std::optional<ParsedRow> Parse(const Record& record);

  const std::vector<std::string>& seen_codes() const { return seen_codes_; }

 private:
  // The numbered title(s) before `stop` (where 区分 or the schedule begins), or the last text
  // before it, and the labels before them; returns the index after the titles, or nullopt
  // when the row has no title.
  std::optional<size_t> ReadTitles(const Record& record, size_t stop, ParsedRow* row);
  void ReadLabels(const Record& record, size_t first_title, ParsedRow* row);
  // More cells than label columns before the title, or fewer.
  void ReadLabelsBeforeALateTitle(const Record& record, size_t first_title, ParsedRow* row);
  void ReadLabelsBeforeAnEarlyTitle(const Record& record, size_t first_title, ParsedRow* row);
  // 区分 at `p`; returns the index after it.
  size_t ReadKindCell(const Record& record, size_t p, ParsedRow* row);
  // The schedule from `begin` (the column after 区分); returns the index after it.
  size_t ReadSchedule(const Record& record, size_t begin, ParsedRow* row);
  // Empty cells at either end of the schedule are years without a phase, as empty cells
  // inside the run are — a schedule that starts late (an empty cell, then 実施 ⇒ ⇒ ⇒) or
  // ends early (検討 ⇒ ⇒ then two empty cells) says those years are not scheduled — as
  // long as the row holds a full row's cells: the schedule years, then the outcome years
  // and the rating (CellsAfterTheSchedule).
  size_t CellsAfterTheSchedule() const;
  // Where the schedule's first year is: `begin`, or past up to three empty cells when the
  // row has that many cells more than a full row (shifted right by a merged cell) or is
  // short of cells; the shift is reported as a repair.
  size_t StartOfScheduleRun(const Record& record, size_t begin);
  std::optional<size_t> LastScheduleToken(const Record& record, size_t begin) const;
  // One past the schedule's last cell: past the empty cells after the last token that
  // leave the outcome and rating cells after them. A row too short for that is missing
  // cells, and ReadSchedule reports what it makes of them.
  size_t EndOfScheduleRun(const Record& record, size_t begin, size_t last_token) const;
  // More schedule cells than years: extra ⇒ at the end are dropped, anything else is
  // reported as not placed.
  void DropCellsAfterTheLastYear(std::vector<const Cell*>* run);
  // The entries of `run`, one per year; returns the years without a cell that were taken
  // to continue the last phase.
  std::vector<int> ScheduleEntries(const std::vector<const Cell*>& run, ParsedRow* row);

  // The grade in the last non-empty cell from `begin` on; returns its index, or nullopt
  // when the row has no rating.
  std::optional<size_t> ReadRating(const Record& record, size_t begin, ParsedRow* row);
  void ReadOutcomes(const Record& record, size_t begin, size_t end, bool has_rating,
                    ParsedRow* row);
  // The cells of the outcome years between `begin` and `end`, past empty cells a merged
  // cell left before the outcomes or before the rating.
  std::vector<const Cell*> OutcomeCells(const Record& record, size_t begin, size_t end,
                                        bool has_rating);
  // One outcome cell for the whole period, or one group of figures per year in it.
  void ReadOneCellForThePeriod(const Cell& cell, ParsedRow* row);
  bool IsGrade(absl::string_view norm) const;
  void NotPlaced(const Cell& cell, absl::string_view why);

  const TableLayout& layout_;
  const v1::RatingScale& scale_;
  FindingSink* findings_;
  std::vector<std::string> seen_codes_;
};

// Reads "12 各職場の…（再掲）" → number 12, title, relisted. nullopt unless the cell starts
// with a number of at most three digits followed by a space or . 、 ) :
std::optional<RowTitle> ReadTitleCell(const Cell& cell);

// 研究 検討 試行 実施 → the phase; ⇒ and the other arrows → continuation; a dash → no phase
// that year (the words: services/common/table_words.h).
enum class ScheduleTokenKind { kPhase, kContinuation, kNone };
struct ScheduleToken {
  ScheduleTokenKind kind = ScheduleTokenKind::kNone;
  v1::Phase phase = v1::PHASE_UNSPECIFIED;
};
std::optional<ScheduleToken> ReadScheduleToken(absl::string_view norm);

}  // namespace torikumi::table
