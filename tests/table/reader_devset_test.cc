// The reader on a table written in another department's style than the seed's: the
// ratings development set (H31–R5, three areas of twelve initiatives), and a schedule
// that ends early, read as it stands.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/table/table_reader.h"
#include "tests/table/seed_table.h"

namespace torikumi::table {
namespace {

using testing::DevsetBytes;
using testing::Find;
using testing::FindingsText;
using testing::OutcomeFor;

// The findings on one input line.
std::string FindingsOnLine(const ParsedTable& table, int line) {
  std::string out;
  for (const Finding& f : table.findings) {
    if (f.line == line) out += FormatFinding(f) + "\n";
  }
  return out;
}

// A plan of three years (R1–R3) with a legend and the one data row `row`.
std::string ThreeYearTable(const std::string& row) {
  return absl::StrCat(
      "計画（令和元年度～令和3年度）\n【総務】\n"
      "中項目\t小項目\t具体的な取組\t区分\tスケジュール\t\t\t取組状況\t\t\t評価\n"
      "\t\t\t\tR1\tR2\tR3\tR1\tR2\tR3\t\n",
      row, "\n※評価 A：実施できた、B：概ね実施できた、C：実施できなかった\n");
}

TEST(TableDevsetTest, EveryInitiativeIsRead) {
  absl::StatusOr<ParsedTable> read = ReadTable(DevsetBytes());
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->plan.areas_size(), 3);
  EXPECT_EQ(read->plan.areas(0), "業務改革");
  EXPECT_EQ(read->plan.period().first_fiscal_year(), 2019);
  EXPECT_EQ(read->plan.period().last_fiscal_year(), 2023);
  ASSERT_EQ(read->initiatives.size(), 36u) << FindingsText(*read);
  // Nothing repaired or guessed: the one finding says a （再掲） was linked.
  for (const Finding& f : read->findings) {
    EXPECT_EQ(f.severity, Severity::kInfo) << FormatFinding(f);
  }
}

// 業務改革 3 (line 7): 検討 ⇒ ⇒ and two empty cells under R4 and R5. The study was planned
// for three years only: R4 and R5 have no phase, nothing is guessed or repaired, and the
// outcome text stays in its own column (not pushed into R3 by the two empty cells).
TEST(TableDevsetTest, AScheduleThatEndsEarlyIsReadAsItStands) {
  absl::StatusOr<ParsedTable> read = ReadTable(DevsetBytes());
  ASSERT_TRUE(read.ok()) << read.status();
  const ImportedInitiative* three = Find(*read, "業務改革", 3);
  ASSERT_NE(three, nullptr);
  EXPECT_EQ(three->source_line, 7);
  const v1::Initiative& initiative = three->initiative;
  ASSERT_EQ(initiative.schedule_size(), 3);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(initiative.schedule(k).fiscal_year(), 2019 + k);
    EXPECT_EQ(initiative.schedule(k).phase(), v1::PHASE_CONSIDER);
    EXPECT_EQ(initiative.schedule(k).continuation(), k > 0);
  }
  EXPECT_EQ(FindingsOnLine(*read, 7), "");
  ASSERT_EQ(three->outcomes.size(), 1u);
  EXPECT_EQ(OutcomeFor(*three, 2021), nullptr);
  EXPECT_TRUE(absl::StartsWith(three->outcomes[0].text(), "市が出資する6団体"))
      << three->outcomes[0].text();
  EXPECT_EQ(initiative.human_rating().grade(), "A");
}

// The same in a small table, with outcomes in every year: the empty schedule cells of R3
// take no phase and the outcomes keep their years.
TEST(TableDevsetTest, EmptyScheduleCellsAtTheEndAreYearsWithoutAPhase) {
  absl::StatusOr<ParsedTable> read =
      ReadTable(ThreeYearTable("\t\t1 一\t継続\t研究\t⇒\t\tx\ty\tz\tA"));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->initiatives.size(), 1u);
  const ImportedInitiative& one = read->initiatives[0];
  ASSERT_EQ(one.initiative.schedule_size(), 2);
  EXPECT_EQ(one.initiative.schedule(1).fiscal_year(), 2020);
  EXPECT_EQ(one.initiative.schedule(1).phase(), v1::PHASE_RESEARCH);
  ASSERT_EQ(one.outcomes.size(), 3u);
  ASSERT_NE(OutcomeFor(one, 2021), nullptr);
  EXPECT_EQ(OutcomeFor(one, 2021)->text(), "z");
  EXPECT_TRUE(read->findings.empty()) << FindingsText(*read);
}

// A row that goes straight from its last schedule cell to the outcomes is missing a cell:
// there the later year is still taken to continue, and the guess is reported.
TEST(TableDevsetTest, ARowMissingScheduleCellsIsStillAGuess) {
  absl::StatusOr<ParsedTable> read =
      ReadTable(ThreeYearTable("\t\t1 一\t継続\t研究\t⇒\tx\ty\tz\tA"));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->initiatives.size(), 1u);
  ASSERT_EQ(read->initiatives[0].initiative.schedule_size(), 3);
  EXPECT_TRUE(read->initiatives[0].initiative.schedule(2).continuation());
  ASSERT_EQ(read->findings.size(), 1u) << FindingsText(*read);
  EXPECT_EQ(read->findings[0].severity, Severity::kGuess);
  EXPECT_TRUE(absl::StrContains(read->findings[0].action, "taken to continue"))
      << read->findings[0].action;
}

}  // namespace
}  // namespace torikumi::table
