// Writers and round trips: the seed read, written as TSV / CSV / CP932 TSV / JSON, read
// back, must give the same document (there are no names or ids at this level). The
// printed layout must look like the seed.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "services/common/text.h"
#include "services/table/decoding.h"
#include "services/table/json_codec.h"
#include "services/table/table_reader.h"
#include "services/table/table_writer.h"
#include "tests/status_assertions.h"
#include "tests/table/seed_table.h"

namespace torikumi::table {
namespace {

using testing::FindingsText;
using testing::SeedBytes;

class TableRoundTripTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<ParsedTable> read = ReadTable(SeedBytes());
    ASSERT_TRUE(read.ok()) << read.status();
    seed_ = new v1::TableDocument(ToDocument(*read));
  }
  static void TearDownTestSuite() {
    delete seed_;
    seed_ = nullptr;
  }

  // Reads `bytes` strictly (the writers' output needs no repair) and returns the JSON of
  // the document it gives.
  static std::string ReadBackJson(absl::string_view bytes, ReadOptions options = {}) {
    options.strict = true;
    absl::StatusOr<ParsedTable> read = ReadTable(bytes, options);
    EXPECT_TRUE(read.ok()) << read.status();
    if (!read.ok()) return "";
    return JsonOf(ToDocument(*read));
  }

  // ReadBackJson without the layout the reader recorded, for documents that had none.
  static std::string ReadBackJsonWithoutLayout(absl::string_view bytes) {
    absl::StatusOr<ParsedTable> read = ReadTable(bytes, ReadOptions{.strict = true});
    EXPECT_TRUE(read.ok()) << read.status();
    if (!read.ok()) return "";
    EXPECT_TRUE(read->plan.table_layout().recorded());
    read->plan.clear_table_layout();
    return JsonOf(ToDocument(*read));
  }

  // The document as JSON; empty (after a failed expectation) when it cannot be written.
  static std::string JsonOf(const v1::TableDocument& document) {
    absl::StatusOr<std::string> json = DocumentToJson(document);
    EXPECT_TRUE(json.ok()) << json.status();
    return json.ok() ? *json : "";
  }

  static std::string SeedJson() { return JsonOf(*seed_); }

  static v1::TableDocument* seed_;
};

v1::TableDocument* TableRoundTripTest::seed_ = nullptr;

TEST_F(TableRoundTripTest, TsvLooksLikeTheSeed) {
  absl::StatusOr<std::string> tsv = WriteTsv(*seed_);
  ASSERT_TRUE(tsv.ok()) << tsv.status();
  std::vector<std::string> lines = absl::StrSplit(*tsv, '\n');
  EXPECT_EQ(lines[0], "人材育成推進プラン（平成30年度～令和4年度）の取組状況");
  EXPECT_EQ(lines[2], "【職員研修】");
  EXPECT_EQ(lines[4],
            "中項目\t小項目\t具体的な取組\t区分\tスケジュール\t\t\t\t\t取組状況\t\t\t\t\t評価");
  EXPECT_EQ(lines[5], "\t\t\t\tH30\tR1\tR2\tR3\tR4\tH30\tR1\tR2\tR3\tR4（～8月）\t");
  EXPECT_EQ(lines[6],
            "自己啓発（自学）\t自己啓発支援制度の充実\t1 "
            "通信教育講座を受講する職員への経費の一部支援\t継続\t実施\t⇒\t⇒\t⇒\t⇒\t支援人数 "
            "1人\t支援人数 0人\t支援人数 4人\t支援人数 0人\t支援人数 0人※実施中\tA");
  // Merged cells: the theme only where it changes.
  EXPECT_TRUE(absl::StartsWith(lines[7], "\t\t2 自主研修活動を実施する職員への経費の一部支援\t"));
  // A whole-period outcome in the first outcome column, the rest empty.
  EXPECT_TRUE(absl::StrContains(lines[8], "\t新規\t検討\t実施\t⇒\t⇒\t⇒\t特定行政庁として"));
  EXPECT_TRUE(absl::EndsWith(lines[8], "\t\t\t\tB"));
  // The re-list marker and the legend as the seed prints them.
  EXPECT_TRUE(absl::StrContains(*tsv, "\t3 勤務時間内の生産性の向上に向けた取組の検討（再掲）\t"));
  EXPECT_TRUE(absl::StrContains(
      *tsv,
      "\n※評価 A：実施できた、B：概ね実施できた（一部実施できなかった）、C：実施できなかった\n"));
  EXPECT_TRUE(absl::StrContains(*tsv, "\n【組織文化】\n"));
  EXPECT_TRUE(absl::StrContains(*tsv, "\n【働きやすい環境】\n"));
}

