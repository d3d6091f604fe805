#include "services/common/log.h"

#include <optional>
#include <string>

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

TEST(CommonLogTest, ParsesEachFormatName) {
  EXPECT_EQ(ParseFormat("text"), Format::kText);
  EXPECT_EQ(ParseFormat("json"), Format::kJson);
  EXPECT_EQ(ParseFormat("JSON"), std::nullopt);
}

// What one Write printed to stderr.
std::string Captured(Format format, absl::string_view message, const Fields& fields) {
  SetFormat(format);
  testing::internal::CaptureStderr();
  Write(Level::kInfo, message, fields);
  std::string line = testing::internal::GetCapturedStderr();
  SetFormat(Format::kText);
  return line;
}

TEST(CommonLogTest, JsonFormatWritesOneEscapedObjectPerLine) {
  const std::string line =
      Captured(Format::kJson, "call \"quoted\"\n", {{"method", "a/B"}, {"resource", "計画"}});
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line";
  EXPECT_NE(line.find(R"("level":"INFO","message":"call \"quoted\"\n","method":"a/B",)"
                      R"("resource":"計画"})"),
            std::string::npos)
      << line;
  EXPECT_EQ(line.rfind("{\"time\":\"", 0), 0u) << line;
}

TEST(CommonLogTest, TextFormatAppendsFieldsAsKeyValue) {
  const std::string line = Captured(Format::kText, "call", {{"code", "OK"}});
  EXPECT_NE(line.find(" INFO call code=OK\n"), std::string::npos) << line;
}

}  // namespace
}  // namespace torikumi::log
