// A lexicon word list finds exactly its words, whatever their first character's length:
// the filter on first characters passes every word's beginning, and the longest word
// bounds what is looked up.
#include <gtest/gtest.h>

#include "lexicon.h"

namespace torikumi::rules {
namespace {

TEST(WordSetTest, FindsExactlyItsWords) {
  WordSet words;
  for (const char* w : {"1回", "目標", "%", "ａ", "次年度以降"}) words.insert(w);
  for (const char* w : {"1回", "目標", "%", "ａ", "次年度以降"}) {
    EXPECT_EQ(words.count(w), 1u) << w;
    EXPECT_TRUE(words.MayStartWith(w)) << w;
  }
  // A word's first character is a prefix of it: one byte (1), three (目), three (ａ).
  for (const char* start : {"1", "目", "ａ", "次年度"}) EXPECT_TRUE(words.MayStartWith(start));
  for (const char* other : {"1", "目", "回", "目標値", "次年度", "", "%%"})
    EXPECT_EQ(words.count(other), 0u) << other;
  EXPECT_EQ(words.max_bytes(), std::string("次年度以降").size());
  EXPECT_EQ(WordSet().count("目標"), 0u);
}

}  // namespace
}  // namespace torikumi::rules
