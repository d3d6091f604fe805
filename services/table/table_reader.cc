#include "services/table/table_reader.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/errors.h"
#include "services/common/fiscal_year.h"
#include "services/table/header.h"
#include "services/table/json_codec.h"
#include "services/table/layout_recorder.h"
#include "services/table/legend.h"
#include "services/table/plan_builder.h"
#include "services/table/records.h"
#include "services/table/row_parser.h"
#include "services/table/text_util.h"
#include "services/table/title_line.h"

namespace torikumi::table {
namespace {

constexpr absl::string_view kZipMagic = "PK\x03\x04";
constexpr absl::string_view kAreaOpen = "【";
constexpr absl::string_view kAreaClose = "】";
// The area name used when rows come before any 【area】 marker.
constexpr absl::string_view kDefaultArea = "全体";

size_t NonEmptyCells(const Record& record) {
  size_t n = 0;
  for (const Cell& cell : record.cells) n += cell.empty() ? 0 : 1;
  return n;
}

const Cell* FirstNonEmpty(const Record& record) {
  for (const Cell& cell : record.cells) {
    if (!cell.empty()) return &cell;
  }
  return nullptr;
}

// 【職員研修】 → 職員研修 when the record is only an area marker.
std::optional<std::string> AreaMarker(const Record& record, FindingSink* findings) {
  if (NonEmptyCells(record) != 1) return std::nullopt;
  const Cell& cell = *FirstNonEmpty(record);
  if (!absl::StartsWith(cell.raw, kAreaOpen)) return std::nullopt;
  size_t close = absl::string_view(cell.raw).find(kAreaClose);
  if (close == absl::string_view::npos) return std::nullopt;
  std::string name(
      TrimSpaces(absl::string_view(cell.raw).substr(kAreaOpen.size(), close - kAreaOpen.size())));
  if (name.empty()) return std::nullopt;
  absl::string_view rest =
      TrimSpaces(absl::string_view(cell.raw).substr(close + kAreaClose.size()));
  if (!rest.empty()) {
    findings->Add(cell.line, cell.column, cell.raw,
                  absl::StrCat("text after the area name, '", rest, "', is not kept"),
                  Severity::kError);
  }
  return name;
}

ParsedTable FromDocument(const v1::TableDocument& document) {
  ParsedTable table;
  table.plan = document.plan();
  table.detected_encoding = "JSON";
  for (const v1::TableInitiative& row : document.initiatives()) {
    ImportedInitiative item;
    item.initiative = row.initiative();
    item.outcomes.assign(row.outcomes().begin(), row.outcomes().end());
    if (!row.relists().area().empty()) {
      item.relists = InitiativeKey{row.relists().area(), row.relists().number()};
    }
    table.initiatives.push_back(std::move(item));
  }
  return table;
}

// Reads the records of a text table in order, keeping the state a reader of the printed
// sheet keeps: the current area, its header layout, the plan's title and scale.
class TableText {
 public:
  TableText(std::vector<Record> records, FindingSink* findings)
      : records_(std::move(records)), findings_(findings), builder_(findings) {}

  absl::StatusOr<ParsedTable> Read();

 private:
  void FindLegends();
  void ReadTitle(size_t index, const TitleLine& title);
  void NotPlaced(const Record& record, absl::string_view why);
  void RetireParser();
  void DropYearsOutsidePeriod(std::vector<ImportedInitiative>* initiatives);
  // Reads the header row at records_[i] and the row of years after it, and starts a new
  // parser on that layout; returns the index of the last record read.
  absl::StatusOr<size_t> ReadHeader(size_t i);
  // A title line, or a data row of the current layout.
  void ReadOtherRecord(size_t index);
  // The table from what was read: areas, initiatives, title, period and scale.
  absl::StatusOr<ParsedTable> Finish();
  void SetTitleAndPeriod(ParsedTable* table);
  void SetScale(v1::Plan* plan);
  v1::TableLayout Layout() const;

