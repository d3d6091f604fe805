#include "services/common/text.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace torikumi {
namespace {

using ::testing::HasSubstr;

constexpr char kCombiningAcute[] = "\xCC\x81";        // U+0301
constexpr char kCombiningDakuten[] = "\xE3\x82\x99";  // U+3099
constexpr char kEllipsis[] = "…";

std::string Nfkc(absl::string_view text) {
  absl::StatusOr<std::string> out = NormalizeNfkc(text);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : std::string("<error>");
}

TEST(CommonTextNfkcTest, FullWidthDigitsLettersAndBracketsBecomeAscii) {
  EXPECT_EQ(Nfkc("２０１９年度"), "2019年度");
  EXPECT_EQ(Nfkc("（再掲）"), "(再掲)");
  EXPECT_EQ(Nfkc("ＦＹ２０１９"), "FY2019");
  EXPECT_EQ(Nfkc("７件（計２０件中）"), "7件(計20件中)");
  EXPECT_EQ(Nfkc("　"), " ");  // ideographic space
}

TEST(CommonTextNfkcTest, HalfWidthKanaBecomesFullWidthAndComposes) {
  EXPECT_EQ(Nfkc("ｶﾅ"), "カナ");
  // Half-width voiced mark composes with its base into one code point.
  EXPECT_EQ(Nfkc("ｶﾞｲﾄﾞ"), "ガイド");
}

TEST(CommonTextNfkcTest, LeavesNormalTextAloneAndIsIdempotent) {
  EXPECT_EQ(Nfkc(""), "");
  EXPECT_EQ(Nfkc("plain ascii 123"), "plain ascii 123");
  EXPECT_EQ(Nfkc("人材育成推進プラン"), "人材育成推進プラン");
  const std::string once = Nfkc("ｶﾞ（Ｒ４）①");
  EXPECT_EQ(once, "ガ(R4)1");
  EXPECT_EQ(Nfkc(once), once);
}

TEST(CommonTextNfkcTest, ComposesDecomposedCharacters) {
  EXPECT_EQ(Nfkc(std::string("e") + kCombiningAcute), "\xC3\xA9");  // é
  EXPECT_EQ(Nfkc(std::string("か") + kCombiningDakuten), "が");
}

TEST(CommonTextNfkcTest, KeepsEmbeddedNul) {
  const std::string with_nul("a\0b", 3);
  EXPECT_EQ(Nfkc(with_nul), with_nul);
}

struct BadUtf8 {
  std::string bytes;
  size_t offset;
};

class CommonTextInvalidUtf8Test : public ::testing::TestWithParam<BadUtf8> {};

TEST_P(CommonTextInvalidUtf8Test, RejectedWithByteOffset) {
  const BadUtf8& bad = GetParam();
  EXPECT_FALSE(IsValidUtf8(bad.bytes));
  EXPECT_EQ(FirstInvalidUtf8(bad.bytes), bad.offset);
  char32_t cp = 0;
  EXPECT_EQ(DecodeUtf8At(bad.bytes, bad.offset, &cp), 0u);
  // Quoting the input keeps every valid byte and makes the rest U+FFFD.
  const std::string quoted = ToValidUtf8(bad.bytes);
  EXPECT_TRUE(IsValidUtf8(quoted));
  EXPECT_EQ(quoted.substr(0, bad.offset), bad.bytes.substr(0, bad.offset));
  EXPECT_EQ(quoted.substr(bad.offset, 3), "\xEF\xBF\xBD");
  absl::StatusOr<std::string> out = NormalizeNfkc(bad.bytes);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("byte offset " + std::to_string(bad.offset)));
}

INSTANTIATE_TEST_SUITE_P(Sequences, CommonTextInvalidUtf8Test,
                         ::testing::Values(BadUtf8{"ab\xFF"
                                                   "cd",
                                                   2},                // never valid in UTF-8
                                           BadUtf8{"漢\xE5\xAD", 3},  // truncated 3-byte sequence
                                           BadUtf8{"\xC0\xAF", 0},    // overlong '/'
                                           BadUtf8{"x\xED\xA0\x80", 1},     // UTF-16 surrogate
                                           BadUtf8{"\xF4\x90\x80\x80", 0},  // beyond U+10FFFF
                                           BadUtf8{"年度\x80", 6}));  // stray continuation byte

TEST(CommonTextTest, IsValidUtf8AcceptsValidText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("abc"));
  EXPECT_TRUE(IsValidUtf8("令和元年度（～8月）"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600, 4 bytes
}

TEST(CommonTextTest, DecodesEachCodePointOnce) {
  const std::string text = "a漢\xF0\x9F\x98\x80";
  std::vector<std::pair<char32_t, size_t>> decoded;
  for (size_t pos = 0; pos < text.size();) {
    char32_t cp = 0;
    const size_t n = DecodeUtf8At(text, pos, &cp);
    ASSERT_GT(n, 0u) << "at " << pos;
    decoded.emplace_back(cp, n);
    pos += n;
  }
  EXPECT_EQ(decoded,
            (std::vector<std::pair<char32_t, size_t>>{{U'a', 1}, {U'漢', 3}, {U'\U0001F600', 4}}));
  EXPECT_EQ(FirstInvalidUtf8(text), std::string::npos);
  EXPECT_EQ(ToValidUtf8(text), text);
}

TEST(CommonTextWidthTest, CountsColumns) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("漢字"), 4);
  EXPECT_EQ(DisplayWidth("R4年度"), 6);
  EXPECT_EQ(DisplayWidth("評価A"), 5);
  EXPECT_EQ(DisplayWidth("（再掲）"), 8);  // full-width brackets
  EXPECT_EQ(DisplayWidth("ｶﾅ"), 2);        // half-width kana are narrow
  EXPECT_EQ(DisplayWidth("カナ"), 4);
}

