#include "services/common/log.h"

#include <optional>

#include "gtest/gtest.h"

namespace torikumi::log {
namespace {

TEST(CommonLogTest, ParsesEachLevelName) {
  EXPECT_EQ(ParseLevel("debug"), Level::kDebug);
  EXPECT_EQ(ParseLevel("info"), Level::kInfo);
  EXPECT_EQ(ParseLevel("warning"), Level::kWarning);
  EXPECT_EQ(ParseLevel("error"), Level::kError);
}

TEST(CommonLogTest, AnythingElseIsNoLevel) {
  EXPECT_EQ(ParseLevel(""), std::nullopt);
  EXPECT_EQ(ParseLevel("INFO"), std::nullopt);
  EXPECT_EQ(ParseLevel("verbose"), std::nullopt);
}

}  // namespace
}  // namespace torikumi::log
