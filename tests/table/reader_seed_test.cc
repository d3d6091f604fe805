// The reader against the real seed table (testdata/seed/hr-plan-progress-h30-r4.tsv):
// its figures, statuses and schedules, and each layout quirk of the file pinned down.
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "services/table/table_reader.h"
#include "services/table/text_util.h"
#include "tests/table/seed_table.h"

namespace torikumi::table {
namespace {

using testing::Find;
using testing::FindingsText;
using testing::OutcomeFor;
using testing::SeedBytes;

constexpr absl::string_view kTraining = "職員研修";
constexpr absl::string_view kCulture = "組織文化";
constexpr absl::string_view kEnvironment = "働きやすい環境";

class TableSeedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<ParsedTable> read = ReadTable(SeedBytes());
    ASSERT_TRUE(read.ok()) << read.status();
    table_ = new ParsedTable(*std::move(read));
  }
  static void TearDownTestSuite() {
    delete table_;
    table_ = nullptr;
  }
  const ParsedTable& table() { return *table_; }

  // The findings at `line` whose action contains `words`.
  int FindingsAt(int line, absl::string_view words, Severity severity) {
    int n = 0;
    for (const Finding& f : table_->findings) {
      if (f.line == line && f.severity == severity && absl::StrContains(f.action, words)) ++n;
    }
    return n;
  }

  static ParsedTable* table_;
};

ParsedTable* TableSeedTest::table_ = nullptr;

TEST_F(TableSeedTest, PlanTitlePeriodAndAreas) {
  EXPECT_EQ(table().plan.title(), "人材育成推進プラン");
  EXPECT_EQ(table().plan.period().first_fiscal_year(), 2018);
  EXPECT_EQ(table().plan.period().last_fiscal_year(), 2022);
  ASSERT_EQ(table().plan.areas_size(), 3);
  EXPECT_EQ(table().plan.areas(0), kTraining);
  EXPECT_EQ(table().plan.areas(1), kCulture);
  EXPECT_EQ(table().plan.areas(2), kEnvironment);
  EXPECT_EQ(table().detected_encoding, "UTF-8");
}

TEST_F(TableSeedTest, InitiativesPerArea) {
  std::map<std::string, int> per_area;
  for (const ImportedInitiative& item : table().initiatives) ++per_area[item.initiative.area()];
  EXPECT_EQ(table().initiatives.size(), 66u) << FindingsText(table());
  EXPECT_EQ(per_area[std::string(kTraining)], 19);
  EXPECT_EQ(per_area[std::string(kCulture)], 26);
  EXPECT_EQ(per_area[std::string(kEnvironment)], 21);
  // Numbers run 1..N in each area, in display order.
  std::map<std::string, int> next;
  for (const ImportedInitiative& item : table().initiatives) {
    int& expected = next[item.initiative.area()];
    EXPECT_EQ(item.initiative.number(), ++expected) << item.initiative.title();
  }
}

TEST_F(TableSeedTest, HumanRatingsCountsAndGrades) {
  std::map<std::string, int> per_area;
  std::map<std::string, int> per_grade;
  for (const ImportedInitiative& item : table().initiatives) {
    const std::string& grade = item.initiative.human_rating().grade();
    if (grade.empty()) continue;
    ++per_area[item.initiative.area()];
    ++per_grade[grade];
  }
  EXPECT_EQ(per_area[std::string(kTraining)], 17);
  EXPECT_EQ(per_area[std::string(kCulture)], 26);
  EXPECT_EQ(per_area[std::string(kEnvironment)], 21);
  EXPECT_EQ(per_grade["A"], 50);
  EXPECT_EQ(per_grade["B"], 12);
  EXPECT_EQ(per_grade["C"], 2);
}