TEST_F(TableRoundTripTest, TsvRoundTrip) {
  absl::StatusOr<std::string> tsv = WriteTsv(*seed_);
  ASSERT_TRUE(tsv.ok());
  EXPECT_EQ(ReadBackJson(*tsv), SeedJson());
  // Writing what was read back gives the same bytes again.
  absl::StatusOr<ParsedTable> again = ReadTable(*tsv);
  ASSERT_TRUE(again.ok());
  ASSERT_OK_AND_ASSIGN(std::string rewritten, WriteTsv(ToDocument(*again)));
  EXPECT_EQ(rewritten, *tsv);
}

TEST_F(TableRoundTripTest, CsvRoundTrip) {
  absl::StatusOr<std::string> csv = WriteCsv(*seed_);
  ASSERT_TRUE(csv.ok());
  EXPECT_TRUE(absl::StartsWith(*csv, "\xEF\xBB\xBF人材育成推進プラン"));
  EXPECT_TRUE(absl::StrContains(*csv, "\r\n【職員研修】\r\n"));
  EXPECT_TRUE(absl::StrContains(*csv,
                                "\r\n自己啓発（自学）,自己啓発支援制度の充実,1 通信教育講座を受講"
                                "する職員への経費の一部支援,継続,実施,⇒,⇒,⇒,⇒,支援人数 1人,"));
  absl::StatusOr<ParsedTable> read = ReadTable(*csv);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->detected_encoding, "UTF-8 with BOM");
  EXPECT_EQ(ReadBackJson(*csv), SeedJson());
}

TEST_F(TableRoundTripTest, Cp932RoundTrip) {
  absl::StatusOr<std::string> tsv = WriteTsv(*seed_);
  ASSERT_TRUE(tsv.ok());
  absl::StatusOr<std::string> sjis = EncodeCp932(*tsv);
  ASSERT_TRUE(sjis.ok()) << sjis.status();
  EXPECT_FALSE(IsValidUtf8(*sjis));  // so detection has work to do
  EXPECT_LT(sjis->size(), tsv->size());
  // Detected…
  absl::StatusOr<ParsedTable> detected = ReadTable(*sjis);
  ASSERT_TRUE(detected.ok()) << detected.status();
  EXPECT_EQ(detected->detected_encoding, "CP932");
  EXPECT_EQ(ReadBackJson(*sjis), SeedJson());
  // …or named.
  ReadOptions named;
  named.encoding = Encoding::kCp932;
  EXPECT_EQ(ReadBackJson(*sjis, named), SeedJson());
  // Naming the wrong encoding is a clear error, not mojibake.
  ReadOptions wrong;
  wrong.encoding = Encoding::kUtf8;
  absl::StatusOr<ParsedTable> misread = ReadTable(*sjis, wrong);
  ASSERT_FALSE(misread.ok());
  EXPECT_TRUE(absl::StrContains(misread.status().message(), "not UTF-8 text: line 1"))
      << misread.status();
}

TEST_F(TableRoundTripTest, JsonRoundTripIsLossless) {
  v1::TableDocument document = *seed_;
  // Fields no table shows survive JSON: names, rater, reason, targets.
  document.mutable_plan()->set_name("organizations/aizu/plans/hr");
  v1::TableInitiative* first = document.mutable_initiatives(0);
  first->mutable_initiative()->set_name("organizations/aizu/plans/hr/initiatives/1");
  first->mutable_initiative()->mutable_human_rating()->set_rater("人事課");
  first->mutable_initiative()->mutable_human_rating()->set_reason("計画どおり");
  first->mutable_outcomes(0)->mutable_metrics(0)->set_target(3);
  absl::StatusOr<std::string> json = WriteJson(document);
  ASSERT_TRUE(json.ok());
  EXPECT_TRUE(absl::StrContains(*json, "\"rater\": \"人事課\""));
  absl::StatusOr<ParsedTable> read = ReadTable(*json);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->detected_encoding, "JSON");
  EXPECT_EQ(JsonOf(ToDocument(*read)), *json);
}

