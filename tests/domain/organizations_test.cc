// Organizations: ids, display_name, update masks, etags, delete with children.
#include "domain_fixture.h"

namespace torikumi::domain::testing {
namespace {

class DomainOrganizations : public DomainTest {};

TEST_F(DomainOrganizations, CreateGeneratesAnIdWhenNoneIsGiven) {
  v1::CreateOrganizationRequest request;
  request.mutable_organization()->set_display_name("福島市");
  auto created = organizations_->Create(request);
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string& name = created->organization().name();
  ASSERT_TRUE(absl::StartsWith(name, "organizations/o")) << name;
  EXPECT_TRUE(IsValidId(name.substr(std::string("organizations/").size()))) << name;
  EXPECT_FALSE(created->organization().etag().empty());
}

TEST_F(DomainOrganizations, CreateUsesTheGivenIdAndNormalisesTheDisplayName) {
  v1::CreateOrganizationRequest request;
  request.set_organization_id("fukushima");
  // Full-width letters and an ideographic space around the name.
  request.mutable_organization()->set_display_name("\u3000ＡＢＣ市\u3000");
  auto created = organizations_->Create(request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->organization().name(), "organizations/fukushima");
  EXPECT_EQ(created->organization().display_name(), "ABC市");
}

TEST_F(DomainOrganizations, CreateRejectsABadIdAndAMissingDisplayNameTogether) {
  v1::CreateOrganizationRequest request;
  request.set_organization_id("Fukushima_City");
  auto created = organizations_->Create(request);
  EXPECT_TRUE(IsViolation(created.status(), "organization_id", "'Fukushima_City'"));
  EXPECT_TRUE(IsViolation(created.status(), "organization.display_name"));
  EXPECT_EQ(ViolationFields(created.status()).size(), 2u);
}

TEST_F(DomainOrganizations, RetryWithTheSameRequestIdCreatesOnce) {
  v1::CreateOrganizationRequest request;
  request.mutable_organization()->set_display_name("福島市");
  request.set_request_id("retry-1");
  auto first = organizations_->Create(request);
  auto second = organizations_->Create(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->organization().name(), second->organization().name());
  auto listed = organizations_->List(v1::ListOrganizationsRequest());
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->total_size(), 1);
}

TEST_F(DomainOrganizations, GetChecksTheNameAndReportsMissing) {
  v1::GetOrganizationRequest request;
  request.set_name("organisations/x");
  EXPECT_TRUE(IsViolation(organizations_->Get(request).status(), "name", "'organisations/x'"));
  request.set_name("organizations/nobody");
  EXPECT_EQ(organizations_->Get(request).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(DomainOrganizations, UpdateChangesTheMaskedFieldAndTheEtag) {
  std::string name = MakeOrganization();
  v1::UpdateOrganizationRequest request;
  request.mutable_organization()->set_name(name);
  request.mutable_organization()->set_display_name("福島県福島市");
  request.mutable_update_mask()->add_paths("display_name");
  auto before = organizations_->Get([&] {
    v1::GetOrganizationRequest get;
    get.set_name(name);
    return get;
  }());
  ASSERT_TRUE(before.ok());
  auto updated = organizations_->Update(request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->organization().display_name(), "福島県福島市");
  EXPECT_NE(updated->organization().etag(), before->organization().etag());
}

TEST_F(DomainOrganizations, UpdateRejectsUnknownAndOutputOnlyPaths) {
  std::string name = MakeOrganization();
  v1::UpdateOrganizationRequest request;
  request.mutable_organization()->set_name(name);
  request.mutable_update_mask()->add_paths("display_name");
  request.mutable_update_mask()->add_paths("colour");
  request.mutable_update_mask()->add_paths("create_time");
  auto updated = organizations_->Update(request);
  EXPECT_TRUE(IsViolation(updated.status(), "update_mask.paths[1]", "'colour'"));
  EXPECT_TRUE(IsViolation(updated.status(), "update_mask.paths[1]", "display_name"));
  EXPECT_TRUE(IsViolation(updated.status(), "update_mask.paths[2]", "'create_time'"));
  EXPECT_TRUE(IsViolation(updated.status(), "update_mask.paths[2]", "cannot be updated"));
  EXPECT_EQ(ViolationFields(updated.status()).size(), 2u);
}

TEST_F(DomainOrganizations, UpdateWithAStaleEtagIsAborted) {
  std::string name = MakeOrganization();
  v1::GetOrganizationRequest get;
  get.set_name(name);
  auto original = organizations_->Get(get);
  ASSERT_TRUE(original.ok());

  v1::UpdateOrganizationRequest first;
  *first.mutable_organization() = original->organization();
  first.mutable_organization()->set_display_name("一回目");
  ASSERT_TRUE(organizations_->Update(first).ok());

  // The same etag again: someone else's write came in between.
  v1::UpdateOrganizationRequest second = first;
  second.mutable_organization()->set_display_name("二回目");
  EXPECT_EQ(organizations_->Update(second).status().code(), absl::StatusCode::kAborted);
  auto stored = organizations_->Get(get);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->organization().display_name(), "一回目");
}

TEST_F(DomainOrganizations, EmptyMaskValidatesTheWholeReplacement) {
  std::string name = MakeOrganization();
  v1::UpdateOrganizationRequest request;
  request.mutable_organization()->set_name(name);  // display_name left empty: replace all
  EXPECT_TRUE(IsViolation(organizations_->Update(request).status(), "organization.display_name"));
}

TEST_F(DomainOrganizations, DeleteWithPlansNeedsForce) {
  std::string plan = MakePlan();
  ASSERT_FALSE(plan.empty());
  v1::DeleteOrganizationRequest request;
  request.set_name("organizations/city");
  EXPECT_EQ(organizations_->Delete(request).status().code(), absl::StatusCode::kFailedPrecondition);
  request.set_force(true);
  EXPECT_TRUE(organizations_->Delete(request).ok());
  v1::GetOrganizationRequest get_organization;
  get_organization.set_name("organizations/city");
  EXPECT_EQ(organizations_->Get(get_organization).status().code(), absl::StatusCode::kNotFound);
  v1::GetPlanRequest get;
  get.set_name(plan);
  EXPECT_EQ(plans_->Get(get).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace torikumi::domain::testing
