#include "services/common/fiscal_year.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/text.h"

namespace torikumi {
namespace {

// Fiscal years start in April, so H31 (April 2019–March 2020) and R1 are the same year:
// Heisei n = 1988 + n, Reiwa n = 2018 + n.
constexpr int kHeiseiOffset = 1988;
constexpr int kReiwaOffset = 2018;
constexpr int kLastHeisei = 31;
constexpr int kFirstReiwaFiscalYear = kReiwaOffset + 1;

// More digits than any valid year or era number has; longer runs are rejected before
// conversion so they cannot overflow.
constexpr size_t kMaxDigits = 4;

constexpr absl::string_view kExpectedForms =
    "expected e.g. R4, H30, 令和4年度, 令和元年度, 2022年度 or FY2022";

absl::Status Reject(absl::string_view text, absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is not a fiscal year: ", reason, " (", kExpectedForms, ")"));
}

enum class Era { kNone, kHeisei, kReiwa, kFy };

// Removes a case-insensitive ASCII prefix or an exact Japanese prefix.
bool ConsumePrefixIgnoringCase(absl::string_view* s, absl::string_view prefix) {
  if (s->size() < prefix.size()) return false;
  if (!absl::EqualsIgnoreCase(s->substr(0, prefix.size()), prefix)) return false;
  s->remove_prefix(prefix.size());
  return true;
}

Era ConsumeEra(absl::string_view* s) {
  if (ConsumePrefixIgnoringCase(s, "平成") || ConsumePrefixIgnoringCase(s, "h"))
    return Era::kHeisei;
  if (ConsumePrefixIgnoringCase(s, "令和") || ConsumePrefixIgnoringCase(s, "r")) return Era::kReiwa;
  if (ConsumePrefixIgnoringCase(s, "fy")) return Era::kFy;
  return Era::kNone;
}

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<int> ParseFiscalYear(absl::string_view text) {
  absl::StatusOr<std::string> normalized = NormalizeNfkc(text);
  if (!normalized.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("fiscal year '", absl::CHexEscape(text),
                     "' is not readable: ", normalized.status().message()));
  }
  // NFKC has turned full-width letters, digits and the ideographic space into ASCII.
  absl::string_view s = absl::StripAsciiWhitespace(*normalized);
  if (s.empty()) return Reject(text, "it is empty");

  // One optional suffix: 年度 (fiscal year) or 年 (year, as in 令和4年).
  if (!absl::ConsumeSuffix(&s, "年度")) absl::ConsumeSuffix(&s, "年");
  s = absl::StripTrailingAsciiWhitespace(s);

  Era era = ConsumeEra(&s);
  s = absl::StripLeadingAsciiWhitespace(s);

  int number = 0;
  if (s == "元" && (era == Era::kHeisei || era == Era::kReiwa)) {
    number = 1;  // 元年: the first year of an era.
  } else if (s.empty()) {
    return Reject(text, "no year number");
  } else if (!AllDigits(s)) {
    return Reject(text, absl::StrCat("'", s, "' is not a year number"));
  } else if (s.size() > kMaxDigits || !absl::SimpleAtoi(s, &number)) {
    return Reject(text, "the year number is out of range");
  }

  int year = 0;
  switch (era) {
    case Era::kHeisei:
      if (number < 1 || number > kLastHeisei) {
        return Reject(text, absl::StrCat("Heisei (平成) runs from 1 to ", kLastHeisei));
      }
      year = kHeiseiOffset + number;
      break;
    case Era::kReiwa:
      if (number < 1) return Reject(text, "Reiwa (令和) starts at 1 (元年)");
      year = kReiwaOffset + number;
      break;
    case Era::kFy:
    case Era::kNone:
      if (s.size() != 4) return Reject(text, "a Gregorian year needs four digits");
      year = number;
      break;
  }
  if (year < kMinFiscalYear || year > kMaxFiscalYear) {
    return Reject(text,
                  absl::StrCat("fiscal years run from ", kMinFiscalYear, " to ", kMaxFiscalYear));
  }
  return year;
}

// Years before Heisei have no era form here; they fall back to the Gregorian form so the
// output is still readable and parseable wherever the year itself is accepted.
std::string FormatFiscalYearShort(int fiscal_year) {
  if (fiscal_year >= kFirstReiwaFiscalYear) {
    return absl::StrCat("R", fiscal_year - kReiwaOffset);
  }
  if (fiscal_year > kHeiseiOffset) return absl::StrCat("H", fiscal_year - kHeiseiOffset);
  return FormatFiscalYearGregorian(fiscal_year);
}

std::string FormatFiscalYearJapanese(int fiscal_year) {
  auto era_year = [](int n) { return n == 1 ? std::string("元") : absl::StrCat(n); };
  if (fiscal_year >= kFirstReiwaFiscalYear) {
    return absl::StrCat("令和", era_year(fiscal_year - kReiwaOffset), "年度");
  }
  if (fiscal_year > kHeiseiOffset) {
    return absl::StrCat("平成", era_year(fiscal_year - kHeiseiOffset), "年度");
  }
  return absl::StrCat(fiscal_year, "年度");
}

std::string FormatFiscalYearGregorian(int fiscal_year) { return absl::StrCat("FY", fiscal_year); }

}  // namespace torikumi