// Every row with one numbered title: the grade in its last cell is on that initiative.
// Worked out from the raw file here, independently of the reader's row logic.
TEST_F(TableSeedTest, EachRatingIsOnTheInitiativeOfItsRow) {
  std::string area;
  int checked = 0;
  for (absl::string_view line : absl::StrSplit(SeedBytes(), '\n')) {
    std::vector<std::string> cells;
    for (absl::string_view cell : absl::StrSplit(line, '\t')) {
      if (!cell.empty()) cells.emplace_back(cell);
    }
    if (cells.size() == 1 && absl::StartsWith(cells[0], "【")) {
      area = cells[0].substr(3, cells[0].size() - 6);  // between 【 and 】
      continue;
    }
    if (cells.size() < 4) continue;
    const std::string& last = cells.back();
    if (last != "A" && last != "B" && last != "C") continue;
    std::vector<int> numbers;
    for (const std::string& cell : cells) {
      int number = 0;
      std::vector<std::string> parts = absl::StrSplit(cell, absl::MaxSplits(' ', 1));
      if (parts.size() == 2 && absl::SimpleAtoi(parts[0], &number)) numbers.push_back(number);
    }
    if (numbers.size() != 1) continue;  // two-title rows are checked below
    const ImportedInitiative* item = Find(table(), area, numbers[0]);
    ASSERT_NE(item, nullptr) << area << " " << numbers[0];
    EXPECT_EQ(item->initiative.human_rating().grade(), last) << area << " " << numbers[0];
    ++checked;
  }
  EXPECT_EQ(checked, 61);  // 64 ratings minus the three rows with two titles
}

// Rows with two titles: the data goes to the title that continues the numbering.
TEST_F(TableSeedTest, TwoTitlesInOneRow) {
  // Line 19: "10 専門の外部研修機関等研修への計画的派遣 | 9 任期付職員等研修の充実".
  const ImportedInitiative* nine = Find(table(), kTraining, 9);
  const ImportedInitiative* ten = Find(table(), kTraining, 10);
  ASSERT_NE(nine, nullptr);
  ASSERT_NE(ten, nullptr);
  EXPECT_EQ(nine->initiative.title(), "任期付職員等研修の充実");
  EXPECT_EQ(nine->initiative.human_rating().grade(), "A");
  EXPECT_EQ(nine->initiative.kind(), v1::INITIATIVE_KIND_CONTINUING);
  EXPECT_EQ(nine->outcomes.size(), 5u);
  EXPECT_TRUE(ten->initiative.human_rating().grade().empty());
  EXPECT_TRUE(ten->outcomes.empty());
  // 9 belongs to the group above; 10 starts the new subtheme written in its row.
  EXPECT_EQ(nine->initiative.subtheme(), "階層別研修の充実");
  EXPECT_EQ(ten->initiative.subtheme(), "専門研修・特別研修の推進");
  EXPECT_EQ(FindingsAt(19, "two numbered titles", Severity::kGuess), 1) << FindingsText(table());

  // Line 23: 14 and 15; the data goes to 14.
  const ImportedInitiative* fourteen = Find(table(), kTraining, 14);
  const ImportedInitiative* fifteen = Find(table(), kTraining, 15);
  ASSERT_NE(fourteen, nullptr);
  ASSERT_NE(fifteen, nullptr);
  EXPECT_EQ(fourteen->initiative.human_rating().grade(), "A");
  EXPECT_TRUE(fifteen->initiative.human_rating().grade().empty());
  EXPECT_EQ(fifteen->initiative.subtheme(), "研修成果の組織への還元");

  // Line 26: 18 and 19; line 27 repeats 19 with its own data.
  const ImportedInitiative* eighteen = Find(table(), kTraining, 18);
  ASSERT_NE(eighteen, nullptr);
  const ImportedInitiative* nineteen = Find(table(), kTraining, 19);
  ASSERT_NE(nineteen, nullptr);
  EXPECT_EQ(eighteen->initiative.human_rating().grade(), "C");
  EXPECT_EQ(eighteen->initiative.schedule(0).phase(), v1::PHASE_RESEARCH);
  EXPECT_EQ(nineteen->initiative.human_rating().grade(), "C");
  EXPECT_EQ(nineteen->initiative.schedule(0).phase(), v1::PHASE_CONSIDER);
  EXPECT_EQ(FindingsAt(27, "appears again with the same title", Severity::kRepair), 1);
  // Line 26 has one label before the titles: read as the subtheme, theme carried down.
  EXPECT_EQ(eighteen->initiative.theme(), "研修所研修");
  EXPECT_EQ(eighteen->initiative.subtheme(), "民間企業等からの研修生の受入れ拡大");
}

TEST_F(TableSeedTest, RatingScaleFromTheLegend) {
  const v1::RatingScale& scale = table().plan.rating_scale();
  ASSERT_EQ(scale.grades_size(), 3);
  EXPECT_EQ(scale.grades(0).code(), "A");
  EXPECT_EQ(scale.grades(0).label(), "実施できた");
  EXPECT_EQ(scale.grades(0).meaning(), "");
  EXPECT_EQ(scale.grades(1).code(), "B");
  EXPECT_EQ(scale.grades(1).label(), "概ね実施できた");
  EXPECT_EQ(scale.grades(1).meaning(), "一部実施できなかった");
  EXPECT_EQ(scale.grades(2).code(), "C");
  EXPECT_EQ(scale.grades(2).label(), "実施できなかった");
}

