// Errors inside torikumi are absl::Status. INVALID_ARGUMENT errors carry the offending
// fields as a google.rpc.BadRequest payload, which the gRPC edge turns into error details.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"

namespace torikumi {

// The absl::Status payload key holding a serialized google.rpc.BadRequest.
inline constexpr absl::string_view kBadRequestPayloadUrl =
    "type.googleapis.com/google.rpc.BadRequest";

// gRPC sends an error's message and details as HTTP/2 headers, which clients take only up
// to about 8 KiB, and the violations travel three times (the message, the BadRequest and the
// Struct, the last two base64-encoded; non-ASCII text in the message is percent-encoded).
// So one error lists at most kMaxFieldViolations violations and kMaxFieldViolationBytes of
// their fields and descriptions (a description is cut short to fit), then one entry
// "(more)" saying how many more there were: a request with thousands of mistakes still gets
// an error every client can read.
inline constexpr int kMaxFieldViolations = 10;
inline constexpr size_t kMaxFieldViolationBytes = 1200;

// Collects field violations while validating a request; empty means valid.
class FieldViolations {
 public:
  // field: a path such as "plan.period.first_fiscal_year"; description: why it is wrong.
  // Past the limits above only counted.
  void Add(std::string field, std::string description);
  bool empty() const { return violations_.field_violations().empty(); }
  const google::rpc::BadRequest& bad_request() const { return violations_; }
  // OK when empty, else INVALID_ARGUMENT whose message lists every violation.
  absl::Status ToStatus() const;

 private:
  google::rpc::BadRequest violations_;
  int left_out_ = 0;
  size_t bytes_ = 0;
};

// INVALID_ARGUMENT for a single field.
absl::Status InvalidField(std::string field, std::string description);

// The field violations attached to a status, if any.
std::vector<google::rpc::BadRequest::FieldViolation> FieldViolationsOf(const absl::Status& status);

}  // namespace torikumi
