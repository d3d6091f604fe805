#include "services/table/title_line.h"

#include <algorithm>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/fiscal_year.h"
#include "services/table/text_util.h"

namespace torikumi::table {
namespace {

constexpr absl::string_view kOpenFull = "（";
constexpr absl::string_view kCloseFull = "）";
// Range marks after NFKC (～ has become ~; 〜 U+301C stays as it is).
constexpr absl::string_view kRangeMarks[] = {"~", "〜", "から", "–", "―", "-"};

std::optional<v1::Period> ParsePeriod(absl::string_view inside) {
  std::string norm = Nfkc(inside);
  for (absl::string_view mark : kRangeMarks) {
    size_t at = absl::string_view(norm).find(mark);
    if (at == std::string::npos) continue;
    absl::StatusOr<int> first = ParseFiscalYear(absl::string_view(norm).substr(0, at));
    absl::StatusOr<int> last = ParseFiscalYear(absl::string_view(norm).substr(at + mark.size()));
    if (!first.ok() || !last.ok() || *first > *last) return std::nullopt;
    v1::Period period;
    period.set_first_fiscal_year(*first);
    period.set_last_fiscal_year(*last);
    return period;
  }
  return std::nullopt;
}

// Finds the next opening bracket (full- or half-width) at or after `from`.
size_t FindOpen(absl::string_view raw, size_t from, size_t* length) {
  size_t full = raw.find(kOpenFull, from);
  size_t half = raw.find('(', from);
  if (full < half) {
    *length = kOpenFull.size();
    return full;
  }
  *length = 1;
  return half;
}

}  // namespace

std::optional<TitleLine> ParseTitleLine(absl::string_view raw) {
  size_t from = 0;
  while (true) {
    size_t open_len = 0;
    size_t open = FindOpen(raw, from, &open_len);
    if (open == absl::string_view::npos) return std::nullopt;
    size_t inner = open + open_len;
    size_t close_full = raw.find(kCloseFull, inner);
    size_t close_half = raw.find(')', inner);
    size_t close = std::min(close_full, close_half);
    if (close == absl::string_view::npos) return std::nullopt;
    size_t close_len = close == close_full ? kCloseFull.size() : 1;
    std::optional<v1::Period> period = ParsePeriod(raw.substr(inner, close - inner));
    if (period.has_value()) {
      TitleLine line;
      line.title = std::string(TrimSpaces(raw.substr(0, open)));
      line.period = *period;
      line.period_text = std::string(TrimSpaces(raw.substr(inner, close - inner)));
      line.caption = std::string(TrimSpaces(raw.substr(close + close_len)));
      return line;
    }
    from = inner;
  }
}

std::string FormatTitleLine(absl::string_view title, const v1::Period& period,
                            absl::string_view caption, absl::string_view period_text) {
  std::optional<v1::Period> written = ParsePeriod(period_text);
  if (written.has_value() && written->first_fiscal_year() == period.first_fiscal_year() &&
      written->last_fiscal_year() == period.last_fiscal_year()) {
    return absl::StrCat(title, "（", period_text, "）", caption);
  }
  return absl::StrCat(title, "（", FormatFiscalYearJapanese(period.first_fiscal_year()), "～",
                      FormatFiscalYearJapanese(period.last_fiscal_year()), "）", caption);
}

}  // namespace torikumi::table