TEST_F(TableSeedTest, AsOfDateForR4) {
  const ImportedInitiative* first = Find(table(), kTraining, 1);
  ASSERT_NE(first, nullptr);
  const v1::Outcome* r4 = OutcomeFor(*first, 2022);
  ASSERT_NE(r4, nullptr);
  EXPECT_EQ(r4->as_of().year(), 2022);
  EXPECT_EQ(r4->as_of().month(), 8);
  EXPECT_EQ(r4->as_of().day(), 31);
  const v1::Outcome* r3 = OutcomeFor(*first, 2021);
  ASSERT_NE(r3, nullptr);
  EXPECT_FALSE(r3->has_as_of());
  // Every R4 outcome in the plan carries the date; no other year does.
  int r4_outcomes = 0;
  for (const ImportedInitiative& item : table().initiatives) {
    for (const v1::Outcome& o : item.outcomes) {
      if (o.fiscal_year() == 2022) {
        ++r4_outcomes;
        EXPECT_EQ(o.as_of().month(), 8) << item.initiative.title();
      } else if (o.fiscal_year() != 0) {
        EXPECT_FALSE(o.has_as_of()) << item.initiative.title();
      }
    }
  }
  EXPECT_GT(r4_outcomes, 10);
}

TEST_F(TableSeedTest, MetricsOnTraining6) {
  const ImportedInitiative* six = Find(table(), kTraining, 6);
  ASSERT_NE(six, nullptr);
  const v1::Outcome* h30 = OutcomeFor(*six, 2018);
  ASSERT_NE(h30, nullptr);
  EXPECT_EQ(h30->text(), "・庁内 468人 ・自治研 122人");  // kept verbatim
  ASSERT_EQ(h30->metrics_size(), 2);
  EXPECT_EQ(h30->metrics(0).label(), "庁内");
  EXPECT_EQ(h30->metrics(0).value(), 468);
  EXPECT_EQ(h30->metrics(0).unit(), "人");
  EXPECT_FALSE(h30->metrics(0).has_out_of());
  EXPECT_EQ(h30->metrics(1).label(), "自治研");
  EXPECT_EQ(h30->metrics(1).value(), 122);
  // R4: 「・庁内 ※実施中 ・自治研 ※実施中」 — in progress, no figures yet.
  const v1::Outcome* r4 = OutcomeFor(*six, 2022);
  ASSERT_NE(r4, nullptr);
  EXPECT_EQ(r4->status(), v1::OUTCOME_STATUS_IN_PROGRESS);
  EXPECT_EQ(r4->metrics_size(), 0);
}

TEST_F(TableSeedTest, OutOfAndPerYearSplitOnCulture15) {
  const ImportedInitiative* item = Find(table(), kCulture, 15);
  ASSERT_NE(item, nullptr);
  // 「努力賞7件（計20件中） 努力賞6件（計19件中） … ※実施中」: one cell, one group per year.
  ASSERT_EQ(item->outcomes.size(), 5u) << FindingsText(table());
  const v1::Outcome* h30 = OutcomeFor(*item, 2018);
  ASSERT_NE(h30, nullptr);
  EXPECT_EQ(h30->text(), "努力賞7件（計20件中）");
  ASSERT_EQ(h30->metrics_size(), 1);
  EXPECT_EQ(h30->metrics(0).label(), "努力賞");
  EXPECT_EQ(h30->metrics(0).value(), 7);
  EXPECT_EQ(h30->metrics(0).unit(), "件");
  ASSERT_TRUE(h30->metrics(0).has_out_of());
  EXPECT_EQ(h30->metrics(0).out_of(), 20);
  const v1::Outcome* r3 = OutcomeFor(*item, 2021);
  ASSERT_NE(r3, nullptr);
  ASSERT_GE(r3->metrics_size(), 1);
  EXPECT_EQ(r3->metrics(0).out_of(), 17);
  const v1::Outcome* r4 = OutcomeFor(*item, 2022);
  ASSERT_NE(r4, nullptr);
  EXPECT_EQ(r4->text(), "※実施中");
  EXPECT_EQ(r4->status(), v1::OUTCOME_STATUS_IN_PROGRESS);
  EXPECT_EQ(r4->as_of().day(), 31);
}

