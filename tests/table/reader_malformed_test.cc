// Malformed and unusual input: a clear INVALID_ARGUMENT or findings, never a crash, a hang
// or a silently dropped cell.
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "services/common/text.h"
#include "services/table/table_reader.h"
#include "services/table/table_writer.h"
#include "tests/table/seed_table.h"

namespace torikumi::table {
namespace {

using testing::Find;
using testing::FindingsText;
using testing::OutcomeFor;
using testing::SeedBytes;

// The seed with line `line` (1-based) replaced.
std::string SeedWithLine(int line, absl::string_view text) {
  std::vector<std::string> lines = absl::StrSplit(SeedBytes(), '\n');
  lines[line - 1] = std::string(text);
  return absl::StrJoin(lines, "\n");
}

std::vector<std::string> SeedLines() { return absl::StrSplit(SeedBytes(), '\n'); }

// The first `count` lines of the seed.
std::string SeedHead(int count) {
  std::vector<std::string> lines = SeedLines();
  lines.resize(count);
  return absl::StrJoin(lines, "\n");
}

void ExpectInvalid(const absl::StatusOr<ParsedTable>& read, absl::string_view words) {
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument) << read.status();
  EXPECT_TRUE(absl::StrContains(read.status().message(), words)) << read.status();
  EXPECT_FALSE(FieldViolationsOf(read.status()).empty()) << read.status();
}

bool HasFinding(const ParsedTable& table, int line, Severity severity, absl::string_view words) {
  for (const Finding& f : table.findings) {
    if (f.line == line && f.severity == severity && absl::StrContains(f.action, words)) {
      return true;
    }
  }
  return false;
}

TEST(TableMalformedTest, EmptyInput) {
  ExpectInvalid(ReadTable(""), "empty");
  ExpectInvalid(ReadTable(" \n\t\n\r\n"), "empty");
  ExpectInvalid(ReadTable("\xEF\xBB\xBF"), "empty");  // a byte-order mark and nothing else
  ExpectInvalid(ReadTable("\xEF\xBB\xBF\r\n\r\n"), "empty");
}

TEST(TableMalformedTest, BinaryNoise) {
  std::mt19937 random(20221125);
  for (int round = 0; round < 20; ++round) {
    std::string noise(4096, '\0');
    for (char& c : noise) c = static_cast<char>(random() & 0xFF);
    absl::StatusOr<ParsedTable> read = ReadTable(noise);
    ASSERT_FALSE(read.ok()) << "round " << round;
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(read.status().message(), "line ")) << read.status();
  }
  // Valid UTF-8 with NUL bytes is binary too; the message says where.
  ExpectInvalid(ReadTable(std::string("中項目\t小項目\n\0\0\0x", 22)),
                "binary data, not text: line 2, byte 1 is the control character 0x00");
  // A PNG header.
  ExpectInvalid(ReadTable("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "line");
}

TEST(TableMalformedTest, BrokenJson) {
  ExpectInvalid(ReadTable("{\"plan\": {\"title\": 3"), "not a torikumi TableDocument");
  // Bytes that are not UTF-8 are not echoed into the message.
  absl::StatusOr<ParsedTable> read = ReadTable("{\"plan\": \"\xff\xfe\"}");
  ASSERT_FALSE(read.ok());
  EXPECT_TRUE(IsValidUtf8(read.status().message())) << read.status();
}

TEST(TableMalformedTest, WorkbookInsteadOfText) {
  ExpectInvalid(ReadTable(std::string("PK\x03\x04\x14\0\0\0", 8)), "save the sheet as CSV");
}

TEST(TableMalformedTest, NotATable) {
  ExpectInvalid(ReadTable("お知らせ\n来週は休みです。\n"), "not a 取組状況 table");
  // A header but no initiative rows.
  ExpectInvalid(ReadTable(SeedHead(10)), "no initiative rows under the header at line 9");
}

TEST(TableMalformedTest, TruncatedRow) {
  // The file ends in the middle of line 12, after its first schedule cell.
  std::string text = absl::StrCat(
      SeedHead(11), "\n\t\t2 自主研修活動を実施する職員への経費の一部支援\t継続\t実施");
  absl::StatusOr<ParsedTable> read = ReadTable(text);
  ASSERT_TRUE(read.ok()) << read.status();
  const ImportedInitiative* two = Find(*read, "職員研修", 2);
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(two->initiative.kind(), v1::INITIATIVE_KIND_CONTINUING);
  EXPECT_TRUE(two->outcomes.empty());
  EXPECT_TRUE(two->initiative.human_rating().grade().empty());
  EXPECT_TRUE(HasFinding(*read, 12, Severity::kGuess, "the row has 1 schedule cells for 5 years"))
      << FindingsText(*read);
  // Strict mode refuses it and says where.
  ReadOptions strict;
  strict.strict = true;
  ExpectInvalid(ReadTable(text, strict), "table:12:");

  // A quoted CSV field that never closes (the file was cut): the quote is read as a
  // character, the rest of the file is still read, and the repair is reported.
  std::string csv = *WriteCsv(ToDocument(*ReadTable(SeedBytes())));
  std::string opened = absl::StrReplaceAll(csv, {{",支援人数 1人,", ",\"支援人数\n1人,"}});
  ASSERT_NE(opened, csv);
  absl::StatusOr<ParsedTable> cut_read = ReadTable(opened);
  ASSERT_TRUE(cut_read.ok()) << cut_read.status();
  EXPECT_EQ(cut_read->initiatives.size(), 66u);
  bool repaired = false;
  for (const Finding& f : cut_read->findings) {
    repaired = repaired || (f.severity == Severity::kRepair &&
                            absl::StrContains(f.action, "quoted field never closes"));
  }
  EXPECT_TRUE(repaired) << FindingsText(*cut_read);
}

TEST(TableMalformedTest, UnknownGrade) {
  std::string line = SeedLines()[10];  // initiative 1, rated A
  ASSERT_TRUE(absl::EndsWith(line, "\tA"));
  line.back() = 'E';
  absl::StatusOr<ParsedTable> read = ReadTable(SeedWithLine(11, line));
  ASSERT_TRUE(read.ok()) << read.status();
  const ImportedInitiative* one = Find(*read, "職員研修", 1);
  ASSERT_NE(one, nullptr);
  EXPECT_TRUE(one->initiative.human_rating().grade().empty());
  EXPECT_TRUE(
      HasFinding(*read, 11, Severity::kError, "'E' is not a grade of the rating scale (A, B, C)"))
      << FindingsText(*read);
  // The outcomes of the row are still read; the grade cell is not taken for one.
  EXPECT_EQ(one->outcomes.size(), 5u);
}

TEST(TableMalformedTest, UnreadableYearColumn) {
  // R2 in the outcome years becomes X2: guessed from its neighbours, with a finding.
  std::string header = SeedLines()[9];
  std::string broken = absl::StrReplaceAll(header, {{"R4\tH30\tR1\tR2", "R4\tH30\tR1\tX2"}});
  ASSERT_NE(broken, header);
  absl::StatusOr<ParsedTable> read = ReadTable(SeedWithLine(10, broken));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(HasFinding(*read, 10, Severity::kGuess, "read as R2 from the years beside it"))
      << FindingsText(*read);
  const ImportedInitiative* one = Find(*read, "職員研修", 1);
  ASSERT_NE(one, nullptr);
  EXPECT_NE(OutcomeFor(*one, 2020), nullptr);

  // No year at all in the header: a clear error naming the line.
  ExpectInvalid(ReadTable(SeedWithLine(10, "\t\t\t\tX\tY\tZ")),
                "line 10: no fiscal-year column can be read");
}

// Bigger than any real plan: refused at once, naming the limit.
TEST(TableMalformedTest, HugeInputIsRefused) {
  const size_t size = 200u << 20;  // 200 MB of table text
  std::string seed = SeedBytes();
  std::string huge;
  huge.reserve(size + seed.size());
  while (huge.size() < size) huge += seed;
  absl::StatusOr<ParsedTable> read = ReadTable(huge);
  ExpectInvalid(read, absl::StrCat("the most that is read is ", kMaxTableBytes, " bytes"));
}

// A large plan within the limit reads completely (the reader is linear in the input).
TEST(TableMalformedTest, LargePlanWithinTheLimit) {
  std::vector<std::string> lines = SeedLines();
  std::string text = absl::StrJoin(lines.begin(), lines.begin() + 10, "\n");
  const int rows = 5000;
  for (int i = 1; i <= rows; ++i) {
    absl::StrAppend(&text, "\n\t\t", i, " 取組その", i, "\t継続\t実施\t⇒\t⇒\t⇒\t⇒\t", "研修 ", i,
                    "人\t\t\t\t\t", i % 3 == 0 ? "B" : "A");
  }
  absl::StrAppend(&text, "\n", lines[28], "\n");
  absl::StatusOr<ParsedTable> read = ReadTable(text);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->initiatives.size(), static_cast<size_t>(rows));
  EXPECT_EQ(read->initiatives.back().outcomes[0].metrics(0).value(), rows);
}

TEST(TableMalformedTest, LinesThatFitNowhereAreReported) {
  std::vector<std::string> lines = SeedLines();
  lines[1] = "※R4は8月末現在の状況";  // before the first header
  lines[27] = "※数値は延べ人数";      // under the rows of 職員研修
  absl::StatusOr<ParsedTable> read = ReadTable(absl::StrJoin(lines, "\n"));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(HasFinding(*read, 2, Severity::kError, "not placed: text before the first header"))
      << FindingsText(*read);
  EXPECT_TRUE(HasFinding(*read, 28, Severity::kError, "not placed")) << FindingsText(*read);
  EXPECT_EQ(read->initiatives.size(), 66u);
}

}  // namespace
}  // namespace torikumi::table
