// Paging: 120 initiatives in pages of 50, page_size rules, tokens bound to their query.
#include <set>

#include "domain_fixture.h"
#include "services/domain/page_token.h"

namespace torikumi::domain::testing {
namespace {

class DomainPaging : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    plan_ = MakePlan();
    ASSERT_FALSE(plan_.empty());
    v1::BatchCreateInitiativesRequest batch;
    batch.set_parent(plan_);
    for (int i = 1; i <= 120; ++i) {
      // Areas in reverse plan order, so the listing must reorder by the plan's area order.
      const char* area = i <= 40 ? "働きやすい環境" : i <= 80 ? "組織文化" : "職員研修";
      *batch.add_requests()->mutable_initiative() =
          SimpleInitiative(area, i, absl::StrCat("取組", i));
    }
    auto created = initiatives_->BatchCreate(batch);
    ASSERT_TRUE(created.ok()) << created.status();
    ASSERT_EQ(created->initiatives_size(), 120);
  }

  std::string plan_;
};

TEST_F(DomainPaging, ThreePagesOf50CoverAll120OnceInOrder) {
  v1::ListInitiativesRequest request;
  request.set_parent(plan_);
  request.set_page_size(50);
  std::vector<int> sizes;
  std::vector<std::string> names;
  std::set<std::string> unique;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = initiatives_->List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total_size(), 120);
    sizes.push_back(page->initiatives_size());
    for (const auto& initiative : page->initiatives()) {
      names.push_back(initiative.name());
      unique.insert(initiative.name());
    }
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(sizes, (std::vector<int>{50, 50, 20}));
  EXPECT_EQ(names.size(), 120u);
  EXPECT_EQ(unique.size(), 120u);
}

TEST_F(DomainPaging, ListingFollowsThePlansAreaOrder) {
  v1::ListInitiativesRequest request;
  request.set_parent(plan_);
  request.set_page_size(1000);
  auto all = initiatives_->List(request);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->initiatives_size(), 120);
  EXPECT_EQ(all->initiatives(0).area(), "職員研修");
  EXPECT_EQ(all->initiatives(0).number(), 81);
  EXPECT_EQ(all->initiatives(119).area(), "働きやすい環境");
  EXPECT_TRUE(all->next_page_token().empty());
}

TEST_F(DomainPaging, PageSizeDefaultsClampsAndRefusesNegatives) {
  v1::ListInitiativesRequest request;
  request.set_parent(plan_);
  auto defaulted = initiatives_->List(request);
  ASSERT_TRUE(defaulted.ok());
  EXPECT_EQ(defaulted->initiatives_size(), kDefaultPageSize);
  EXPECT_FALSE(defaulted->next_page_token().empty());

  request.set_page_size(5000);
  auto clamped = initiatives_->List(request);
  ASSERT_TRUE(clamped.ok()) << clamped.status();
  EXPECT_EQ(clamped->initiatives_size(), 120);

  request.set_page_size(-1);
  EXPECT_TRUE(IsViolation(initiatives_->List(request).status(), "page_size", "-1"));
}

TEST_F(DomainPaging, TokensOnlyWorkForTheirQuery) {
  v1::ListInitiativesRequest request;
  request.set_parent(plan_);
  request.set_page_size(10);
  auto first = initiatives_->List(request);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_page_token().empty());

  v1::ListInitiativesRequest other_filter = request;
  other_filter.set_page_token(first->next_page_token());
  other_filter.mutable_filter()->set_area("組織文化");
  EXPECT_TRUE(
      IsViolation(initiatives_->List(other_filter).status(), "page_token", "different query"));

  // The same filter typed in full width is the same query.
  v1::ListInitiativesRequest filtered = request;
  filtered.mutable_filter()->set_area("組織文化");
  auto filtered_first = initiatives_->List(filtered);
  ASSERT_TRUE(filtered_first.ok());
  EXPECT_EQ(filtered_first->total_size(), 40);
  filtered.mutable_filter()->set_area("【組織文化】");
  filtered.set_page_token(filtered_first->next_page_token());
  auto filtered_second = initiatives_->List(filtered);
  ASSERT_TRUE(filtered_second.ok()) << filtered_second.status();
  EXPECT_EQ(filtered_second->initiatives_size(), 10);
  EXPECT_NE(filtered_second->initiatives(0).name(), filtered_first->initiatives(0).name());

  v1::ListInitiativesRequest garbage = request;
  garbage.set_page_token("not-a-token!");
  EXPECT_TRUE(IsViolation(initiatives_->List(garbage).status(), "page_token", "'not-a-token!'"));
  garbage.set_page_token("AAAA");  // valid base64, wrong length
  EXPECT_TRUE(IsViolation(initiatives_->List(garbage).status(), "page_token"));

  // A plan-list token is not an initiative-list token.
  v1::ListPlansRequest plans;
  plans.set_parent("organizations/-");
  plans.set_page_size(1);
  ASSERT_TRUE(CreatePlan("organizations/city", SeedPlan(), "second").ok());
  auto plan_page = plans_->List(plans);
  ASSERT_TRUE(plan_page.ok());
  ASSERT_FALSE(plan_page->next_page_token().empty());
  garbage.set_page_token(plan_page->next_page_token());
  EXPECT_TRUE(IsViolation(initiatives_->List(garbage).status(), "page_token"));
}

TEST_F(DomainPaging, FilterValuesAreChecked) {
  v1::ListInitiativesRequest request;
  request.set_parent(plan_);
  request.mutable_filter()->set_fiscal_year(1900);
  request.mutable_filter()->set_kind(static_cast<v1::InitiativeKind>(7));
  auto refused = initiatives_->List(request);
  EXPECT_TRUE(IsViolation(refused.status(), "filter.fiscal_year", "1900"));
  EXPECT_TRUE(IsViolation(refused.status(), "filter.kind", "7"));
  request.Clear();
  request.set_parent("organizations/city/plans/none");
  EXPECT_EQ(initiatives_->List(request).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace torikumi::domain::testing