  std::vector<Record> records_;
  FindingSink* findings_;
  PlanBuilder builder_;
  std::vector<bool> is_legend_;
  v1::RatingScale scale_;
  int legend_line_ = 0;
  std::optional<TitleLine> title_;
  int title_line_ = 0;
  std::unique_ptr<TableLayout> layout_;
  std::unique_ptr<RowParser> parser_;
  std::vector<std::string> seen_codes_;
  std::vector<int> header_years_;
  int first_header_line_ = 0;
  LayoutRecorder layout_recorder_;
};

void TableText::FindLegends() {
  is_legend_.assign(records_.size(), false);
  for (size_t i = 0; i < records_.size(); ++i) {
    const Record& record = records_[i];
    size_t filled = NonEmptyCells(record);
    if (filled == 0 || filled > 2) continue;  // a legend is a line of its own
    std::optional<v1::RatingScale> scale = ParseLegend(Nfkc(record.JoinedText()));
    if (!scale.has_value()) continue;
    is_legend_[i] = true;
    layout_recorder_.Legend(i, record);
    if (legend_line_ == 0) {
      scale_ = *scale;
      legend_line_ = record.line;
    } else if (!google::protobuf::util::MessageDifferencer::Equals(*scale, scale_)) {
      findings_->Add(record.line, 0, record.JoinedText(),
                     absl::StrCat("a different rating legend from the one at line ", legend_line_,
                                  "; the first is the plan's scale"),
                     Severity::kError);
    }
  }
}

void TableText::ReadTitle(size_t index, const TitleLine& title) {
  const Record& record = records_[index];
  layout_recorder_.Title(index, title);
  if (!title_.has_value()) {
    title_ = title;
    title_line_ = record.line;
    return;
  }
  bool same = title.title == title_->title &&
              google::protobuf::util::MessageDifferencer::Equals(title.period, title_->period);
  if (!same) {
    findings_->Add(record.line, 0, record.JoinedText(),
                   absl::StrCat("a different title line from the one at line ", title_line_,
                                "; the first names the plan"),
                   Severity::kError);
  }
}

void TableText::NotPlaced(const Record& record, absl::string_view why) {
  for (const Cell& cell : record.cells) {
    if (cell.empty()) continue;
    findings_->Add(cell.line, cell.column, cell.raw, absl::StrCat("not placed: ", why),
                   Severity::kError);
  }
}

void TableText::RetireParser() {
  if (parser_ == nullptr) return;
  for (const std::string& code : parser_->seen_codes()) {
    if (std::find(seen_codes_.begin(), seen_codes_.end(), code) == seen_codes_.end()) {
      seen_codes_.push_back(code);
    }
  }
  parser_.reset();
}

void TableText::DropYearsOutsidePeriod(std::vector<ImportedInitiative>* initiatives) {
  const int first = title_->period.first_fiscal_year();
  const int last = title_->period.last_fiscal_year();
  auto outside = [&](int year) { return year != 0 && (year < first || year > last); };
  for (ImportedInitiative& item : *initiatives) {
    auto* schedule = item.initiative.mutable_schedule();
    for (int i = schedule->size(); i-- > 0;) {
      if (!outside(schedule->Get(i).fiscal_year())) continue;
      findings_->Add(item.source_line, 0, item.initiative.title(),
                     absl::StrCat("not placed: the schedule for ",
                                  FormatFiscalYearShort(schedule->Get(i).fiscal_year()),
                                  " is outside the plan's period"),
                     Severity::kError);
      schedule->DeleteSubrange(i, 1);
    }
    auto end =
        std::remove_if(item.outcomes.begin(), item.outcomes.end(), [&](const v1::Outcome& o) {
          if (!outside(o.fiscal_year())) return false;
          findings_->Add(
              item.source_line, 0, o.text(),
              absl::StrCat("not placed: the outcome for ", FormatFiscalYearShort(o.fiscal_year()),
                           " is outside the plan's period"),
              Severity::kError);
          return true;
        });
    item.outcomes.erase(end, item.outcomes.end());
  }
}

absl::StatusOr<ParsedTable> TableText::Read() {
  FindLegends();
  for (size_t i = 0; i < records_.size(); ++i) {
    const Record& record = records_[i];
    if (record.blank() || is_legend_[i]) continue;
    if (std::optional<std::string> area = AreaMarker(record, findings_)) {
      RetireParser();
      layout_.reset();
      layout_recorder_.Area(i);
      builder_.StartArea(*std::move(area));
    } else if (IsHeaderRow(record)) {
      absl::StatusOr<size_t> last = ReadHeader(i);
      if (!last.ok()) return last.status();
      i = *last;
    } else {
      ReadOtherRecord(i);
    }
  }
  RetireParser();
  return Finish();
}

absl::StatusOr<size_t> TableText::ReadHeader(size_t i) {
  const Record& record = records_[i];
  // The years are on the next line that is not blank, unless that is a header or legend.
  size_t j = i + 1;
  while (j < records_.size() && records_[j].blank()) ++j;
  const Record* years =
      j < records_.size() && !IsHeaderRow(records_[j]) && !is_legend_[j] ? &records_[j] : nullptr;
  absl::StatusOr<TableLayout> layout = ReadLayout(record, years, findings_);
  if (!layout.ok()) return layout.status();
  layout_recorder_.Header(record, years);
  if (first_header_line_ == 0) first_header_line_ = record.line;
  for (int y : layout->schedule_years) header_years_.push_back(y);
  for (const OutcomeYear& y : layout->outcome_years) header_years_.push_back(y.fiscal_year);
  if (!builder_.has_area()) {
    findings_->Add(record.line, 0, record.JoinedText(),
                   absl::StrCat("no 【area】 line before the header; the rows were put in "
                                "the area '",
                                kDefaultArea, "'"),
                   Severity::kGuess);
    builder_.StartArea(std::string(kDefaultArea));
  }
  RetireParser();
  layout_ = std::make_unique<TableLayout>(*std::move(layout));
  parser_ = std::make_unique<RowParser>(*layout_, scale_, findings_);
  return years != nullptr ? j : i;
}

void TableText::ReadOtherRecord(size_t index) {
  const Record& record = records_[index];
  if (NonEmptyCells(record) <= 2) {
    if (std::optional<TitleLine> title = ParseTitleLine(record.JoinedText())) {
      ReadTitle(index, *title);
      return;
    }
  }
  if (parser_ == nullptr) {
    NotPlaced(record, "text before the first header row that is not a title, area or legend");
    return;
  }
  std::optional<ParsedRow> row = parser_->Parse(record);
  if (!row.has_value()) {
    NotPlaced(record,
              "the row has no numbered title, 区分 or schedule, so it names no "
              "initiative");
    return;
  }
  builder_.AddRow(*row);
}

absl::StatusOr<ParsedTable> TableText::Finish() {
  if (first_header_line_ == 0) {
    return InvalidField(
        "table",
        absl::StrCat("not a 取組状況 table: none of its ", records_.size(),
                     " lines is a header row naming the columns (中項目 小項目 具体的な取組 "
                     "区分 スケジュール 取組状況 評価)"));
  }
  ParsedTable table;
  std::vector<std::string> areas;
  table.initiatives = builder_.Finish(&areas);
  if (table.initiatives.empty()) {
    return InvalidField(
        "table", absl::StrCat("no initiative rows under the header at line ", first_header_line_,
                              " (rows start with a numbered title such as "
                              "'1 通信教育講座…')"));
  }
  for (std::string& area : areas) table.plan.add_areas(std::move(area));
  SetTitleAndPeriod(&table);
  SetScale(&table.plan);
  *table.plan.mutable_table_layout() = Layout();
  return table;
}

v1::TableLayout TableText::Layout() const {
  v1::TableLayout layout = layout_recorder_.Finish(records_);
  // A table that never writes － leaves a year without a phase empty.
  bool dashes = false;
  for (const Record& record : records_) {
    for (const Cell& cell : record.cells)
      dashes = dashes || (!cell.empty() && IsDashOnly(cell.norm));
  }
  layout.set_empty_cell_for_no_phase(!dashes);
  return layout;
}

void TableText::SetTitleAndPeriod(ParsedTable* table) {
  if (title_.has_value()) {
    table->plan.set_title(title_->title);
    *table->plan.mutable_period() = title_->period;
    DropYearsOutsidePeriod(&table->initiatives);
    return;
  }
  auto [lo, hi] = std::minmax_element(header_years_.begin(), header_years_.end());
  table->plan.mutable_period()->set_first_fiscal_year(*lo);
  table->plan.mutable_period()->set_last_fiscal_year(*hi);
  findings_->Add(
      first_header_line_, 0, "",
      absl::StrCat("no title line with the plan's period (e.g. 人材育成推進プラン（平成30"
                   "年度～令和4年度）); the period was taken from the header years, ",
                   FormatFiscalYearShort(*lo), "–", FormatFiscalYearShort(*hi),
                   ", and the plan has no title"),
      Severity::kGuess);
}

void TableText::SetScale(v1::Plan* plan) {
  if (legend_line_ != 0) {
    *plan->mutable_rating_scale() = scale_;
    return;
  }
  if (seen_codes_.empty()) return;
  *plan->mutable_rating_scale() = ScaleFromCodes(seen_codes_);
  std::vector<std::string> codes;
  for (const v1::Grade& g : plan->rating_scale().grades()) codes.push_back(g.code());
  findings_->Add(first_header_line_, 0, "",
                 absl::StrCat("no rating legend (※評価 A：…、B：…); the scale was made from the "
                              "grades used: ",
                              absl::StrJoin(codes, ", "), ", without labels"),
                 Severity::kGuess);
}

}  // namespace

absl::StatusOr<ParsedTable> ReadTable(absl::string_view bytes, const ReadOptions& opts) {
  if (bytes.size() > opts.max_bytes) {
    return InvalidField(
        "table", absl::StrCat("the table is ", bytes.size(), " bytes; the most that is read is ",
                              opts.max_bytes, " bytes (a real plan is well under a megabyte)"));
  }
  if (TrimSpaces(bytes).empty()) {
    return InvalidField("table", "the table is empty: there is no line to read");
  }
  if (absl::StartsWith(bytes, kZipMagic)) {
    return InvalidField("table",
                        "this is a ZIP file (an .xlsx workbook?), not table text; save the sheet "
                        "as CSV or as tab-separated text and import that");
  }
  ParsedTable table;
  absl::string_view trimmed = TrimSpaces(bytes);
  if (absl::StartsWith(trimmed, "{")) {
    absl::StatusOr<v1::TableDocument> document = DocumentFromJson(trimmed);
    if (!document.ok()) return document.status();
    table = FromDocument(*document);
  } else {
    absl::StatusOr<DecodedText> decoded = DecodeTable(bytes, opts.encoding);
    if (!decoded.ok()) return decoded.status();
    if (TrimSpaces(decoded->text).empty()) {
      return InvalidField("table", "the table is empty: there is no line to read");
    }
    FindingSink findings(opts.max_findings);
    std::vector<Record> records =
        SplitRecords(decoded->text, DetectDelimiter(decoded->text), &findings);
    absl::StatusOr<ParsedTable> read = TableText(std::move(records), &findings).Read();
    if (!read.ok()) return read.status();
    table = *std::move(read);
    table.detected_encoding = decoded->detected;
    table.findings = findings.Take();
  }
  if (opts.strict) {
    if (absl::Status status = StrictStatus(table.findings); !status.ok()) return status;
  }
  return table;
}

v1::TableDocument ToDocument(const ParsedTable& table) {
  v1::TableDocument document;
  *document.mutable_plan() = table.plan;
  for (const ImportedInitiative& item : table.initiatives) {
    v1::TableInitiative* row = document.add_initiatives();
    *row->mutable_initiative() = item.initiative;
    for (const v1::Outcome& outcome : item.outcomes) *row->add_outcomes() = outcome;
    if (item.relists.has_value()) {
      row->mutable_relists()->set_area(item.relists->area);
      row->mutable_relists()->set_number(item.relists->number);
    }
  }
  return document;
}

}  // namespace torikumi::table
