// Conformance: organizations, and the behaviour every resource shares (times, etags, request
// ids, paging), shown on the simplest one.
#include "services/common/errors.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

TEST_P(StoreConformance, OrganizationCreateSetsTimesAndEtagAndGetReturnsIt) {
  v1::Organization input = MakeOrganization("organizations/city", "札幌市");
  // The store owns these; what the caller sends is ignored.
  input.set_etag("\"caller\"");
  input.mutable_create_time()->set_seconds(1);
  input.mutable_update_time()->set_seconds(2);

  ASSERT_OK_AND_ASSIGN(v1::Organization created, store().CreateOrganization(input, ""));
  EXPECT_EQ(created.name(), "organizations/city");
  EXPECT_EQ(created.display_name(), "札幌市");
  EXPECT_NE(created.etag(), "\"caller\"");
  EXPECT_FALSE(created.etag().empty());
  EXPECT_GT(created.create_time().seconds(), 1'600'000'000);
  EXPECT_TRUE(ProtoEquals(created.create_time(), created.update_time()));

  ASSERT_OK_AND_ASSIGN(v1::Organization got, store().GetOrganization("organizations/city"));
  EXPECT_TRUE(ProtoEquals(created, got));
}

TEST_P(StoreConformance, OrganizationGetMissingIsNotFound) {
  EXPECT_TRUE(HasError(store().GetOrganization("organizations/nowhere"),
                       absl::StatusCode::kNotFound, "organizations/nowhere"));
}

TEST_P(StoreConformance, OrganizationMalformedNameIsInvalidArgumentNamingTheField) {
  absl::StatusOr<v1::Organization> created =
      store().CreateOrganization(MakeOrganization("cities/x"), "");
  ASSERT_TRUE(HasError(created, absl::StatusCode::kInvalidArgument, "cities/x"));
  auto violations = FieldViolationsOf(created.status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "organization.name");
}

TEST_P(StoreConformance, OrganizationDuplicateNameIsAlreadyExists) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization("organizations/city"), "").status());
  EXPECT_TRUE(HasError(store().CreateOrganization(MakeOrganization("organizations/city"), ""),
                       absl::StatusCode::kAlreadyExists, "organizations/city"));
}

TEST_P(StoreConformance, OrganizationRequestIdReturnsTheFirstResultAndCreatesNothingTwice) {
  ASSERT_OK_AND_ASSIGN(v1::Organization first,
                       store().CreateOrganization(MakeOrganization("organizations/a", "A"), "r-1"));
  // A retry, even one whose body differs, returns what the first create made.
  ASSERT_OK_AND_ASSIGN(v1::Organization retry,
                       store().CreateOrganization(MakeOrganization("organizations/b", "B"), "r-1"));
  EXPECT_TRUE(ProtoEquals(first, retry));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Organization> listed, store().ListOrganizations(Page{}));
  EXPECT_EQ(listed.total, 1);
  EXPECT_TRUE(HasError(store().GetOrganization("organizations/b"), absl::StatusCode::kNotFound));

  // "As it is now": after an update the retry returns the updated resource.
  v1::Organization changed = first;
  changed.set_display_name("A2");
  ASSERT_OK_AND_ASSIGN(v1::Organization updated, store().UpdateOrganization(changed, ""));
  ASSERT_OK_AND_ASSIGN(v1::Organization again,
                       store().CreateOrganization(MakeOrganization("organizations/a", "A"), "r-1"));
  EXPECT_TRUE(ProtoEquals(updated, again));

  // Another request id is another create: the name is now taken.
  EXPECT_TRUE(HasError(store().CreateOrganization(MakeOrganization("organizations/a"), "r-2"),
                       absl::StatusCode::kAlreadyExists));
  // Without a request id nothing is remembered.
  ASSERT_OK(store().CreateOrganization(MakeOrganization("organizations/c"), "").status());
  EXPECT_TRUE(HasError(store().CreateOrganization(MakeOrganization("organizations/c"), ""),
                       absl::StatusCode::kAlreadyExists));
}

