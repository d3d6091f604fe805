#include "services/common/timestamp.h"

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace torikumi {
namespace {

TEST(CommonTimestampTest, KeepsSecondsAndNanoseconds) {
  const absl::Time time = absl::FromUnixSeconds(1'543'622'400) + absl::Nanoseconds(123'456'789);
  google::protobuf::Timestamp timestamp = ToTimestamp(time);
  EXPECT_EQ(timestamp.seconds(), 1'543'622'400);
  EXPECT_EQ(timestamp.nanos(), 123'456'789);
  EXPECT_EQ(FromTimestamp(timestamp), time);
}

TEST(CommonTimestampTest, BeforeTheEpochNanosStayPositive) {
  // Protobuf's Timestamp counts nanos forward from the (earlier) whole second.
  const absl::Time time = absl::FromUnixSeconds(-1) + absl::Milliseconds(250);
  google::protobuf::Timestamp timestamp = ToTimestamp(time);
  EXPECT_EQ(timestamp.seconds(), -1);
  EXPECT_EQ(timestamp.nanos(), 250'000'000);
  EXPECT_EQ(FromTimestamp(timestamp), time);
}

TEST(CommonTimestampTest, NowIsBetweenTwoReadingsOfTheClock) {
  const absl::Time before = absl::Now();
  const absl::Time now = FromTimestamp(NowTimestamp());
  const absl::Time after = absl::Now();
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
}

}  // namespace
}  // namespace torikumi
