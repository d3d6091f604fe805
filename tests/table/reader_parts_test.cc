// The reader's parts one by one: decoding, record splitting, legends, titles, metrics,
// per-year splitting, as-of notes, title cells and strict errors.
#include <errno.h>
#include <iconv.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "services/table/decoding.h"
#include "services/table/finding.h"
#include "services/table/header.h"
#include "services/table/legend.h"
#include "services/table/metrics.h"
#include "services/table/records.h"
#include "services/table/row_parser.h"
#include "services/table/table_reader.h"
#include "services/table/title_line.h"
#include "tests/status_assertions.h"

namespace torikumi::table {
namespace {

// UTF-8 → another encoding with glibc's iconv, for test input.
std::string Iconv(const std::string& utf8, const char* to) {
  iconv_t cd = iconv_open(to, "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 4 + 8, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* o = out.data();
  size_t out_left = out.size();
  EXPECT_NE(iconv(cd, &in, &in_left, &o, &out_left), static_cast<size_t>(-1)) << errno;
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

TEST(TableDecodingTest, ByteOrderMarksAndLineEnds) {
  absl::StatusOr<DecodedText> bom = DecodeTable(
      "\xEF\xBB\xBF"
      "a\r\nb\rc\n",
      Encoding::kAuto);
  ASSERT_TRUE(bom.ok());
  EXPECT_EQ(bom->text, "a\nb\nc\n");
  EXPECT_EQ(bom->detected, "UTF-8 with BOM");

  std::string utf16 = "\xFF\xFE" + Iconv("中項目\t評価\r\n", "UTF-16LE");
  absl::StatusOr<DecodedText> wide = DecodeTable(utf16, Encoding::kAuto);
  ASSERT_TRUE(wide.ok()) << wide.status();
  EXPECT_EQ(wide->text, "中項目\t評価\n");
  EXPECT_EQ(wide->detected, "UTF-16LE");
}

TEST(TableDecodingTest, Cp932DetectedAndNamed) {
  std::string sjis = Iconv("【職員研修】\n平成30年度～令和4年度 ⇒ ①\n", "CP932");
  absl::StatusOr<DecodedText> detected = DecodeTable(sjis, Encoding::kAuto);
  ASSERT_TRUE(detected.ok()) << detected.status();
  EXPECT_EQ(detected->detected, "CP932");
  EXPECT_EQ(detected->text, "【職員研修】\n平成30年度～令和4年度 ⇒ ①\n");
  ASSERT_OK_AND_ASSIGN(DecodedText forced, DecodeTable(sjis, Encoding::kCp932));
  EXPECT_EQ(forced.text, detected->text);
  // And back: what CP932 cannot hold is named.
  ASSERT_OK_AND_ASSIGN(std::string encoded, EncodeCp932(detected->text));
  EXPECT_EQ(encoded, sjis);
  absl::StatusOr<std::string> emoji = EncodeCp932("研修 😀");
  ASSERT_FALSE(emoji.ok());
  EXPECT_TRUE(absl::StrContains(emoji.status().message(), "U+1F600")) << emoji.status();
}

TEST(TableDecodingTest, EncodingNames) {
  for (const auto& [name, encoding] :
       {std::pair{"Shift_JIS", Encoding::kCp932}, std::pair{"UTF-8", Encoding::kUtf8},
        std::pair{"", Encoding::kAuto}}) {
    ASSERT_OK_AND_ASSIGN(Encoding parsed, ParseEncoding(name));
    EXPECT_EQ(parsed, encoding) << name;
  }
  EXPECT_EQ(EncodingFromProto(v1::TABLE_ENCODING_CP932), Encoding::kCp932);
  EXPECT_EQ(EncodingFromProto(v1::TABLE_ENCODING_UNSPECIFIED), Encoding::kAuto);
  absl::StatusOr<Encoding> bad = ParseEncoding("latin1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(FieldViolationsOf(bad.status()).at(0).field(), "encoding");
}

TEST(TableRecordsTest, ExcelQuotingAndLineNumbers) {
  FindingSink findings(100);
  std::vector<Record> records = SplitRecords("a,\"b,1\",\"two\nlines\"\n\"say \"\"hi\"\"\",x\nlast",
                                             Delimiter::kComma, &findings);
  ASSERT_EQ(records.size(), 3u);
  ASSERT_EQ(records[0].cells.size(), 3u);
  EXPECT_EQ(records[0].cells[1].raw, "b,1");
  EXPECT_EQ(records[0].cells[2].raw, "two\nlines");
  EXPECT_EQ(records[1].line, 3);  // the quoted line break moved the next record down
  EXPECT_EQ(records[1].cells[0].raw, "say \"hi\"");
  EXPECT_EQ(records[2].line, 4);
  EXPECT_EQ(records[2].cells[0].column, 1);
  EXPECT_TRUE(findings.findings().empty());
}

TEST(TableRecordsTest, CellsAreTrimmedAndNormalisedBesideTheVerbatimText) {
  FindingSink findings(100);
  std::vector<Record> records =
      SplitRecords("　Ｒ４（～８月）　\t１２　タイトル", Delimiter::kTab, &findings);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].cells[0].raw, "Ｒ４（～８月）");
  EXPECT_EQ(records[0].cells[0].norm, "R4(~8月)");
  EXPECT_EQ(records[0].cells[1].norm, "12 タイトル");
}

TEST(TableRecordsTest, UnterminatedQuoteIsRepaired) {
  FindingSink findings(100);
  std::vector<Record> records = SplitRecords("a\t\"b\tc\nd\te\n", Delimiter::kTab, &findings);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].cells[1].raw, "\"b");
  EXPECT_EQ(records[1].cells[1].raw, "e");
  ASSERT_EQ(findings.findings().size(), 1u);
  EXPECT_EQ(findings.findings()[0].severity, Severity::kRepair);
  EXPECT_EQ(findings.findings()[0].line, 1);
}

TEST(TableRecordsTest, DelimiterDetection) {
  EXPECT_EQ(DetectDelimiter("a\tb\tc\n"), Delimiter::kTab);
  EXPECT_EQ(DetectDelimiter("a,b,c\n"), Delimiter::kComma);
  // A tab inside a quoted CSV field does not make it TSV.
  EXPECT_EQ(DetectDelimiter("a,\"b\tc\",d\ne,f,g\n"), Delimiter::kComma);
}

TEST(TableLegendTest, AbcLegendOfTheSeed) {
  std::optional<v1::RatingScale> scale =
      ParseLegend("※評価 A:実施できた、B:概ね実施できた(一部実施できなかった)、C:実施できなかった");
  ASSERT_TRUE(scale.has_value());
  ASSERT_EQ(scale->grades_size(), 3);
  EXPECT_EQ(scale->grades(1).label(), "概ね実施できた");
  EXPECT_EQ(scale->grades(1).meaning(), "一部実施できなかった");
  EXPECT_EQ(FormatLegend(*scale),
            "※評価 A：実施できた、B：概ね実施できた（一部実施できなかった）、C：実施できなかった");
}

TEST(TableLegendTest, OtherScales) {
  std::optional<v1::RatingScale> symbols =
      ParseLegend("※評価 ◎:十分に達成 ○:概ね達成 △:一部達成 ×:未達成");
  ASSERT_TRUE(symbols.has_value());
  ASSERT_EQ(symbols->grades_size(), 4);
  EXPECT_EQ(symbols->grades(0).code(), "◎");
  EXPECT_EQ(symbols->grades(3).code(), "×");
  EXPECT_EQ(symbols->grades(3).label(), "未達成");

  std::optional<v1::RatingScale> letters =
      ParseLegend("凡例:S=計画以上、A=計画どおり、B=やや遅れ、C=遅れ、D=未着手");
  ASSERT_TRUE(letters.has_value());
  ASSERT_EQ(letters->grades_size(), 5);
  EXPECT_EQ(letters->grades(0).code(), "S");
  EXPECT_EQ(letters->grades(4).label(), "未着手");

  std::optional<v1::RatingScale> numbers =
      ParseLegend("※評価 5:大きく前進, 4:前進, 3:現状維持, 2:後退, 1:大きく後退");
  ASSERT_TRUE(numbers.has_value());
  ASSERT_EQ(numbers->grades_size(), 5);
  EXPECT_EQ(numbers->grades(0).code(), "5");
  EXPECT_EQ(numbers->grades(2).label(), "現状維持");

  EXPECT_FALSE(ParseLegend("※R4は8月末現在の状況").has_value());
  EXPECT_FALSE(ParseLegend("評価").has_value());
  EXPECT_FALSE(ParseLegend("時刻 10:00 から 12:00").has_value());
}

TEST(TableLegendTest, ScaleWithoutLegendFollowsCommonOrder) {
  v1::RatingScale scale = ScaleFromCodes({"B", "A", "S", "B"});
  ASSERT_EQ(scale.grades_size(), 3);
  EXPECT_EQ(scale.grades(0).code(), "S");
  EXPECT_EQ(scale.grades(1).code(), "A");
  EXPECT_EQ(scale.grades(2).code(), "B");
}

TEST(TableTitleLineTest, TitleAndEraPeriod) {
  std::optional<TitleLine> line =
      ParseTitleLine("人材育成推進プラン（平成30年度～令和4年度）の取組状況");
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->title, "人材育成推進プラン");
  EXPECT_EQ(line->period.first_fiscal_year(), 2018);
  EXPECT_EQ(line->period.last_fiscal_year(), 2022);
  EXPECT_EQ(line->caption, "の取組状況");
  std::optional<TitleLine> half = ParseTitleLine("行革プラン(令和元年度〜令和5年度)");
  ASSERT_TRUE(half.has_value());
  EXPECT_EQ(half->period.first_fiscal_year(), 2019);
  EXPECT_EQ(half->period.last_fiscal_year(), 2023);
  EXPECT_FALSE(ParseTitleLine("プラン（令和4年度～平成30年度）").has_value());  // reversed
  EXPECT_FALSE(ParseTitleLine("自己啓発（自学）").has_value());
  EXPECT_EQ(FormatTitleLine("行革プラン", half->period),
            "行革プラン（令和元年度～令和5年度）の取組状況");
}

