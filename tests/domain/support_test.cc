// The small shared pieces of the domain layer on their own: update masks, page tokens and
// the read-modify-write retry.
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "services/domain/etag_retry.h"
#include "services/domain/field_mask.h"
#include "services/domain/page_token.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::domain {
namespace {

const UpdatePolicy kPlanPolicy{
    {"title", "period", "period.first_fiscal_year", "period.last_fiscal_year", "areas"},
    {"name", "etag"},
};

v1::Plan Stored() {
  v1::Plan plan;
  plan.set_name("organizations/o/plans/p");
  plan.set_title("old");
  plan.mutable_period()->set_first_fiscal_year(2018);
  plan.mutable_period()->set_last_fiscal_year(2022);
  plan.add_areas("a");
  plan.add_areas("b");
  plan.set_etag("e1");
  return plan;
}

TEST(DomainFieldMask, NestedPathCopiesOnlyThatLeaf) {
  v1::Plan change;
  change.mutable_period()->set_first_fiscal_year(2019);
  change.set_title("ignored");
  google::protobuf::FieldMask mask;
  mask.add_paths("period.first_fiscal_year");
  v1::Plan target = Stored();
  ApplyUpdateMask(mask, kPlanPolicy, change, &target);
  EXPECT_EQ(target.period().first_fiscal_year(), 2019);
  EXPECT_EQ(target.period().last_fiscal_year(), 2022);
  EXPECT_EQ(target.title(), "old");
}

TEST(DomainFieldMask, RepeatedAndCoveredPathsApplyOnce) {
  v1::Plan change;
  change.set_title("new");
  change.mutable_period()->set_first_fiscal_year(2020);
  change.mutable_period()->set_last_fiscal_year(2021);
  google::protobuf::FieldMask mask;
  // "title" twice and "period" with one of its own leaves: each is copied exactly once.
  mask.add_paths("title");
  mask.add_paths("period.last_fiscal_year");
  mask.add_paths("title");
  mask.add_paths("period");
  v1::Plan target = Stored();
  ApplyUpdateMask(mask, kPlanPolicy, change, &target);
  EXPECT_EQ(target.title(), "new");
  EXPECT_EQ(target.period().first_fiscal_year(), 2020);
  EXPECT_EQ(target.period().last_fiscal_year(), 2021);
}

TEST(DomainFieldMask, EmptyMaskReplacesEveryTopLevelMutableFieldOnly) {
  v1::Plan change;
  change.set_title("new");
  change.set_name("organizations/o/plans/other");
  change.set_etag("forged");
  v1::Plan target = Stored();
  ApplyUpdateMask(google::protobuf::FieldMask(), kPlanPolicy, change, &target);
  EXPECT_EQ(target.title(), "new");
  EXPECT_FALSE(target.has_period());
  EXPECT_EQ(target.areas_size(), 0);
  EXPECT_EQ(target.name(), "organizations/o/plans/p");
  EXPECT_EQ(target.etag(), "e1");
}

TEST(DomainFieldMask, CheckNamesEachBadPath) {
  google::protobuf::FieldMask mask;
  mask.add_paths("title");
  mask.add_paths("etag");
  mask.add_paths("period.middle");
  absl::Status status = CheckUpdateMask(mask, kPlanPolicy);
  auto violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 2u) << status;
  EXPECT_EQ(violations[0].field(), "update_mask.paths[1]");
  EXPECT_NE(violations[0].description().find("cannot be updated"), std::string::npos);
  EXPECT_EQ(violations[1].field(), "update_mask.paths[2]");
  EXPECT_NE(violations[1].description().find("'period.middle'"), std::string::npos);
  EXPECT_NE(violations[1].description().find("period.first_fiscal_year"), std::string::npos);
}

TEST(DomainPageToken, RoundTripAndQueryBinding) {
  auto first = PageFromRequest(0, "", "q");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->offset, 0);
  EXPECT_EQ(first->limit, kDefaultPageSize);
  std::string token = NextPageToken(*first, 50, 120, "q");
  ASSERT_FALSE(token.empty());
  auto second = PageFromRequest(50, token, "q");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->offset, 50);
  EXPECT_EQ(PageFromRequest(50, token, "q2").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(NextPageToken(store::Page{100, 50}, 20, 120, "q").empty());
  EXPECT_TRUE(NextPageToken(store::Page{0, 50}, 0, 120, "q").empty());
  auto capped = PageFromRequest(1001, "", "q");
  ASSERT_TRUE(capped.ok()) << capped.status();
  EXPECT_EQ(capped->limit, kMaxPageSize);
  auto violations = FieldViolationsOf(PageFromRequest(-5, "", "q").status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "page_size");
}

TEST(DomainEtagRetry, RetriesOnlyItsOwnStaleReads) {
  int calls = 0;
  auto flaky = [&]() -> absl::StatusOr<int> {
    ++calls;
    if (calls < 3) return absl::AbortedError("stale");
    return calls;
  };
  auto result = RetryOnStaleEtag(/*caller_sent_etag=*/false, flaky);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 3);

  calls = 0;
  EXPECT_EQ(RetryOnStaleEtag(true, flaky).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(calls, 1);

  calls = 0;
  auto always = [&]() -> absl::StatusOr<int> {
    ++calls;
    return absl::AbortedError("stale");
  };
  EXPECT_EQ(RetryOnStaleEtag(false, always).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(calls, kMaxReadModifyWriteAttempts);

  calls = 0;
  auto invalid = [&]() -> absl::StatusOr<int> {
    ++calls;
    return absl::InvalidArgumentError("bad");
  };
  EXPECT_EQ(RetryOnStaleEtag(false, invalid).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace torikumi::domain
