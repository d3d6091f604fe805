// absl::Time ↔ google.protobuf.Timestamp, the one conversion every layer uses.
#pragma once

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace torikumi {

// Exact to the nanosecond (absl::Time is finer; the rest is truncated toward the past).
google::protobuf::Timestamp ToTimestamp(absl::Time time);
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);
// ToTimestamp(absl::Now()).
google::protobuf::Timestamp NowTimestamp();

}  // namespace torikumi
