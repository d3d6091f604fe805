// One data row of an area → the initiative(s) it names, their schedule, outcomes and
// rating. The row is read by what its cells are (a numbered title, 新規/継続, schedule
// tokens, a grade) rather than by fixed positions, because merged cells in the original
// sheet leave cells shifted: an extra ⇒, an empty column, a title one column off.
#pragma once

#include <string>
#include <vector>

#include "absl/types/optional.h"
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
  absl::optional<ParsedRow> Parse(const Record& record);

  const std::vector<std::string>& seen_codes() const { return seen_codes_; }

 private:
  void ReadLabels(const Record& record, size_t first_title, ParsedRow* row);
  size_t ReadSchedule(const Record& record, size_t begin, ParsedRow* row);
  void ReadOutcomes(const Record& record, size_t begin, size_t end, bool has_rating,
                    ParsedRow* row);
  bool IsGrade(absl::string_view norm) const;
  void NotPlaced(const Cell& cell, absl::string_view why);

  const TableLayout& layout_;
  const v1::RatingScale& scale_;
  FindingSink* findings_;
  std::vector<std::string> seen_codes_;
};

// Reads "12 各職場の…（再掲）" → number 12, title, relisted. nullopt unless the cell starts
// with a number of at most three digits followed by a space or . 、 ) :
absl::optional<RowTitle> ReadTitleCell(const Cell& cell);

// 研究 検討 試行 実施 → the phase; ⇒ → and ⇨ → continuation; a dash → no phase that year.
enum class ScheduleTokenKind { kPhase, kContinuation, kNone };
struct ScheduleToken {
  ScheduleTokenKind kind = ScheduleTokenKind::kNone;
  v1::Phase phase = v1::PHASE_UNSPECIFIED;
};
absl::optional<ScheduleToken> ReadScheduleToken(absl::string_view norm);

// 新規 → NEW, 継続 → CONTINUING.
absl::optional<v1::InitiativeKind> ReadKind(absl::string_view norm);

// The words the writers print for a phase: 研究 検討 試行 実施.
absl::string_view PhaseWord(v1::Phase phase);
absl::string_view KindWord(v1::InitiativeKind kind);

// Markers in titles for a re-listed initiative, and the one the writers print.
inline constexpr absl::string_view kRelistMarker = "（再掲）";
inline constexpr absl::string_view kContinuationMark = "⇒";
inline constexpr absl::string_view kNoPhaseMark = "－";

}  // namespace torikumi::table
