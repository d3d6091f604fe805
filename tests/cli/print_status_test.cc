#include "services/cli/print_status.h"

#include <sstream>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace torikumi::cli {
namespace {

// A status as the server sends it: code, message, and google.rpc.Status bytes whose details
// carry a google.rpc.BadRequest.
grpc::Status InvalidArgumentWithFields() {
  google::rpc::BadRequest bad_request;
  auto* v1 = bad_request.add_field_violations();
  v1->set_field("initiative.number");
  v1->set_description("must be positive, got 0");
  auto* v2 = bad_request.add_field_violations();
  v2->set_field("initiative.area");
  v2->set_description("\"研修\" is not an area of the plan");
  google::rpc::Status details;
  details.set_code(static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  details.set_message("initiative.number: must be positive, got 0; initiative.area: …");
  details.add_details()->PackFrom(bad_request);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, details.message(),
                      details.SerializeAsString());
}

TEST(CliPrintStatusTest, PrintsCodeMessageAndEachFieldViolation) {
  std::ostringstream err;
  PrintStatus(InvalidArgumentWithFields(), "127.0.0.1:50051", err);
  EXPECT_EQ(err.str(),
            "error: INVALID_ARGUMENT: initiative.number: must be positive, got 0; "
            "initiative.area: …\n"
            "  field initiative.number: must be positive, got 0\n"
            "  field initiative.area: \"研修\" is not an area of the plan\n");
}

TEST(CliPrintStatusTest, StatusWithoutDetailsPrintsOneLine) {
  std::ostringstream err;
  PrintStatus(
      grpc::Status(grpc::StatusCode::NOT_FOUND, "plan organizations/city/plans/x not found"),
      "127.0.0.1:50051", err);
  EXPECT_EQ(err.str(), "error: NOT_FOUND: plan organizations/city/plans/x not found\n");
}

TEST(CliPrintStatusTest, UnparsableDetailsAreIgnored) {
  std::ostringstream err;
  PrintStatus(grpc::Status(grpc::StatusCode::ABORTED, "etag is stale", "\xff\xff not a proto"),
              "127.0.0.1:50051", err);
  EXPECT_EQ(err.str(), "error: ABORTED: etag is stale\n");
}

TEST(CliPrintStatusTest, UnavailableNamesTheServerAddress) {
  std::ostringstream err;
  PrintStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect to all addresses"),
              "10.0.0.9:7000", err);
  EXPECT_THAT(err.str(),
              ::testing::StartsWith(
                  "error: UNAVAILABLE: cannot reach the torikumi server at 10.0.0.9:7000"));
  EXPECT_THAT(err.str(), ::testing::HasSubstr("failed to connect to all addresses"));
}

TEST(CliPrintStatusTest, CodeNames) {
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::FAILED_PRECONDITION), "FAILED_PRECONDITION");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::ALREADY_EXISTS), "ALREADY_EXISTS");
  EXPECT_EQ(StatusCodeName(static_cast<grpc::StatusCode>(99)), "CODE_99");
}

}  // namespace
}  // namespace torikumi::cli
