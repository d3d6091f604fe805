// The two header rows of an area: the first names the columns (中項目 小項目 具体的な取組
// 区分 スケジュール 取組状況 評価), the second lists the fiscal years of the schedule and of the
// outcomes (H30 R1 … R4（～8月）). The years are read from here, never assumed.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/table/finding.h"
#include "services/table/records.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::table {

struct OutcomeYear {
  int fiscal_year = 0;
  // From a note such as R4（～8月）: the year is reported up to 2022-08-31.
  std::optional<v1::Date> as_of;
};

struct TableLayout {
  int header_line = 0;
  // Label columns before the title column (中項目, 小項目): usually 2.
  int label_columns = 2;
  std::vector<int> schedule_years;
  std::vector<OutcomeYear> outcome_years;
  bool has_rating_column = true;
};

// The columns the first header row names.
enum class HeaderColumn { kTheme, kSubtheme, kTitle, kKind, kSchedule, kOutcome, kRating };

// The column a header word (NFKC) names: 中項目, 小項目, 具体的な取組 (取組内容, 取組), 区分,
// スケジュール, 取組状況 (実施状況, 進捗状況), 評価; nullopt for any other text.
std::optional<HeaderColumn> HeaderColumnNamed(absl::string_view norm);

// True for the first header row: at least three of the known column names.
bool IsHeaderRow(const Record& record);

// Reads the layout from the header rows. `years` is the row after `names`, or null when
// there is none. Unreadable year cells are guessed from their neighbours or left out,
// with a finding; INVALID_ARGUMENT when no year can be read at all.
absl::StatusOr<TableLayout> ReadLayout(const Record& names, const Record* years,
                                       FindingSink* findings);

// "～8月" / "~8月末" / "8月31日現在" for fiscal year 2022 → 2022-08-31; months January to
// March fall in the next calendar year. nullopt when no month can be read.
std::optional<v1::Date> ParseAsOfNote(absl::string_view note, int fiscal_year);

// The last day of a month (leap years included).
int DaysInMonth(int year, int month);

}  // namespace torikumi::table