// Layout details the seed does not exercise.
v1::TableDocument SmallDocument() {
  v1::TableDocument document;
  v1::Plan* plan = document.mutable_plan();
  plan->set_title("行政改革プラン");
  plan->mutable_period()->set_first_fiscal_year(2019);
  plan->mutable_period()->set_last_fiscal_year(2021);
  plan->add_areas("業務改革");
  v1::Grade* good = plan->mutable_rating_scale()->add_grades();
  good->set_code("◎");
  good->set_label("十分");
  v1::Grade* fair = plan->mutable_rating_scale()->add_grades();
  fair->set_code("△");
  fair->set_label("一部");
  fair->set_meaning("課題あり");

  v1::TableInitiative* a = document.add_initiatives();
  a->mutable_initiative()->set_area("業務改革");
  a->mutable_initiative()->set_theme("電子化");
  a->mutable_initiative()->set_number(1);
  a->mutable_initiative()->set_title("申請の電子化, \"オンライン\" 化");
  a->mutable_initiative()->set_kind(v1::INITIATIVE_KIND_NEW);
  // No phase in 2019, 試行 in 2020, 実施 in 2021.
  v1::ScheduleEntry* s = a->mutable_initiative()->add_schedule();
  s->set_fiscal_year(2020);
  s->set_phase(v1::PHASE_TRIAL);
  s = a->mutable_initiative()->add_schedule();
  s->set_fiscal_year(2021);
  s->set_phase(v1::PHASE_IMPLEMENT);
  a->mutable_initiative()->mutable_human_rating()->set_grade("◎");
  // Only the first year has an outcome: it must not read back as a whole-period one.
  v1::Outcome* o = a->add_outcomes();
  o->set_fiscal_year(2019);
  o->set_text("説明会 3回\n参加 40人");  // a line break inside the cell
  o->set_status(v1::OUTCOME_STATUS_UNSPECIFIED);
  v1::Metric* m = o->add_metrics();
  m->set_label("説明会");
  m->set_value(3);
  m->set_unit("回");
  m = o->add_metrics();
  m->set_label("参加");
  m->set_value(40);
  m->set_unit("人");

  v1::TableInitiative* b = document.add_initiatives();
  b->mutable_initiative()->set_area("業務改革");
  b->mutable_initiative()->set_theme("電子化");
  b->mutable_initiative()->set_subtheme("窓口");
  b->mutable_initiative()->set_number(2);
  b->mutable_initiative()->set_title("\"窓口\"\tの一元化");
  b->mutable_initiative()->set_kind(v1::INITIATIVE_KIND_CONTINUING);
  s = b->mutable_initiative()->add_schedule();
  s->set_fiscal_year(2019);
  s->set_phase(v1::PHASE_CONSIDER);
  s = b->mutable_initiative()->add_schedule();
  s->set_fiscal_year(2020);
  s->set_phase(v1::PHASE_CONSIDER);
  s->set_continuation(true);
  o = b->add_outcomes();
  o->set_text("検討を続けている。※今後実施予定");
  o->set_status(v1::OUTCOME_STATUS_SCHEDULED);
  return document;
}

TEST_F(TableRoundTripTest, OtherScaleQuotingAndFirstYearOnlyOutcomes) {
  const v1::TableDocument document = SmallDocument();
  const std::string expected = *DocumentToJson(document);
  absl::StatusOr<std::string> tsv = WriteTsv(document);
  ASSERT_TRUE(tsv.ok());
  EXPECT_TRUE(absl::StrContains(*tsv, "※評価 ◎：十分、△：一部（課題あり）"));
  EXPECT_TRUE(absl::StrContains(*tsv, "\tR1\tR2\tR3\tR1\tR2\tR3\t"));
  EXPECT_TRUE(
      absl::StrContains(*tsv, "\t新規\t－\t試行\t実施\t\"説明会 3回\n参加 40人\"\t－\t－\t◎"));
  EXPECT_EQ(ReadBackJsonWithoutLayout(*tsv), expected) << *tsv;
  absl::StatusOr<std::string> csv = WriteCsv(document);
  ASSERT_TRUE(csv.ok());
  EXPECT_TRUE(absl::StrContains(*csv, ",\"1 申請の電子化, \"\"オンライン\"\" 化\","));
  EXPECT_EQ(ReadBackJsonWithoutLayout(*csv), expected) << *csv;
}

TEST_F(TableRoundTripTest, WriteTableDispatchesOnFormat) {
  const v1::TableDocument document = SmallDocument();
  ASSERT_OK_AND_ASSIGN(std::string tsv, WriteTable(document, v1::TABLE_FORMAT_TSV));
  ASSERT_OK_AND_ASSIGN(std::string direct_tsv, WriteTsv(document));
  EXPECT_EQ(tsv, direct_tsv);
  ASSERT_OK_AND_ASSIGN(std::string json, WriteTable(document, v1::TABLE_FORMAT_JSON));
  ASSERT_OK_AND_ASSIGN(std::string direct_json, WriteJson(document));
  EXPECT_EQ(json, direct_json);
  absl::StatusOr<std::string> none = WriteTable(document, v1::TABLE_FORMAT_UNSPECIFIED);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(v1::TableFormat xlsx, ParseTableFormat("XLSX"));
  EXPECT_EQ(xlsx, v1::TABLE_FORMAT_XLSX);
  ASSERT_OK_AND_ASSIGN(v1::TableFormat csv, ParseTableFormat(".csv"));
  EXPECT_EQ(csv, v1::TABLE_FORMAT_CSV);
  EXPECT_FALSE(ParseTableFormat("pdf").ok());
  EXPECT_EQ(TableFormatExtension(v1::TABLE_FORMAT_JSON), "json");
}

TEST_F(TableRoundTripTest, SortForDisplayFollowsPlanAreasThenNumbers) {
  v1::TableDocument shuffled = *seed_;
  std::reverse(shuffled.mutable_initiatives()->begin(), shuffled.mutable_initiatives()->end());
  ASSERT_NE(shuffled.initiatives(0).initiative().area(), "職員研修");
  SortForDisplay(&shuffled);
  EXPECT_EQ(JsonOf(shuffled), SeedJson());
}

}  // namespace
}  // namespace torikumi::table
