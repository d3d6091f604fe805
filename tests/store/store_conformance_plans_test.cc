// Conformance: plans.
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

TEST_P(StoreConformance, PlanCreateNeedsItsOrganization) {
  EXPECT_TRUE(HasError(store().CreatePlan(MakePlan(kHrPlan), ""), absl::StatusCode::kNotFound,
                       kCity, kHrPlan));
}

TEST_P(StoreConformance, PlanCreateGetAndDuplicate) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  v1::Plan input = MakePlan(kHrPlan);
  input.set_etag("\"mine\"");
  ASSERT_OK_AND_ASSIGN(v1::Plan created, store().CreatePlan(input, ""));
  EXPECT_NE(created.etag(), "\"mine\"");
  EXPECT_TRUE(created.has_create_time());
  ASSERT_OK_AND_ASSIGN(v1::Plan got, store().GetPlan(kHrPlan));
  EXPECT_TRUE(ProtoEquals(created, got));
  EXPECT_TRUE(HasError(store().CreatePlan(MakePlan(kHrPlan), ""), absl::StatusCode::kAlreadyExists,
                       kHrPlan));
  EXPECT_TRUE(HasError(store().GetPlan("organizations/city/plans/none"),
                       absl::StatusCode::kNotFound, "organizations/city/plans/none"));
}

TEST_P(StoreConformance, PlanRequestIdIsIdempotent) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  ASSERT_OK_AND_ASSIGN(v1::Plan first, store().CreatePlan(MakePlan(kHrPlan), "req"));
  ASSERT_OK_AND_ASSIGN(v1::Plan retry,
                       store().CreatePlan(MakePlan("organizations/city/plans/other"), "req"));
  EXPECT_TRUE(ProtoEquals(first, retry));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Plan> plans, store().ListPlans(kCity, "", Page{}));
  EXPECT_EQ(Names(plans.items), std::vector<std::string>{std::string(kHrPlan)});
  // Request ids are per kind of create: the same id on an organization is a new create.
  ASSERT_OK(store().CreateOrganization(MakeOrganization("organizations/town"), "req").status());
  ASSERT_OK(store().GetOrganization("organizations/town").status());
}

TEST_P(StoreConformance, PlanListByOrganizationAllOrganizationsAndTitle) {
  for (const char* org : {"organizations/city", "organizations/town"}) {
    ASSERT_OK(store().CreateOrganization(MakeOrganization(org), "").status());
  }
  // Titles as people type them: full-width digits and brackets.
  ASSERT_OK(
      store()
          .CreatePlan(MakePlan("organizations/town/plans/hr", "人材育成プラン（２０１８）"), "")
          .status());
  ASSERT_OK(store()
                .CreatePlan(MakePlan("organizations/city/plans/reform", "行政改革プラン"), "")
                .status());
  ASSERT_OK(store()
                .CreatePlan(MakePlan("organizations/city/plans/hr", "人材育成推進プラン(2018)"), "")
                .status());

  ASSERT_OK_AND_ASSIGN(ListResult<v1::Plan> city, store().ListPlans(kCity, "", Page{}));
  EXPECT_EQ(Names(city.items), (std::vector<std::string>{"organizations/city/plans/hr",
                                                         "organizations/city/plans/reform"}));
  EXPECT_EQ(city.total, 2);

  ASSERT_OK_AND_ASSIGN(ListResult<v1::Plan> all, store().ListPlans("organizations/-", "", Page{}));
  EXPECT_EQ(Names(all.items), (std::vector<std::string>{"organizations/city/plans/hr",
                                                        "organizations/city/plans/reform",
                                                        "organizations/town/plans/hr"}));

  // The query is already normalised; the stored titles are matched in normalised form, so the
  // full-width "（２０１８）" matches "(2018)".
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Plan> by_title,
                       store().ListPlans("organizations/-", "(2018)", Page{}));
  EXPECT_EQ(Names(by_title.items), (std::vector<std::string>{"organizations/city/plans/hr",
                                                             "organizations/town/plans/hr"}));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Plan> city_reform, store().ListPlans(kCity, "改革", Page{}));
  EXPECT_EQ(Names(city_reform.items), std::vector<std::string>{"organizations/city/plans/reform"});

  ASSERT_OK_AND_ASSIGN(ListResult<v1::Plan> paged,
                       store().ListPlans("organizations/-", "", Page{1, 1}));
  EXPECT_EQ(Names(paged.items), std::vector<std::string>{"organizations/city/plans/reform"});
  EXPECT_EQ(paged.total, 3);

  EXPECT_TRUE(HasError(store().ListPlans("organizations/none", "", Page{}),
                       absl::StatusCode::kNotFound, "organizations/none"));
  EXPECT_TRUE(HasError(store().ListPlans("plans", "", Page{}), absl::StatusCode::kInvalidArgument));
}

