// The XLSX writer: the workbook is unzipped with `unzip -p` and its XML checked for the
// sheets, the texts and the merged cells of the original layout.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/table/table_reader.h"
#include "services/table/table_writer.h"
#include "tests/table/seed_table.h"

namespace torikumi::table {
namespace {

// The workbook in a temporary file for unzip, removed at the end of the test.
class WorkbookFile {
 public:
  explicit WorkbookFile(const std::string& bytes) {
    const char* dir = getenv("TMPDIR");
    path_ = absl::StrCat(dir != nullptr && dir[0] != '\0' ? dir : "/tmp",
                         "/torikumi-xlsx-test-XXXXXX.xlsx");
    int fd = mkstemps(path_.data(), 5);
    EXPECT_GE(fd, 0);
    if (fd >= 0) close(fd);
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~WorkbookFile() { unlink(path_.c_str()); }

  // The text of one member of the zip, via `unzip -p`.
  std::string Member(absl::string_view member) const {
    std::string command = absl::StrCat("unzip -p '", path_, "' '", member, "'");
    FILE* pipe = popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr) << command;
    if (pipe == nullptr) return "";
    std::string out;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    EXPECT_EQ(pclose(pipe), 0) << command;
    return out;
  }

 private:
  std::string path_;
};

class TableXlsxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<ParsedTable> read = ReadTable(testing::SeedBytes());
    ASSERT_TRUE(read.ok()) << read.status();
    absl::StatusOr<std::string> xlsx = WriteXlsx(ToDocument(*read));
    ASSERT_TRUE(xlsx.ok()) << xlsx.status();
    bytes_ = new std::string(*xlsx);
    file_ = new WorkbookFile(*bytes_);
  }
  static void TearDownTestSuite() {
    delete file_;
    delete bytes_;
  }
  static std::string* bytes_;
  static WorkbookFile* file_;
};

std::string* TableXlsxTest::bytes_ = nullptr;
WorkbookFile* TableXlsxTest::file_ = nullptr;

TEST_F(TableXlsxTest, IsAZipWithOneSheetPerArea) {
  EXPECT_TRUE(absl::StartsWith(*bytes_, "PK\x03\x04"));
  std::string workbook = file_->Member("xl/workbook.xml");
  EXPECT_TRUE(absl::StrContains(workbook, "name=\"職員研修\"")) << workbook;
  EXPECT_TRUE(absl::StrContains(workbook, "name=\"組織文化\""));
  EXPECT_TRUE(absl::StrContains(workbook, "name=\"働きやすい環境\""));
  EXPECT_FALSE(file_->Member("xl/worksheets/sheet3.xml").empty());
}

TEST_F(TableXlsxTest, HoldsTheTexts) {
  std::string strings = file_->Member("xl/sharedStrings.xml");
  EXPECT_TRUE(absl::StrContains(strings, "人材育成推進プラン（平成30年度～令和4年度）の取組状況"));
  EXPECT_TRUE(absl::StrContains(strings, "【職員研修】"));
  EXPECT_TRUE(absl::StrContains(strings, "1 通信教育講座を受講する職員への経費の一部支援"));
  EXPECT_TRUE(absl::StrContains(strings, "・庁内 468人 ・自治研 122人"));
  EXPECT_TRUE(absl::StrContains(strings, "R4（～8月）"));
  EXPECT_TRUE(
      absl::StrContains(strings, "※評価 A：実施できた、B：概ね実施できた（一部実施できなかった）"));
}

TEST_F(TableXlsxTest, MergesCellsLikeTheOriginalSheet) {
  std::string sheet = file_->Member("xl/worksheets/sheet1.xml");
  // 15 columns: 4 leading, 5 schedule years, 5 outcome years, the rating (A..O).
  EXPECT_TRUE(absl::StrContains(sheet, "<mergeCell ref=\"A1:O1\"/>")) << sheet.substr(0, 2000);
  // Header: 中項目 over both header rows, スケジュール and 取組状況 over their years.
  EXPECT_TRUE(absl::StrContains(sheet, "<mergeCell ref=\"A5:A6\"/>"));
  EXPECT_TRUE(absl::StrContains(sheet, "<mergeCell ref=\"E5:I5\"/>"));
  EXPECT_TRUE(absl::StrContains(sheet, "<mergeCell ref=\"J5:N5\"/>"));
  EXPECT_TRUE(absl::StrContains(sheet, "<mergeCell ref=\"O5:O6\"/>"));
  // Theme 自己啓発（自学） over initiatives 1–5, subtheme 自己啓発支援制度の充実 over 1–3.
  EXPECT_TRUE(absl::StrContains(sheet, "<mergeCell ref=\"A7:A11\"/>"));
  EXPECT_TRUE(absl::StrContains(sheet, "<mergeCell ref=\"B7:B9\"/>"));
  // Initiative 3's whole-period outcome across the five outcome years.
  EXPECT_TRUE(absl::StrContains(sheet, "<mergeCell ref=\"J9:N9\"/>"));
}

}  // namespace
}  // namespace torikumi::table
