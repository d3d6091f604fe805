// LogCallResult: the one log line every call's result gets, unary or streaming.
#include "services/server/call_log.h"

#include <string>

#include "gtest/gtest.h"
#include "services/common/log.h"

namespace torikumi::server {
namespace {

class ServerCallLogTest : public ::testing::Test {
 protected:
  void TearDown() override { log::SetLevel(log::Level::kInfo); }

  static std::string Logged(log::Level level, const absl::Status& status) {
    log::SetLevel(level);
    ::testing::internal::CaptureStderr();
    LogCallResult("GetPlan", status);
    return ::testing::internal::GetCapturedStderr();
  }
};

TEST_F(ServerCallLogTest, ServerFaultsAreErrors) {
  for (const absl::Status& fault : {absl::InternalError("disk"), absl::UnavailableError("busy"),
                                    absl::DataLossError("torn"), absl::UnknownError("?")}) {
    const std::string line = Logged(log::Level::kInfo, fault);
    EXPECT_NE(line.find("ERROR GetPlan failed: "), std::string::npos) << line;
    EXPECT_NE(line.find(std::string(fault.message())), std::string::npos) << line;
  }
}

TEST_F(ServerCallLogTest, ClientMistakesAndSuccessOnlyAtDebugLevel) {
  EXPECT_EQ(Logged(log::Level::kInfo, absl::NotFoundError("plan 'x' not found")), "");
  EXPECT_EQ(Logged(log::Level::kInfo, absl::OkStatus()), "");
  const std::string line = Logged(log::Level::kDebug, absl::NotFoundError("plan 'x' not found"));
  EXPECT_NE(line.find("DEBUG GetPlan -> NOT_FOUND: plan 'x' not found"), std::string::npos) << line;
  EXPECT_NE(Logged(log::Level::kDebug, absl::OkStatus()).find("DEBUG GetPlan -> OK"),
            std::string::npos);
}

}  // namespace
}  // namespace torikumi::server