TEST_P(StoreConformance, OrganizationRequestIdOfADeletedResourceIsNotFound) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization("organizations/a"), "r-1").status());
  ASSERT_OK(store().DeleteOrganization("organizations/a", false, ""));
  EXPECT_TRUE(HasError(store().CreateOrganization(MakeOrganization("organizations/a"), "r-1"),
                       absl::StatusCode::kNotFound, "r-1", "organizations/a"));
  EXPECT_TRUE(HasError(store().GetOrganization("organizations/a"), absl::StatusCode::kNotFound));
}

TEST_P(StoreConformance, OrganizationListIsOrderedByNameWithPagesAndTotal) {
  for (const char* id : {"d", "b", "e", "a", "c"}) {
    ASSERT_OK(store()
                  .CreateOrganization(MakeOrganization(absl::StrCat("organizations/", id)), "")
                  .status());
  }
  std::vector<std::string> all;
  for (int64_t offset = 0; offset < 6; offset += 2) {
    ASSERT_OK_AND_ASSIGN(ListResult<v1::Organization> page,
                         store().ListOrganizations(Page{offset, 2}));
    EXPECT_EQ(page.total, 5);
    EXPECT_EQ(page.items.size(), offset < 4 ? 2u : 1u);
    for (const auto& name : Names(page.items)) all.push_back(name);
  }
  EXPECT_EQ(all, (std::vector<std::string>{"organizations/a", "organizations/b", "organizations/c",
                                           "organizations/d", "organizations/e"}));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Organization> beyond, store().ListOrganizations(Page{9, 2}));
  EXPECT_TRUE(beyond.items.empty());
  EXPECT_EQ(beyond.total, 5);
  // A limit of 0 reports only the total.
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Organization> count, store().ListOrganizations(Page{0, 0}));
  EXPECT_TRUE(count.items.empty());
  EXPECT_EQ(count.total, 5);
}

TEST_P(StoreConformance, OrganizationListRejectsNegativePage) {
  EXPECT_TRUE(HasError(store().ListOrganizations(Page{-1, 10}), absl::StatusCode::kInvalidArgument,
                       "offset"));
  EXPECT_TRUE(HasError(store().ListOrganizations(Page{0, -1}), absl::StatusCode::kInvalidArgument,
                       "limit"));
}

TEST_P(StoreConformance, OrganizationUpdateReplacesAndChangesEtagKeepingCreateTime) {
  ASSERT_OK_AND_ASSIGN(
      v1::Organization created,
      store().CreateOrganization(MakeOrganization("organizations/city", "旧"), ""));
  v1::Organization change = created;
  change.set_display_name("新");
  change.mutable_create_time()->set_seconds(5);  // ignored
  ASSERT_OK_AND_ASSIGN(v1::Organization updated,
                       store().UpdateOrganization(change, created.etag()));
  EXPECT_EQ(updated.display_name(), "新");
  EXPECT_NE(updated.etag(), created.etag());
  EXPECT_TRUE(ProtoEquals(created.create_time(), updated.create_time()));
  EXPECT_GE(updated.update_time().seconds(), created.update_time().seconds());
  ASSERT_OK_AND_ASSIGN(v1::Organization got, store().GetOrganization("organizations/city"));
  EXPECT_TRUE(ProtoEquals(updated, got));

  // Each write gives a new etag, also without an expected one.
  ASSERT_OK_AND_ASSIGN(v1::Organization again, store().UpdateOrganization(change, ""));
  EXPECT_NE(again.etag(), updated.etag());
}

