#include "services/common/errors.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace torikumi {
namespace {

using ::testing::HasSubstr;

TEST(CommonErrorsTest, EmptyViolationsAreOk) {
  FieldViolations violations;
  EXPECT_TRUE(violations.empty());
  EXPECT_TRUE(violations.ToStatus().ok());
  EXPECT_TRUE(FieldViolationsOf(violations.ToStatus()).empty());
}

TEST(CommonErrorsTest, ViolationsBecomeInvalidArgumentWithBadRequestPayload) {
  FieldViolations violations;
  violations.Add("plan.period.first_fiscal_year", "'H32' is not a fiscal year");
  violations.Add("plan.title", "must not be empty");
  EXPECT_FALSE(violations.empty());
  ASSERT_EQ(violations.bad_request().field_violations_size(), 2);

  absl::Status status = violations.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  // The message lists every violation with its field, for callers that only read text.
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("plan.period.first_fiscal_year: 'H32' is not a fiscal year"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("plan.title: must not be empty"));

  // The payload is a serialized google.rpc.BadRequest under the documented key.
  auto payload = status.GetPayload(kBadRequestPayloadUrl);
  ASSERT_TRUE(payload.has_value());
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(bad_request.ParseFromString(std::string(*payload)));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(1).field(), "plan.title");

  auto read_back = FieldViolationsOf(status);
  ASSERT_EQ(read_back.size(), 2u);
  EXPECT_EQ(read_back[0].field(), "plan.period.first_fiscal_year");
  EXPECT_EQ(read_back[0].description(), "'H32' is not a fiscal year");
  EXPECT_EQ(read_back[1].field(), "plan.title");
  EXPECT_EQ(read_back[1].description(), "must not be empty");
}

TEST(CommonErrorsTest, InvalidFieldNamesOneField) {
  absl::Status status = InvalidField("initiative.number", "must be positive, got -3");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("initiative.number"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("-3"));
  auto violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "initiative.number");
  EXPECT_EQ(violations[0].description(), "must be positive, got -3");
}

TEST(CommonErrorsTest, StatusWithoutPayloadHasNoViolations) {
  EXPECT_TRUE(FieldViolationsOf(absl::InvalidArgumentError("plain")).empty());
  EXPECT_TRUE(FieldViolationsOf(absl::NotFoundError("missing")).empty());
  EXPECT_TRUE(FieldViolationsOf(absl::OkStatus()).empty());
}

TEST(CommonErrorsTest, CorruptPayloadYieldsNoViolations) {
  absl::Status status = absl::InvalidArgumentError("bad");
  status.SetPayload(kBadRequestPayloadUrl, absl::Cord("\xff\xff\xff"));
  EXPECT_TRUE(FieldViolationsOf(status).empty());
}

TEST(CommonErrorsTest, PayloadSurvivesCopyAndUtf8Descriptions) {
  FieldViolations violations;
  violations.Add("outcome.fiscal_year", "'平成32年度' is not a fiscal year");
  absl::Status copy = violations.ToStatus();
  absl::Status status = copy;
  auto read_back = FieldViolationsOf(status);
  ASSERT_EQ(read_back.size(), 1u);
  EXPECT_EQ(read_back[0].description(), "'平成32年度' is not a fiscal year");
}

}  // namespace
}  // namespace torikumi

namespace torikumi {
namespace {

TEST(CommonErrorsTest, OneErrorListsAtMostTheLimitAndSaysHowManyMore) {
  FieldViolations v;
  for (int i = 0; i < 5000; ++i) v.Add(absl::StrCat("items[", i, "]"), "is wrong");
  const absl::Status status = v.ToStatus();
  const auto listed = FieldViolationsOf(status);
  ASSERT_EQ(listed.size(), static_cast<size_t>(kMaxFieldViolations) + 1);
  EXPECT_EQ(listed[kMaxFieldViolations - 1].field(), "items[9]");
  EXPECT_EQ(listed.back().field(), "(more)");
  EXPECT_TRUE(absl::StrContains(listed.back().description(), "and 4990 more violations"))
      << listed.back().description();
  EXPECT_LT(status.message().size(), 2000u);
}

TEST(CommonErrorsTest, LongDescriptionsAreCutToTheByteBudgetOnACharacterBoundary) {
  FieldViolations v;
  std::string long_text;
  for (int i = 0; i < 1000; ++i) long_text += "計";  // 3 000 bytes
  v.Add("a", long_text);
  v.Add("b", long_text);
  const auto listed = FieldViolationsOf(v.ToStatus());
  ASSERT_EQ(listed.size(), 2u);  // "a", cut to the budget, then "(more)" for "b"
  EXPECT_EQ(listed[0].field(), "a");
  EXPECT_LE(listed[0].description().size(), kMaxFieldViolationBytes + 3);
  EXPECT_TRUE(absl::EndsWith(listed[0].description(), "計…")) << "cut between characters";
  EXPECT_EQ(listed[1].field(), "(more)");
}

}  // namespace
}  // namespace torikumi
