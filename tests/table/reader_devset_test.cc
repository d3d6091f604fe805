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

// A plan of five years (R2–R6) in the header of the holdout table (written independently
// of this reader; testdata/ratings-holdout), with the data rows `rows`.
std::string FiveYearTable(const std::string& rows) {
  return absl::StrCat(
      "第2次 健康増進計画（令和2年度～令和6年度）の進捗状況\n【生活習慣病の予防】\n"
      "中項目\t小項目\t具体的な取組\t区分\tスケジュール\t\t\t\t\t取組状況\t\t\t\t\t評価\n"
      "\t\t\t\tR2\tR3\tR4\tR5\tR6\tR2\tR3\tR4\tR5\tR6（～9月）\t\n",
      rows,
      "\n※評価 A：実施できた、B：概ね実施できた（一部実施できなかった）、C：実施できなかった\n");
}

// The schedule of `item` as "year:phase" (+ for ⇒), for comparing a whole schedule at once.
std::string ScheduleText(const ImportedInitiative& item) {
  std::string out;
  for (const v1::ScheduleEntry& e : item.initiative.schedule()) {
    absl::StrAppend(&out, out.empty() ? "" : " ", e.fiscal_year(), ":", v1::Phase_Name(e.phase()),
                    e.continuation() ? "+" : "");
  }
  return out;
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

// A schedule that starts late: the empty cell under R1 is a year without a phase, as the
// empty cells at the end are; the row holds all its cells, so nothing is shifted.
TEST(TableDevsetTest, EmptyScheduleCellsAtTheStartAreYearsWithoutAPhase) {
  absl::StatusOr<ParsedTable> read =
      ReadTable(ThreeYearTable("\t\t1 一\t新規\t\t検討\t⇒\tx\ty\tz\tB"));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->initiatives.size(), 1u);
  const ImportedInitiative& one = read->initiatives[0];
  EXPECT_EQ(ScheduleText(one), "2020:PHASE_CONSIDER 2021:PHASE_CONSIDER+");
  ASSERT_EQ(one.outcomes.size(), 3u);
  ASSERT_NE(OutcomeFor(one, 2019), nullptr);
  EXPECT_EQ(OutcomeFor(one, 2019)->text(), "x");
  EXPECT_EQ(one.initiative.human_rating().grade(), "B");
  EXPECT_TRUE(read->findings.empty()) << FindingsText(*read);
}

// Empty cells at both ends: only the middle year is scheduled.
TEST(TableDevsetTest, EmptyScheduleCellsAtBothEndsAreYearsWithoutAPhase) {
  absl::StatusOr<ParsedTable> read =
      ReadTable(ThreeYearTable("\t\t1 一\t継続\t\t試行\t\tx\ty\tz\tA"));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->initiatives.size(), 1u);
  const ImportedInitiative& one = read->initiatives[0];
  EXPECT_EQ(ScheduleText(one), "2020:PHASE_TRIAL");
  ASSERT_NE(OutcomeFor(one, 2021), nullptr);
  EXPECT_EQ(OutcomeFor(one, 2021)->text(), "z");
  EXPECT_TRUE(read->findings.empty()) << FindingsText(*read);
}

// A row with one cell more than a full row and an empty cell before the schedule is still
// shifted right by a merged cell: the schedule is read from the next column, a repair.
TEST(TableDevsetTest, ARowWithAnExtraEmptyCellBeforeTheScheduleIsStillShifted) {
  absl::StatusOr<ParsedTable> read =
      ReadTable(ThreeYearTable("\t\t1 一\t継続\t\t研究\t⇒\t⇒\tx\ty\tz\tA"));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->initiatives.size(), 1u);
  EXPECT_EQ(ScheduleText(read->initiatives[0]),
            "2019:PHASE_RESEARCH 2020:PHASE_RESEARCH+ 2021:PHASE_RESEARCH+");
  ASSERT_EQ(read->findings.size(), 1u) << FindingsText(*read);
  EXPECT_EQ(read->findings[0].severity, Severity::kRepair);
}

// The holdout table's 9 (line 14): nothing under R2, 実施 from R3, and one outcome text for
// the whole period; its 12 (line 34): 検討 ⇒ ⇒ then two empty cells, and the text again
// for the whole period (not under R4).
TEST(TableDevsetTest, HoldoutRowsThatStartLateOrEndEarlyAreReadAsTheyStand) {
  const std::string row9 =
      "健（検）診の受診促進\t新たな検診\t9 "
      "骨粗しょう症検診の導入\t新規\t\t実施\t⇒\t⇒\t⇒\t令和３年度からの導入を予定していたが、検診車"
      "の確保が困難であり、費用負担も大きいことから、導入を取りやめた。\t\t\t\t\tC";
  const std::string row12 =
      "\t地域の健康課題の把握\t12 "
      "地区別健康データの分析\t新規\t検討\t⇒\t⇒\t\t\t国保データベース等を活用した地区別の健康課題の"
      "分析方法について、大学と協議を重ねながら検討した。令和４年度に分析結果を地区別健康カルテとし"
      "て取りまとめた。\t\t\t\t\tA";
  absl::StatusOr<ParsedTable> read = ReadTable(FiveYearTable(absl::StrCat(row9, "\n", row12)));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->initiatives.size(), 2u) << FindingsText(*read);
  const ImportedInitiative* nine = Find(*read, "生活習慣病の予防", 9);
  ASSERT_NE(nine, nullptr);
  EXPECT_EQ(ScheduleText(*nine),
            "2021:PHASE_IMPLEMENT 2022:PHASE_IMPLEMENT+ 2023:PHASE_IMPLEMENT+ "
            "2024:PHASE_IMPLEMENT+");
  ASSERT_EQ(nine->outcomes.size(), 1u);
  EXPECT_EQ(nine->outcomes[0].fiscal_year(), 0);
  EXPECT_TRUE(absl::StartsWith(nine->outcomes[0].text(), "令和３年度からの導入"))
      << nine->outcomes[0].text();
  EXPECT_EQ(nine->initiative.human_rating().grade(), "C");
  const ImportedInitiative* twelve = Find(*read, "生活習慣病の予防", 12);
  ASSERT_NE(twelve, nullptr);
  EXPECT_EQ(ScheduleText(*twelve), "2020:PHASE_CONSIDER 2021:PHASE_CONSIDER+ 2022:PHASE_CONSIDER+");
  ASSERT_EQ(twelve->outcomes.size(), 1u);
  EXPECT_EQ(twelve->outcomes[0].fiscal_year(), 0);
  EXPECT_TRUE(absl::StartsWith(twelve->outcomes[0].text(), "国保データベース"))
      << twelve->outcomes[0].text();
  EXPECT_EQ(twelve->initiative.human_rating().grade(), "A");
  // No finding on the two rows (line 1 holds the title, whose info is not theirs).
  EXPECT_EQ(FindingsOnLine(*read, 5), "");
  EXPECT_EQ(FindingsOnLine(*read, 6), "");
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
