#include "services/cli/table_printer.h"

#include <sstream>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/text.h"

namespace torikumi::cli {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

TEST(CliTablePrinterTest, MixedCjkAndAsciiLinesHaveEqualDisplayWidth) {
  TablePrinter table({{"ID"}, {"AREA"}, {"TITLE"}, {"GRADE"}});
  table.AddRow({"i1", "職員研修", "通信教育講座を受講する職員への経費の一部支援", "A"});
  table.AddRow({"i22", "組織文化", "OJT handbook", "B"});
  table.AddRow({"i333", "働きやすい環境", "ﾃﾚﾜｰｸ（半角カナ） and ASCII", ""});
  std::ostringstream out;
  table.Print(out);

  std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 4u);
  int width = DisplayWidth(lines[0]);
  for (const auto& line : lines) EXPECT_EQ(DisplayWidth(line), width) << line;

  // Columns start at the same display column on every line: the GRADE cell of each row sits
  // right where the GRADE header does.
  size_t header_grade = lines[0].find("GRADE");
  ASSERT_NE(header_grade, std::string::npos);
  int grade_column = DisplayWidth(lines[0].substr(0, header_grade));
  EXPECT_EQ(DisplayWidth(lines[1].substr(0, lines[1].rfind("A"))), grade_column);
  EXPECT_EQ(DisplayWidth(lines[2].substr(0, lines[2].rfind("B"))), grade_column);
}

TEST(CliTablePrinterTest, LongCellsAreCutToTheColumnLimit) {
  TablePrinter table({{"NO"}, {"TITLE", 20}});
  table.AddRow(
      {"1",
       "採用後概ね10年目までの職員に対する法令事務・コミュニケーション能力向上に向けた研修の実施"});
  table.AddRow({"2", "short"});
  std::ostringstream out;
  table.Print(out);
  std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& line : lines) EXPECT_EQ(DisplayWidth(line), DisplayWidth(lines[0])) << line;
  // NO (2) + gap (2) + TITLE limited to 20.
  EXPECT_EQ(DisplayWidth(lines[0]), 24);
  EXPECT_THAT(lines[1], ::testing::HasSubstr("…"));
}

TEST(CliTablePrinterTest, CellsStayOnOneLine) {
  TablePrinter table({{"TEXT"}});
  table.AddRow({"・庁内 468人\n・自治研\t122人"});
  std::ostringstream out;
  table.Print(out);
  std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[1], ::testing::StartsWith("・庁内 468人 ・自治研 122人"));
}

TEST(CliTablePrinterTest, FieldValuesAlignAndEmptyOnesAreLeftOut) {
  std::ostringstream out;
  PrintFields(out, {{"name", "organizations/city"}, {"表示名", "〇〇市"}, {"etag", ""}});
  std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 2u);
  // "表示名:" is 7 columns wide, so both values start at column 9.
  EXPECT_EQ(lines[0], "name:    organizations/city");
  EXPECT_EQ(lines[1], "表示名:  〇〇市");
}

}  // namespace
}  // namespace torikumi::cli