TEST(TableMetricsTest, Figures) {
  std::vector<v1::Metric> m = ExtractMetrics("・庁内 468人 ・自治研 122人");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].label(), "庁内");
  EXPECT_EQ(m[1].value(), 122);

  m = ExtractMetrics("努力賞7件（計20件中）");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].label(), "努力賞");
  EXPECT_EQ(m[0].out_of(), 20);

  m = ExtractMetrics("受講者 1,234人、達成率 85.5％、説明会を５回開催");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].value(), 1234);
  EXPECT_EQ(m[1].label(), "達成率");
  EXPECT_EQ(m[1].value(), 85.5);
  EXPECT_EQ(m[1].unit(), "%");
  EXPECT_EQ(m[2].value(), 5);
  EXPECT_EQ(m[2].unit(), "回");

  EXPECT_TRUE(ExtractMetrics("第3回研修を令和4年2月に実施した。").empty());
  EXPECT_TRUE(ExtractMetrics("・庁内 ※実施中").empty());
}

TEST(TableMetricsTest, StatusMarkers) {
  EXPECT_EQ(StatusFromMarkers("支援人数 0人※実施中"), v1::OUTCOME_STATUS_IN_PROGRESS);
  EXPECT_EQ(StatusFromMarkers("研修 ※今後実施予定"), v1::OUTCOME_STATUS_SCHEDULED);
  EXPECT_EQ(StatusFromMarkers("A ※今後実施予定 B ※実施中"), v1::OUTCOME_STATUS_IN_PROGRESS);
  EXPECT_EQ(StatusFromMarkers("実施した。"), v1::OUTCOME_STATUS_UNSPECIFIED);
}

