// Assertions on absl::Status and protobuf messages for the store tests.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/status_assertions.h"

namespace torikumi::store::testing {

// Success when `status` has `code` and its message contains every one of `parts`.
template <typename... Parts>
::testing::AssertionResult HasError(const absl::Status& status, absl::StatusCode code,
                                    const Parts&... parts) {
  if (status.code() != code) {
    return ::testing::AssertionFailure()
           << "expected code " << absl::StatusCodeToString(code) << ", got " << status;
  }
  for (absl::string_view part : std::vector<absl::string_view>{absl::string_view(parts)...}) {
    if (!absl::StrContains(status.message(), part)) {
      return ::testing::AssertionFailure()
             << "message of " << status << " does not contain '" << part << "'";
    }
  }
  return ::testing::AssertionSuccess();
}

template <typename T, typename... Parts>
::testing::AssertionResult HasError(const absl::StatusOr<T>& result, absl::StatusCode code,
                                    const Parts&... parts) {
  if (result.ok()) {
    return ::testing::AssertionFailure()
           << "expected code " << absl::StatusCodeToString(code) << ", got OK";
  }
  return HasError(result.status(), code, parts...);
}

// Success when the two messages are equal field by field.
inline ::testing::AssertionResult ProtoEquals(const google::protobuf::Message& expected,
                                              const google::protobuf::Message& actual) {
  std::string differences;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  if (differencer.Compare(expected, actual)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "messages differ:\n" << differences;
}

}  // namespace torikumi::store::testing
