#include "services/table/records.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/table/text_util.h"

namespace torikumi::table {
namespace {

// How far DetectDelimiter looks: the title, area and header rows are near the top.
constexpr size_t kDelimiterSniffBytes = 64 * 1024;

struct Cursor {
  size_t pos = 0;
  int line = 1;
};

class RecordSplitter {
 public:
  RecordSplitter(absl::string_view text, char delimiter, FindingSink* findings)
      : text_(text), delimiter_(delimiter), findings_(findings) {}

  std::vector<Record> Run() {
    std::vector<Record> records;
    Cursor cursor;
    while (cursor.pos < text_.size()) {
      Cursor start = cursor;
      std::optional<size_t> unterminated;
      Record record = ParseRecord(&cursor, &unterminated);
      if (unterminated.has_value()) {
        // Excel never leaves a quote open, so this quote was meant as a character. From
        // here on every quote is read literally (one re-read, so the work stays linear).
        literal_quotes_from_ = *unterminated;
        findings_->Add(start.line, 0, Snippet(*unterminated),
                       "a quoted field never closes before the end of the file; quotes from "
                       "here on were read as ordinary characters",
                       Severity::kRepair);
        cursor = start;
        continue;
      }
      records.push_back(std::move(record));
    }
    return records;
  }

 private:
  absl::string_view Snippet(size_t offset) const {
    absl::string_view rest = text_.substr(offset);
    size_t end = rest.find('\n');
    return rest.substr(0, end);
  }

  Record ParseRecord(Cursor* c, std::optional<size_t>* unterminated) {
    Record record;
    record.line = c->line;
    while (true) {
      std::string field;
      int cell_line = c->line;
      int column = static_cast<int>(record.cells.size()) + 1;
      if (c->pos < text_.size() && text_[c->pos] == '"' && c->pos < literal_quotes_from_) {
        size_t quote = c->pos;
        ++c->pos;
        while (true) {
          if (c->pos >= text_.size()) {
            *unterminated = quote;
            return record;
          }
          char ch = text_[c->pos];
          if (ch == '"') {
            if (c->pos + 1 < text_.size() && text_[c->pos + 1] == '"') {
              field.push_back('"');
              c->pos += 2;
              continue;
            }
            ++c->pos;
            break;
          }
          if (ch == '\n') ++c->line;
          field.push_back(ch);
          ++c->pos;
        }
        size_t extra = c->pos;
        while (c->pos < text_.size() && text_[c->pos] != delimiter_ && text_[c->pos] != '\n') {
          ++c->pos;
        }
        if (c->pos > extra) {
          absl::string_view tail = text_.substr(extra, c->pos - extra);
          field.append(tail.data(), tail.size());
          findings_->Add(cell_line, column, field,
                         "text follows the closing quote of this field; it was kept as part "
                         "of the field",
                         Severity::kRepair);
        }
      } else {
        size_t begin = c->pos;
        while (c->pos < text_.size() && text_[c->pos] != delimiter_ && text_[c->pos] != '\n') {
          ++c->pos;
        }
        field.assign(text_.data() + begin, c->pos - begin);
      }
      Cell cell;
      cell.raw = std::string(TrimSpaces(field));
      if (!cell.raw.empty()) cell.norm = Nfkc(cell.raw);
      cell.line = cell_line;
      cell.column = column;
      record.cells.push_back(std::move(cell));

      if (c->pos >= text_.size()) return record;
      if (text_[c->pos] == delimiter_) {
        ++c->pos;
        continue;
      }
      // A line end closes the record.
      ++c->pos;
      ++c->line;
      return record;
    }
  }

  absl::string_view text_;
  char delimiter_;
  FindingSink* findings_;
  size_t literal_quotes_from_ = absl::string_view::npos;
};

}  // namespace

bool Record::blank() const {
  for (const Cell& cell : cells) {
    if (!cell.empty()) return false;
  }
  return true;
}

std::string Record::JoinedText() const {
  std::vector<absl::string_view> parts;
  for (const Cell& cell : cells) {
    if (!cell.empty()) parts.push_back(cell.raw);
  }
  return absl::StrJoin(parts, " ");
}

Delimiter DetectDelimiter(absl::string_view text) {
  // Count both candidates outside quoted text: a CSV field may hold a tab and a TSV
  // field a comma, but the real delimiter separates every row's cells.
  absl::string_view head = text.substr(0, kDelimiterSniffBytes);
  size_t tabs = 0;
  size_t commas = 0;
  bool quoted = false;
  for (char c : head) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    tabs += c == '\t' ? 1 : 0;
    commas += c == ',' ? 1 : 0;
  }
  return tabs > 0 && tabs >= commas ? Delimiter::kTab : Delimiter::kComma;
}

std::vector<Record> SplitRecords(absl::string_view text, Delimiter delimiter,
                                 FindingSink* findings) {
  return RecordSplitter(text, delimiter == Delimiter::kTab ? '\t' : ',', findings).Run();
}

}  // namespace torikumi::table