TEST(CommonTextWidthTest, CombiningMarksTakeNoColumn) {
  EXPECT_EQ(DisplayWidth(std::string("e") + kCombiningAcute), 1);
  EXPECT_EQ(DisplayWidth(std::string("か") + kCombiningDakuten), 2);
  EXPECT_EQ(DisplayWidth(std::string("cafe") + kCombiningAcute + "漢"), 6);
}

TEST(CommonTextWidthTest, InvalidBytesCountAsOneColumnEach) {
  EXPECT_EQ(DisplayWidth("a\xFF\xFE"), 3);
}

TEST(CommonTextPadTest, PadsWithSpaces) {
  EXPECT_EQ(PadToWidth("ab", 5), "ab   ");
  EXPECT_EQ(PadToWidth("漢字", 6), "漢字  ");
  EXPECT_EQ(PadToWidth("", 3), "   ");
  EXPECT_EQ(PadToWidth("漢字", 4), "漢字");
  EXPECT_EQ(PadToWidth(std::string("e") + kCombiningAcute, 2),
            std::string("e") + kCombiningAcute + " ");
}

TEST(CommonTextPadTest, TruncatesWithEllipsis) {
  EXPECT_EQ(PadToWidth("abcdef", 4), std::string("abc") + kEllipsis);
  EXPECT_EQ(PadToWidth("漢字漢字", 5), std::string("漢字") + kEllipsis);
  // The second 漢 would straddle the limit: it is dropped and its column padded.
  EXPECT_EQ(PadToWidth("漢字漢字", 4), std::string("漢") + kEllipsis + " ");
  EXPECT_EQ(PadToWidth("abc", 1), kEllipsis);
  EXPECT_EQ(PadToWidth("漢字", 1), kEllipsis);
  EXPECT_EQ(PadToWidth("漢字", 2), std::string(kEllipsis) + " ");
}

TEST(CommonTextPadTest, NonPositiveWidthGivesEmpty) {
  EXPECT_EQ(PadToWidth("abc", 0), "");
  EXPECT_EQ(PadToWidth("abc", -3), "");
}

TEST(CommonTextPadTest, KeepsCombiningMarkWithItsBase) {
  const std::string e_acute = std::string("e") + kCombiningAcute;
  EXPECT_EQ(PadToWidth(e_acute + e_acute + e_acute, 2), e_acute + kEllipsis);
  const std::string ga = std::string("か") + kCombiningDakuten;
  EXPECT_EQ(PadToWidth(ga + ga + ga, 5), ga + ga + kEllipsis);
}

TEST(CommonTextPadTest, ReplacesInvalidBytesSoOutputIsUtf8) {
  const std::string out = PadToWidth(
      "a\xFF"
      "b",
      4);
  EXPECT_EQ(out,
            "a\xEF\xBF\xBD"
            "b ");
  EXPECT_TRUE(IsValidUtf8(out));
}

// For every width, the result is exactly that wide, valid UTF-8, and either the whole text
// padded or a prefix ending on a character boundary followed by "…" and padding.
TEST(CommonTextPadTest, NeverExceedsWidthNorSplitsCharacters) {
  const std::string texts[] = {
      "plain",
      "人材育成推進プラン",
      "R4（～8月）研修受講者468人",
      std::string("cafe") + kCombiningAcute + "漢字" + "ｶﾅ",
      std::string("か") + kCombiningDakuten + "き" + kCombiningDakuten + "x",
      "\xF0\x9F\x98\x80 smile 😀",
  };
  for (const std::string& text : texts) {
    const int full = DisplayWidth(text);
    for (int width = 0; width <= full + 3; ++width) {
      SCOPED_TRACE(text + " @ " + std::to_string(width));
      const std::string out = PadToWidth(text, width);
      EXPECT_EQ(DisplayWidth(out), width);
      EXPECT_TRUE(IsValidUtf8(out));
      if (width >= full) {
        EXPECT_TRUE(absl::StartsWith(out, text));
        continue;
      }
      if (width == 0) continue;
      absl::string_view kept = absl::StripTrailingAsciiWhitespace(out);
      ASSERT_TRUE(absl::ConsumeSuffix(&kept, kEllipsis)) << out;
      ASSERT_TRUE(absl::StartsWith(text, kept)) << out;
      absl::string_view rest = absl::string_view(text).substr(kept.size());
      EXPECT_TRUE(IsValidUtf8(rest)) << "split inside a code point";
      EXPECT_FALSE(absl::StartsWith(rest, kCombiningAcute)) << "mark separated from its base";
      EXPECT_FALSE(absl::StartsWith(rest, kCombiningDakuten)) << "mark separated from its base";
    }
  }
}

}  // namespace
}  // namespace torikumi