TEST(TableMetricsTest, PerYearSplit) {
  std::optional<std::vector<std::string>> parts =
      SplitPerYear("5所属 140人 6所属 117人 4所属 136人 3所属 60人 2所属 42人※実施中", 5);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ((*parts)[0], "5所属 140人");
  EXPECT_EQ((*parts)[4], "2所属 42人※実施中");
  // Four groups for five years: not split (no guessing which year is missing).
  EXPECT_FALSE(SplitPerYear("5所属 140人 6所属 117人 4所属 136人 3所属 60人", 5).has_value());
  // Prose is never split.
  EXPECT_FALSE(
      SplitPerYear("研修を 実施した。 研修を 実施した。 研修を 実施した。", 3).has_value());
}

TEST(TableHeaderTest, AsOfNotes) {
  std::optional<v1::Date> august = ParseAsOfNote("～8月", 2022);
  ASSERT_TRUE(august.has_value());
  EXPECT_EQ(august->year(), 2022);
  EXPECT_EQ(august->month(), 8);
  EXPECT_EQ(august->day(), 31);
  std::optional<v1::Date> february = ParseAsOfNote("~2月末", 2023);  // next calendar year
  EXPECT_EQ(february->year(), 2024);
  EXPECT_EQ(february->day(), 29);  // 2024 is a leap year
  std::optional<v1::Date> day = ParseAsOfNote("8月15日現在", 2022);
  EXPECT_EQ(day->day(), 15);
  EXPECT_FALSE(ParseAsOfNote("見込み", 2022).has_value());
}