TEST_P(StoreConformance, PlanUpdateEtagAndAreaOrder) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("t1", kTraining, 1));
  CreateInitiativeOrDie(MakeInitiative("e1", kEnvironment, 1));
  EXPECT_EQ(ListedInitiatives({}),
            (std::vector<std::string>{InitiativeName("t1"), InitiativeName("e1")}));

  ASSERT_OK_AND_ASSIGN(v1::Plan plan, store().GetPlan(kHrPlan));
  v1::Plan change = plan;
  change.clear_areas();
  change.add_areas(std::string(kEnvironment));
  change.add_areas(std::string(kTraining));
  change.set_title("新しい題名");
  ASSERT_OK_AND_ASSIGN(v1::Plan updated, store().UpdatePlan(change, plan.etag()));
  EXPECT_NE(updated.etag(), plan.etag());
  EXPECT_TRUE(ProtoEquals(plan.create_time(), updated.create_time()));
  EXPECT_EQ(updated.title(), "新しい題名");
  // The new area order is the listing order.
  EXPECT_EQ(ListedInitiatives({}),
            (std::vector<std::string>{InitiativeName("e1"), InitiativeName("t1")}));
  // The normalised title follows the update.
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Plan> found, store().ListPlans(kCity, "新しい", Page{}));
  EXPECT_EQ(found.total, 1);
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Plan> old, store().ListPlans(kCity, "人材", Page{}));
  EXPECT_EQ(old.total, 0);

  EXPECT_TRUE(
      HasError(store().UpdatePlan(change, plan.etag()), absl::StatusCode::kAborted, plan.etag()));
  EXPECT_TRUE(HasError(store().UpdatePlan(MakePlan("organizations/city/plans/none"), ""),
                       absl::StatusCode::kNotFound, "organizations/city/plans/none"));
}

TEST_P(StoreConformance, PlanDeleteWithInitiativesNeedsForceAndForceRemovesThem) {
  CreateCityAndHrPlan();
  v1::Initiative initiative = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(initiative.name(), 0), "").status());

  EXPECT_TRUE(HasError(store().DeletePlan(kHrPlan, false, ""),
                       absl::StatusCode::kFailedPrecondition, kHrPlan, "1 initiative"));
  ASSERT_OK(store().GetInitiative(initiative.name()).status());

  ASSERT_OK_AND_ASSIGN(v1::Plan plan, store().GetPlan(kHrPlan));
  EXPECT_TRUE(HasError(store().DeletePlan(kHrPlan, true, "\"v0\""), absl::StatusCode::kAborted));
  ASSERT_OK(store().DeletePlan(kHrPlan, true, plan.etag()));
  EXPECT_TRUE(HasError(store().GetPlan(kHrPlan), absl::StatusCode::kNotFound));
  EXPECT_TRUE(HasError(store().GetInitiative(initiative.name()), absl::StatusCode::kNotFound));
  // The organization stays.
  ASSERT_OK(store().GetOrganization(kCity).status());
  EXPECT_TRUE(HasError(store().DeletePlan(kHrPlan, true, ""), absl::StatusCode::kNotFound));
}

TEST_P(StoreConformance, PlanWithoutInitiativesDeletesWithoutForce) {
  CreateCityAndHrPlan();
  ASSERT_OK(store().DeletePlan(kHrPlan, false, ""));
  EXPECT_TRUE(HasError(store().GetPlan(kHrPlan), absl::StatusCode::kNotFound));
  // And the organization, now without plans, too.
  ASSERT_OK(store().DeleteOrganization(kCity, false, ""));
}

}  // namespace
}  // namespace torikumi::store::testing
