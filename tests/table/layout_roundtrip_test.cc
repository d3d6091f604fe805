// A table comes back as it was published: read, then written as TSV by the layout the reader
// recorded, it gives back its own lines (apart from trailing empty cells) — its header words,
// year labels, full-width letters and digits, title once or per area, blank lines.
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "services/table/layout.h"
#include "services/table/table_reader.h"
#include "services/table/table_writer.h"
#include "tests/table/seed_table.h"

namespace torikumi::table {
namespace {

using testing::DevsetBytes;
using testing::FindingsText;
using testing::OtherCityBytes;
using testing::SeedBytes;

// Lines without trailing tabs; the empty lines at the end dropped.
std::vector<std::string> LinesOf(absl::string_view text) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    while (absl::ConsumeSuffix(&line, "\t")) {
    }
    lines.emplace_back(line);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

ParsedTable Read(absl::string_view bytes) {
  absl::StatusOr<ParsedTable> read = ReadTable(bytes);
  EXPECT_TRUE(read.ok()) << read.status();
  return read.ok() ? *std::move(read) : ParsedTable();
}

std::string WrittenTsv(const ParsedTable& table) {
  absl::StatusOr<std::string> tsv = WriteTsv(ToDocument(table));
  EXPECT_TRUE(tsv.ok()) << tsv.status();
  return tsv.ok() ? *tsv : "";
}

// Every title, theme, subtheme and outcome text of `read`, one per line, in table order.
std::string Texts(const ParsedTable& read) {
  std::vector<std::string> texts;
  for (const ImportedInitiative& item : read.initiatives) {
    const v1::Initiative& i = item.initiative;
    texts.push_back(absl::StrCat(i.area(), " ", i.number(), " | ", i.theme(), " | ", i.subtheme(),
                                 " | ", i.title()));
    for (const v1::Outcome& o : item.outcomes) {
      texts.push_back(absl::StrCat("  ", o.fiscal_year(), " ", o.text()));
    }
  }
  return absl::StrJoin(texts, "\n");
}

TEST(TableLayoutRoundTripTest, DevsetComesBackLineForLine) {
  const std::string original = DevsetBytes();
  ParsedTable read = Read(original);
  EXPECT_EQ(LinesOf(WrittenTsv(read)), LinesOf(original)) << FindingsText(read);
}

TEST(TableLayoutRoundTripTest, OtherCityTableComesBackLineForLine) {
  ParsedTable read = Read(OtherCityBytes());
  EXPECT_EQ(LinesOf(WrittenTsv(read)), LinesOf(OtherCityBytes())) << FindingsText(read);
  const v1::TableLayout& layout = read.plan.table_layout();
  EXPECT_EQ(layout.outcome_heading(), "実施状況");
  EXPECT_EQ(layout.period_text(), "令和元年度～令和５年度");
  EXPECT_EQ(layout.caption(), "の実施状況");
  EXPECT_EQ(YearLabel(layout, 2023, /*outcome=*/true), "R5（～９月）");
  EXPECT_EQ(layout.title_placement(), v1::TABLE_PLACEMENT_ONCE);
  EXPECT_EQ(layout.legend_placement(), v1::TABLE_PLACEMENT_PER_AREA);
  EXPECT_EQ(read.plan.title(), "職員育成計画");
  EXPECT_EQ(read.initiatives[0].initiative.theme(), "ＯＪＴの充実");
  EXPECT_EQ(read.initiatives[0].initiative.title(), "ＯＪＴリーダー研修の実施");
}

// The seed's original has shifted and merged cells, which the writer prints in place: not
// line for line, but every text comes back exactly as the seed wrote it.
TEST(TableLayoutRoundTripTest, SeedTextsComeBackAsWritten) {
  const std::string original = SeedBytes();
  ParsedTable read = Read(original);
  ASSERT_FALSE(read.initiatives.empty());
  for (const ImportedInitiative& item : read.initiatives) {
    EXPECT_NE(original.find(item.initiative.title()), std::string::npos) << item.initiative.title();
    EXPECT_NE(original.find(item.initiative.theme()), std::string::npos) << item.initiative.theme();
    for (const v1::Outcome& o : item.outcomes) {
      EXPECT_NE(original.find(o.text()), std::string::npos) << o.text();
    }
  }
  const std::string written = WrittenTsv(read);
  ParsedTable again = Read(written);
  EXPECT_EQ(Texts(again), Texts(read));
  // The title and area lines as the seed prints them, one blank line after each (the seed's
  // four blank lines above its title are not kept).
  std::vector<std::string> lines = LinesOf(written);
  ASSERT_GT(lines.size(), 10u);
  EXPECT_EQ(lines[0], "人材育成推進プラン（平成30年度～令和4年度）の取組状況");
  EXPECT_EQ(lines[1], "");
  EXPECT_EQ(lines[2], "【職員研修】");
  EXPECT_EQ(lines[3], "");
  EXPECT_EQ(read.plan.table_layout().title_placement(), v1::TABLE_PLACEMENT_PER_AREA);
}

// A document without a recorded layout (a plan made through the API before) prints the
// default layout: the seed's words, the title line before each area.
TEST(TableLayoutRoundTripTest, UnrecordedLayoutPrintsTheDefault) {
  ParsedTable read = Read(OtherCityBytes());
  read.plan.clear_table_layout();
  std::vector<std::string> lines = LinesOf(WrittenTsv(read));
  ASSERT_GT(lines.size(), 5u);
  EXPECT_EQ(lines[0], "職員育成計画（令和元年度～令和5年度）の取組状況");
  EXPECT_EQ(lines[1], "");
  EXPECT_EQ(lines[2], "【研修】");
  EXPECT_EQ(lines[4],
            "中項目\t小項目\t具体的な取組\t区分\tスケジュール\t\t\t\t\t取組状況\t\t\t\t\t評価");
  EXPECT_EQ(DefaultTableLayout().outcome_heading(), "取組状況");
}

// A layout whose period text no longer reads as the plan's period (the period was changed
// later) is not printed; the period is.
TEST(TableLayoutRoundTripTest, StalePeriodTextGivesWayToThePeriod) {
  ParsedTable read = Read(OtherCityBytes());
  read.plan.mutable_period()->set_last_fiscal_year(2024);
  std::vector<std::string> lines = LinesOf(WrittenTsv(read));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "職員育成計画（令和元年度～令和6年度）の実施状況");
}

}  // namespace
}  // namespace torikumi::table