TEST_P(StoreConformance, OrganizationUpdateWithStaleEtagIsAbortedAndWritesNothing) {
  ASSERT_OK_AND_ASSIGN(
      v1::Organization created,
      store().CreateOrganization(MakeOrganization("organizations/city", "v1"), ""));
  v1::Organization change = created;
  change.set_display_name("v2");
  ASSERT_OK_AND_ASSIGN(v1::Organization updated,
                       store().UpdateOrganization(change, created.etag()));
  change.set_display_name("v3");
  // created.etag() is stale now; the message names both etags.
  EXPECT_TRUE(HasError(store().UpdateOrganization(change, created.etag()),
                       absl::StatusCode::kAborted, created.etag(), updated.etag()));
  ASSERT_OK_AND_ASSIGN(v1::Organization got, store().GetOrganization("organizations/city"));
  EXPECT_EQ(got.display_name(), "v2");
}

TEST_P(StoreConformance, OrganizationUpdateMissingIsNotFound) {
  EXPECT_TRUE(HasError(store().UpdateOrganization(MakeOrganization("organizations/none"), ""),
                       absl::StatusCode::kNotFound, "organizations/none"));
}

TEST_P(StoreConformance, OrganizationDeleteChecksEtagAndExistence) {
  ASSERT_OK_AND_ASSIGN(v1::Organization created,
                       store().CreateOrganization(MakeOrganization("organizations/city"), ""));
  EXPECT_TRUE(HasError(store().DeleteOrganization("organizations/city", false, "\"stale\""),
                       absl::StatusCode::kAborted, "\"stale\""));
  ASSERT_OK(store().DeleteOrganization("organizations/city", false, created.etag()));
  EXPECT_TRUE(HasError(store().GetOrganization("organizations/city"), absl::StatusCode::kNotFound));
  EXPECT_TRUE(HasError(store().DeleteOrganization("organizations/city", false, ""),
                       absl::StatusCode::kNotFound, "organizations/city"));
}

TEST_P(StoreConformance, OrganizationDeleteWithPlansNeedsForceAndForceCascades) {
  CreateCityAndHrPlan();
  v1::Initiative initiative = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(initiative.name(), 2019), "").status());

  EXPECT_TRUE(HasError(store().DeleteOrganization(kCity, false, ""),
                       absl::StatusCode::kFailedPrecondition, kCity, "1 plan"));
  ASSERT_OK(store().GetPlan(kHrPlan).status());

  ASSERT_OK(store().DeleteOrganization(kCity, true, ""));
  EXPECT_TRUE(HasError(store().GetOrganization(kCity), absl::StatusCode::kNotFound));
  EXPECT_TRUE(HasError(store().GetPlan(kHrPlan), absl::StatusCode::kNotFound));
  EXPECT_TRUE(HasError(store().GetInitiative(initiative.name()), absl::StatusCode::kNotFound));

  // Created again under the same name, nothing of the old one shows through.
  CreateCityAndHrPlan();
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> initiatives,
                       store().ListInitiatives(kHrPlan, {}, Page{}));
  EXPECT_EQ(initiatives.total, 0);
  ASSERT_OK_AND_ASSIGN(
      ListResult<v1::Outcome> outcomes,
      store().ListOutcomes(absl::StrCat(kHrPlan, "/initiatives/-"), std::nullopt, Page{}));
  EXPECT_EQ(outcomes.total, 0);
}

TEST_P(StoreConformance, EtagsAreNeverReusedAfterDeleteAndCreateAgain) {
  ASSERT_OK_AND_ASSIGN(v1::Organization first,
                       store().CreateOrganization(MakeOrganization("organizations/city"), ""));
  ASSERT_OK(store().DeleteOrganization("organizations/city", false, ""));
  ASSERT_OK_AND_ASSIGN(v1::Organization second,
                       store().CreateOrganization(MakeOrganization("organizations/city"), ""));
  EXPECT_NE(first.etag(), second.etag());
  // So an etag read before the delete cannot pass for the new resource.
  EXPECT_TRUE(
      HasError(store().UpdateOrganization(second, first.etag()), absl::StatusCode::kAborted));
}

}  // namespace
}  // namespace torikumi::store::testing