TEST_F(TableSeedTest, PerYearSplitOnCulture12) {
  const ImportedInitiative* item = Find(table(), kCulture, 12);
  ASSERT_NE(item, nullptr);
  ASSERT_EQ(item->outcomes.size(), 5u);
  const char* texts[] = {"5所属 140人", "6所属 117人", "4所属 136人", "3所属 60人",
                         "2所属 42人※実施中"};
  for (int k = 0; k < 5; ++k) {
    const v1::Outcome* o = OutcomeFor(*item, 2018 + k);
    ASSERT_NE(o, nullptr) << 2018 + k;
    EXPECT_EQ(o->text(), texts[k]);
    ASSERT_EQ(o->metrics_size(), 2);
    EXPECT_EQ(o->metrics(0).unit(), "所属");
    EXPECT_EQ(o->metrics(1).unit(), "人");
  }
  // Every year was checked above (five outcomes with two metrics each).
  EXPECT_EQ(OutcomeFor(*item, 2018)->metrics(1).value(), 140);
  EXPECT_EQ(OutcomeFor(*item, 2022)->status(), v1::OUTCOME_STATUS_IN_PROGRESS);
  EXPECT_EQ(FindingsAt(48, "split into yearly outcomes", Severity::kGuess), 1);
  // 組織文化 17 (○新採職員（前期）研修 … five times) splits too; prose does not.
  const ImportedInitiative* seventeen = Find(table(), kCulture, 17);
  ASSERT_NE(seventeen, nullptr);
  EXPECT_EQ(seventeen->outcomes.size(), 5u);
  const ImportedInitiative* one = Find(table(), kCulture, 1);
  ASSERT_NE(one, nullptr);
  ASSERT_EQ(one->outcomes.size(), 1u);
  EXPECT_EQ(one->outcomes[0].fiscal_year(), 0);
}

TEST_F(TableSeedTest, WholePeriodOutcome) {
  const ImportedInitiative* three = Find(table(), kTraining, 3);
  ASSERT_NE(three, nullptr);
  ASSERT_EQ(three->outcomes.size(), 1u);
  const v1::Outcome& period = three->outcomes[0];
  EXPECT_EQ(period.fiscal_year(), 0);
  EXPECT_TRUE(absl::StartsWith(period.text(), "特定行政庁として業務を行うために"));
  EXPECT_EQ(period.as_of().year(), 2022);
  // No outcome at all (働きやすい環境 4 has empty outcome cells): none is invented.
  const ImportedInitiative* four = Find(table(), kEnvironment, 4);
  ASSERT_NE(four, nullptr);
  EXPECT_TRUE(four->outcomes.empty());
}

TEST_F(TableSeedTest, RelistLinkedToOriginal) {
  const ImportedInitiative* relisted = Find(table(), kEnvironment, 3);
  ASSERT_NE(relisted, nullptr);
  EXPECT_EQ(relisted->initiative.title(), "勤務時間内の生産性の向上に向けた取組の検討");
  ASSERT_TRUE(relisted->relists.has_value());
  EXPECT_EQ(relisted->relists->area, kCulture);
  EXPECT_EQ(relisted->relists->number, 23);
  const ImportedInitiative* original = Find(table(), kCulture, 23);
  ASSERT_NE(original, nullptr);
  EXPECT_EQ(original->initiative.title(), relisted->initiative.title());
  // 組織文化 11 is marked too and lists 職員研修 15 again; nothing else is a re-list.
  const ImportedInitiative* c11 = Find(table(), kCulture, 11);
  ASSERT_NE(c11, nullptr);
  ASSERT_TRUE(c11->relists.has_value());
  EXPECT_EQ(c11->relists->area, kTraining);
  EXPECT_EQ(c11->relists->number, 15);
  int relists = 0;
  for (const ImportedInitiative& item : table().initiatives) relists += item.relists ? 1 : 0;
  EXPECT_EQ(relists, 2);
}

