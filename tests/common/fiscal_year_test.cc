#include "services/common/fiscal_year.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace torikumi {
namespace {

using ::testing::HasSubstr;

struct Accepted {
  const char* text;
  int year;
};

class CommonFiscalYearParseTest : public ::testing::TestWithParam<Accepted> {};

TEST_P(CommonFiscalYearParseTest, ParsesToGregorianYear) {
  absl::StatusOr<int> year = ParseFiscalYear(GetParam().text);
  ASSERT_TRUE(year.ok()) << GetParam().text << ": " << year.status();
  EXPECT_EQ(*year, GetParam().year) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Forms, CommonFiscalYearParseTest,
    ::testing::Values(
        // Short era forms; H31 and R1 are the same fiscal year.
        Accepted{"H30", 2018}, Accepted{"R1", 2019}, Accepted{"H31", 2019}, Accepted{"R4", 2022},
        Accepted{"h30", 2018}, Accepted{"r4", 2022}, Accepted{"H1", 1989}, Accepted{"R04", 2022},
        Accepted{"R4年度", 2022},
        // Japanese era forms, including 元 (first year).
        Accepted{"平成30年度", 2018}, Accepted{"平成31年度", 2019}, Accepted{"令和元年度", 2019},
        Accepted{"平成元年度", 1989}, Accepted{"令和4年度", 2022}, Accepted{"令和4年", 2022},
        Accepted{"令和 4 年度", 2022},
        // Gregorian forms.
        Accepted{"2019年度", 2019}, Accepted{"2019", 2019}, Accepted{"2019年", 2019},
        Accepted{"FY2019", 2019}, Accepted{"fy2019", 2019}, Accepted{"FY 2019", 2019},
        // Full-width forms, normalised with NFKC.
        Accepted{"Ｒ４", 2022}, Accepted{"２０１９年度", 2019}, Accepted{"Ｈ３０", 2018},
        Accepted{"ＦＹ２０１９", 2019}, Accepted{"令和４年度", 2022},
        // Surrounding whitespace, ASCII and the ideographic space U+3000.
        Accepted{"  R4  ", 2022}, Accepted{"\tH30\n", 2018}, Accepted{"　令和元年度　", 2019},
        // The ends of the accepted range.
        Accepted{"1989", kMinFiscalYear}, Accepted{"2200年度", kMaxFiscalYear}));

struct Rejected {
  const char* text;
  const char* reason;  // a fragment of the message that explains why
};

class CommonFiscalYearRejectTest : public ::testing::TestWithParam<Rejected> {};

TEST_P(CommonFiscalYearRejectTest, RejectsQuotingTheText) {
  absl::StatusOr<int> year = ParseFiscalYear(GetParam().text);
  ASSERT_FALSE(year.ok()) << GetParam().text << " parsed as " << *year;
  EXPECT_EQ(year.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(year.status().message()),
              HasSubstr(std::string("'") + GetParam().text + "'"));
  EXPECT_THAT(std::string(year.status().message()), HasSubstr(GetParam().reason));
}

INSTANTIATE_TEST_SUITE_P(
    Forms, CommonFiscalYearRejectTest,
    ::testing::Values(
        Rejected{"", "empty"}, Rejected{"   ", "empty"}, Rejected{"X5", "not a year number"},
        Rejected{"H0", "Heisei"}, Rejected{"H32", "Heisei"}, Rejected{"R0", "Reiwa"},
        Rejected{"平成", "no year number"}, Rejected{"2019年度度", "not a year number"},
        Rejected{"R99999999999999999999", "out of range"},
        Rejected{"99999999999999999999年度", "out of range"}, Rejected{"FY", "no year number"},
        Rejected{"19", "four digits"}, Rejected{"FY19", "four digits"}, Rejected{"1988", "1989"},
        Rejected{"2201", "2200"}, Rejected{"R183", "2200"}, Rejected{"2019元", "not a year number"},
        Rejected{"元年度", "not a year number"}, Rejected{"R-1", "not a year number"},
        Rejected{"H 30 31", "not a year number"}));

TEST(CommonFiscalYearTest, RejectsInvalidUtf8ShowingTheBytes) {
  absl::StatusOr<int> year = ParseFiscalYear("R\xff");
  ASSERT_FALSE(year.ok());
  EXPECT_EQ(year.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(year.status().message()), HasSubstr("R\\xff"));
  EXPECT_THAT(std::string(year.status().message()), HasSubstr("byte offset 1"));
}

TEST(CommonFiscalYearTest, FormatsKnownYears) {
  EXPECT_EQ(FormatFiscalYearShort(2018), "H30");
  EXPECT_EQ(FormatFiscalYearShort(2019), "R1");
  EXPECT_EQ(FormatFiscalYearShort(2022), "R4");
  EXPECT_EQ(FormatFiscalYearShort(1989), "H1");
  EXPECT_EQ(FormatFiscalYearJapanese(2018), "平成30年度");
  EXPECT_EQ(FormatFiscalYearJapanese(2019), "令和元年度");
  EXPECT_EQ(FormatFiscalYearJapanese(2022), "令和4年度");
  EXPECT_EQ(FormatFiscalYearJapanese(1989), "平成元年度");
  EXPECT_EQ(FormatFiscalYearGregorian(2019), "FY2019");
}

TEST(CommonFiscalYearTest, EveryFormRoundTripsFor1989To2100) {
  for (int year = 1989; year <= 2100; ++year) {
    for (const std::string& text : {FormatFiscalYearShort(year), FormatFiscalYearJapanese(year),
                                    FormatFiscalYearGregorian(year)}) {
      absl::StatusOr<int> parsed = ParseFiscalYear(text);
      ASSERT_TRUE(parsed.ok()) << year << " formatted as " << text << ": " << parsed.status();
      EXPECT_EQ(*parsed, year) << text;
    }
  }
}

TEST(CommonFiscalYearTest, ShortAndJapaneseFormsSwitchEraAt2019) {
  EXPECT_EQ(FormatFiscalYearShort(2018)[0], 'H');
  EXPECT_EQ(FormatFiscalYearShort(2019)[0], 'R');
  EXPECT_THAT(FormatFiscalYearJapanese(2018), HasSubstr("平成"));
  EXPECT_THAT(FormatFiscalYearJapanese(2019), HasSubstr("令和"));
}

}  // namespace
}  // namespace torikumi