TEST(TableRowTest, TitleCells) {
  Cell cell;
  cell.raw = "１２　窓口の一元化（再掲）";
  cell.norm = "12 窓口の一元化(再掲)";
  std::optional<RowTitle> title = ReadTitleCell(cell);
  ASSERT_TRUE(title.has_value());
  EXPECT_EQ(title->number, 12);
  EXPECT_EQ(title->title, "窓口の一元化");
  EXPECT_TRUE(title->relisted);
  cell.raw = cell.norm = "5所属 140人";
  EXPECT_FALSE(ReadTitleCell(cell).has_value());
  cell.raw = cell.norm = "2022 年度";
  EXPECT_FALSE(ReadTitleCell(cell).has_value());
}

TEST(TableFindingTest, StrictStatusListsEveryFindingAboveInfo) {
  std::vector<Finding> findings = {
      {3, 2, "x", "noted", Severity::kInfo},
      {13, 10, "⇒", "extra ⇒ dropped", Severity::kRepair},
      {19, 4, "9 …", "two numbered titles", Severity::kGuess},
  };
  absl::Status status = StrictStatus(findings);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<google::rpc::BadRequest::FieldViolation> v = FieldViolationsOf(status);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].field(), "table:13:10");
  EXPECT_EQ(v[1].field(), "table:19:4");
  EXPECT_TRUE(StrictStatus({findings[0]}).ok());
  EXPECT_EQ(ToProto(findings[1]).severity(), v1::FINDING_SEVERITY_REPAIR);
}

TEST(TableFindingTest, SinkLimitSaysHowManyMore) {
  FindingSink sink(2);
  for (int i = 0; i < 5; ++i) sink.Add(i + 1, 1, "t", "a", Severity::kError);
  std::vector<Finding> findings = sink.Take();
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_TRUE(absl::StrContains(findings[2].action, "3 more findings")) << findings[2].action;
}