TEST_F(TableSeedTest, ScheduleContinuationsAndExtraArrow) {
  // Line 13: 検討 実施 ⇒ ⇒ ⇒ ⇒ — six cells for five years; the extra ⇒ is dropped.
  const ImportedInitiative* three = Find(table(), kTraining, 3);
  ASSERT_NE(three, nullptr);
  ASSERT_EQ(three->initiative.schedule_size(), 5);
  EXPECT_EQ(three->initiative.schedule(0).fiscal_year(), 2018);
  EXPECT_EQ(three->initiative.schedule(0).phase(), v1::PHASE_CONSIDER);
  EXPECT_FALSE(three->initiative.schedule(0).continuation());
  EXPECT_EQ(three->initiative.schedule(1).phase(), v1::PHASE_IMPLEMENT);
  EXPECT_FALSE(three->initiative.schedule(1).continuation());
  EXPECT_EQ(three->initiative.schedule(4).fiscal_year(), 2022);
  EXPECT_EQ(three->initiative.schedule(4).phase(), v1::PHASE_IMPLEMENT);
  EXPECT_TRUE(three->initiative.schedule(4).continuation());
  EXPECT_EQ(FindingsAt(13, "extra ⇒ dropped", Severity::kRepair), 1);
  EXPECT_EQ(three->initiative.kind(), v1::INITIATIVE_KIND_NEW);
  // 組織文化 23: 検討 試行 実施 ⇒ ⇒.
  const ImportedInitiative* c23 = Find(table(), kCulture, 23);
  ASSERT_NE(c23, nullptr);
  ASSERT_EQ(c23->initiative.schedule_size(), 5);
  EXPECT_EQ(c23->initiative.schedule(1).phase(), v1::PHASE_TRIAL);
  EXPECT_EQ(c23->initiative.schedule(2).phase(), v1::PHASE_IMPLEMENT);
  EXPECT_EQ(c23->initiative.schedule(3).phase(), v1::PHASE_IMPLEMENT);
  EXPECT_TRUE(c23->initiative.schedule(3).continuation());
  // Line 24: four schedule cells for five years; R4 is taken to continue.
  const ImportedInitiative* sixteen = Find(table(), kTraining, 16);
  ASSERT_NE(sixteen, nullptr);
  ASSERT_EQ(sixteen->initiative.schedule_size(), 5);
  EXPECT_TRUE(sixteen->initiative.schedule(4).continuation());
  EXPECT_EQ(FindingsAt(24, "taken to continue", Severity::kGuess), 1);
}

TEST_F(TableSeedTest, ThemesCarriedDownAndShiftedRows) {
  const ImportedInitiative* two = Find(table(), kTraining, 2);
  const ImportedInitiative* five = Find(table(), kTraining, 5);
  ASSERT_NE(two, nullptr);
  ASSERT_NE(five, nullptr);
  EXPECT_EQ(two->initiative.theme(), "自己啓発（自学）");  // verbatim, full-width brackets
  EXPECT_EQ(two->initiative.subtheme(), "自己啓発支援制度の充実");
  EXPECT_EQ(five->initiative.subtheme(), "自己啓発等休業制度等の導入検討");
  // Line 87: the title in the first column and an empty cell after 区分.
  const ImportedInitiative* e16 = Find(table(), kEnvironment, 16);
  ASSERT_NE(e16, nullptr);
  EXPECT_EQ(e16->initiative.theme(), "健康管理・メンタルヘルス");
  EXPECT_EQ(e16->initiative.kind(), v1::INITIATIVE_KIND_NEW);
  EXPECT_EQ(e16->initiative.schedule(0).phase(), v1::PHASE_IMPLEMENT);
  EXPECT_EQ(e16->initiative.human_rating().grade(), "A");
  EXPECT_EQ(FindingsAt(87, "between 区分 and the schedule", Severity::kRepair), 1);
  // Line 92: one label before the title, read as the subtheme.
  const ImportedInitiative* e21 = Find(table(), kEnvironment, 21);
  ASSERT_NE(e21, nullptr);
  EXPECT_EQ(e21->initiative.theme(), "労働安全管理");
  EXPECT_EQ(e21->initiative.subtheme(), "職場安全教育の推進");
  EXPECT_EQ(e21->outcomes.size(), 5u);
}

TEST_F(TableSeedTest, NothingDroppedSilently) {
  // The seed is messy, so it has findings; none of them is an unplaced cell.
  EXPECT_FALSE(table().findings.empty());
  for (const Finding& f : table().findings) {
    EXPECT_NE(f.severity, Severity::kError) << FormatFinding(f);
    EXPECT_GT(f.line, 0) << FormatFinding(f);
  }
}

TEST_F(TableSeedTest, StrictRejectsTheSeedListingFindings) {
  ReadOptions strict;
  strict.strict = true;
  absl::StatusOr<ParsedTable> read = ReadTable(SeedBytes(), strict);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(read.status().message(), "table:13:")) << read.status();
  EXPECT_TRUE(absl::StrContains(read.status().message(), "extra ⇒ dropped"));
}

}  // namespace
}  // namespace torikumi::table
