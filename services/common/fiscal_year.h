// Japanese fiscal years (年度, April–March). Stored as the Gregorian year in which the fiscal
// year starts: FY2018 = H30 = 平成30年度; FY2019 = R1 = 令和元年度 (Heisei 31 and Reiwa 1 are
// the same fiscal year). The era forms are for parsing and display only.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace torikumi {

// Accepts, after NFKC normalisation and trimming: "H30", "R1", "R4", "h30", "平成30年度",
// "令和元年度", "令和4年", "2019年度", "2019", "FY2019", "fy2019", and full-width forms
// such as "Ｒ４" or "２０１９年度". Heisei 1–31 and Reiwa 1+ only.
// Returns INVALID_ARGUMENT whose message quotes the offending text otherwise.
absl::StatusOr<int> ParseFiscalYear(absl::string_view text);

// "H30" for 2018, "R1" for 2019, "R4" for 2022.
std::string FormatFiscalYearShort(int fiscal_year);
// "平成30年度" for 2018, "令和元年度" for 2019, "令和4年度" for 2022.
std::string FormatFiscalYearJapanese(int fiscal_year);
// "FY2019".
std::string FormatFiscalYearGregorian(int fiscal_year);

// The range torikumi accepts for a fiscal year (Heisei 1 .. far future).
inline constexpr int kMinFiscalYear = 1989;
inline constexpr int kMaxFiscalYear = 2200;

}  // namespace torikumi