// A small table in another shape: a ◎○△× legend, no title line, no area marker, a
// header with one run of years (outcomes only), written as CSV.
TEST(TableShapesTest, SymbolScaleWithoutTitleOrArea) {
  const char* csv =
      "中項目,小項目,具体的な取組,区分,取組状況,,,評価\r\n"
      ",,,,R1,R2,R3,\r\n"
      "電子化,申請,1 申請の電子化,新規,説明会 3回,説明会 5回,説明会 2回,◎\r\n"
      ",,2 窓口の一元化,継続,検討中,,,△\r\n"
      "\r\n"
      "※評価 ◎：達成、○：概ね達成、△：一部達成、×：未達成\r\n";
  absl::StatusOr<ParsedTable> read = ReadTable(csv);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->plan.areas(0), "全体");
  EXPECT_EQ(read->plan.period().first_fiscal_year(), 2019);
  EXPECT_EQ(read->plan.period().last_fiscal_year(), 2021);
  EXPECT_EQ(read->plan.rating_scale().grades_size(), 4);
  ASSERT_EQ(read->initiatives.size(), 2u);
  EXPECT_EQ(read->initiatives[0].initiative.human_rating().grade(), "◎");
  EXPECT_EQ(read->initiatives[0].outcomes.size(), 3u);
  EXPECT_EQ(read->initiatives[0].outcomes[2].metrics(0).value(), 2);
  EXPECT_EQ(read->initiatives[1].outcomes[0].fiscal_year(), 0);  // one cell for the period
  EXPECT_EQ(read->initiatives[1].initiative.theme(), "電子化");
  bool guessed_area = false;
  bool guessed_period = false;
  for (const Finding& f : read->findings) {
    guessed_area = guessed_area || absl::StrContains(f.action, "no 【area】 line");
    guessed_period = guessed_period || absl::StrContains(f.action, "no title line");
  }
  EXPECT_TRUE(guessed_area);
  EXPECT_TRUE(guessed_period);
}

TEST(TableShapesTest, NoLegendScaleFromGrades) {
  const char* tsv =
      "計画（令和元年度～令和2年度）\n【総務】\n"
      "中項目\t小項目\t具体的な取組\t区分\tスケジュール\t\t取組状況\t\t評価\n"
      "\t\t\t\tR1\tR2\tR1\tR2\t\n"
      "A\tB\t1 一\t継続\t実施\t⇒\tx\ty\tS\n"
      "\t\t2 二\t継続\t実施\t⇒\tx\ty\tB\n";
  absl::StatusOr<ParsedTable> read = ReadTable(tsv);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->plan.rating_scale().grades_size(), 2);
  EXPECT_EQ(read->plan.rating_scale().grades(0).code(), "S");
  EXPECT_EQ(read->plan.rating_scale().grades(1).code(), "B");
  EXPECT_EQ(read->plan.title(), "計画");
}

// Found by the fuzzer: extra ⇒ after an empty cell inside the schedule run.
TEST(TableShapesTest, ExtraArrowsAfterAnEmptyScheduleCell) {
  const char* tsv =
      "計画（令和元年度～令和2年度）\n【総務】\n"
      "中項目\t小項目\t具体的な取組\t区分\tスケジュール\t\t取組状況\t\t評価\n"
      "\t\t\t\tR1\tR2\tR1\tR2\t\n"
      "\t\t1 一\t継続\t実施\t\t⇒\t⇒\tx\ty\tA\n";
  absl::StatusOr<ParsedTable> read = ReadTable(tsv);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->initiatives.size(), 1u);
  const v1::Initiative& one = read->initiatives[0].initiative;
  ASSERT_EQ(one.schedule_size(), 1);  // 実施 in R1, nothing in R2; the two ⇒ dropped
  EXPECT_EQ(one.schedule(0).phase(), v1::PHASE_IMPLEMENT);
  EXPECT_EQ(read->initiatives[0].outcomes.size(), 2u);
  EXPECT_EQ(one.human_rating().grade(), "A");
}

}  // namespace
}  // namespace torikumi::table
