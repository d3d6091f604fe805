// Plans: title, period bounds, areas, rating scale, normalisation, masks, changes that would
// strand initiatives, delete with children, listing.
#include "domain_fixture.h"
#include "services/common/fiscal_year.h"

namespace torikumi::domain::testing {
namespace {

class DomainPlans : public DomainTest {};

TEST_F(DomainPlans, CreateKeepsTitleAndAreasAsWrittenAndNormalisesGrades) {
  std::string organization = MakeOrganization();
  v1::Plan plan = SeedPlan();
  plan.set_title("人材育成推進プラン（平成３０年度～令和４年度）");
  plan.set_areas(0, "【職員研修】");
  plan.set_areas(1, "\u3000組織文化\u3000");
  plan.mutable_rating_scale()->mutable_grades(0)->set_code("Ａ");
  auto created = CreatePlan(organization, plan, "hr");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "organizations/city/plans/hr");
  EXPECT_EQ(created->title(), "人材育成推進プラン（平成３０年度～令和４年度）");
  EXPECT_EQ(created->areas(0), "職員研修");
  EXPECT_EQ(created->areas(1), "組織文化");
  EXPECT_EQ(created->rating_scale().grades(0).code(), "A");
}

TEST_F(DomainPlans, GeneratedIdStartsWithP) {
  std::string organization = MakeOrganization();
  auto created = CreatePlan(organization, SeedPlan());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(absl::StartsWith(created->name(), "organizations/city/plans/p")) << created->name();
}

TEST_F(DomainPlans, TitleAndPeriodAreRequiredAndReportedTogether) {
  std::string organization = MakeOrganization();
  v1::Plan plan = SeedPlan();
  plan.clear_title();
  plan.clear_period();
  auto created = CreatePlan(organization, plan);
  EXPECT_TRUE(IsViolation(created.status(), "plan.title"));
  EXPECT_TRUE(IsViolation(created.status(), "plan.period"));
  EXPECT_EQ(ViolationFields(created.status()).size(), 2u);
}

TEST_F(DomainPlans, PeriodBoundsOrderAndLength) {
  std::string organization = MakeOrganization();
  v1::Plan plan = SeedPlan();
  plan.mutable_period()->set_first_fiscal_year(kMinFiscalYear - 1);
  plan.mutable_period()->set_last_fiscal_year(kMaxFiscalYear + 1);
  auto created = CreatePlan(organization, plan);
  EXPECT_TRUE(IsViolation(created.status(), "plan.period.first_fiscal_year",
                          absl::StrCat(kMinFiscalYear - 1)));
  EXPECT_TRUE(IsViolation(created.status(), "plan.period.last_fiscal_year",
                          absl::StrCat(kMaxFiscalYear + 1)));

  plan.mutable_period()->set_first_fiscal_year(2022);
  plan.mutable_period()->set_last_fiscal_year(2018);
  EXPECT_TRUE(IsViolation(CreatePlan(organization, plan).status(), "plan.period.last_fiscal_year",
                          "2018 is before first_fiscal_year 2022"));

  plan.mutable_period()->set_first_fiscal_year(2000);
  plan.mutable_period()->set_last_fiscal_year(2030);  // 31 fiscal years
  EXPECT_TRUE(
      IsViolation(CreatePlan(organization, plan).status(), "plan.period.last_fiscal_year", "31"));
  plan.mutable_period()->set_last_fiscal_year(2029);  // exactly 30
  EXPECT_TRUE(CreatePlan(organization, plan).ok());
}

TEST_F(DomainPlans, AreasMustBeNonEmptyAndUniqueAfterNormalisation) {
  std::string organization = MakeOrganization();
  v1::Plan plan = SeedPlan();
  plan.add_areas("\u3000");        // only a full-width space: empty once normalised
  plan.add_areas("【職員研修】");  // the same as areas[0] once normalised
  auto created = CreatePlan(organization, plan);
  EXPECT_TRUE(IsViolation(created.status(), "plan.areas[3]", "empty"));
  EXPECT_TRUE(IsViolation(created.status(), "plan.areas[4]", "'職員研修' repeats areas[0]"));
}

TEST_F(DomainPlans, GradeCodesMustBeUniqueAndLabelsPresent) {
  std::string organization = MakeOrganization();
  v1::Plan plan = SeedPlan();
  plan.mutable_rating_scale()->mutable_grades(0)->clear_code();
  plan.mutable_rating_scale()->mutable_grades(1)->clear_label();
  plan.mutable_rating_scale()->mutable_grades(2)->set_code("Ｂ");
  plan.mutable_rating_scale()->mutable_grades(1)->set_code("B");
  auto created = CreatePlan(organization, plan);
  EXPECT_TRUE(IsViolation(created.status(), "plan.rating_scale.grades[0].code"));
  EXPECT_TRUE(IsViolation(created.status(), "plan.rating_scale.grades[1].label"));
  EXPECT_TRUE(
      IsViolation(created.status(), "plan.rating_scale.grades[2].code", "'B' repeats grades[1]"));
  EXPECT_EQ(ViolationFields(created.status()).size(), 3u);
}

TEST_F(DomainPlans, ParentAndIdAreChecked) {
  MakeOrganization();
  EXPECT_TRUE(IsViolation(CreatePlan("organizations/city", SeedPlan(), "-bad").status(), "plan_id",
                          "'-bad'"));
  EXPECT_TRUE(IsViolation(CreatePlan("city", SeedPlan()).status(), "parent", "'city'"));
  EXPECT_EQ(CreatePlan("organizations/nowhere", SeedPlan()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(DomainPlans, UpdateANestedPathChangesOnlyThatField) {
  std::string name = MakePlan();
  v1::UpdatePlanRequest request;
  request.mutable_plan()->set_name(name);
  request.mutable_plan()->mutable_period()->set_last_fiscal_year(2024);
  request.mutable_plan()->set_title("ignored: not in the mask");
  request.mutable_update_mask()->add_paths("period.last_fiscal_year");
  auto updated = plans_->Update(request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->plan().period().first_fiscal_year(), 2018);
  EXPECT_EQ(updated->plan().period().last_fiscal_year(), 2024);
  EXPECT_EQ(updated->plan().title(), "人材育成推進プラン");
  EXPECT_EQ(updated->plan().areas_size(), 3);
}

TEST_F(DomainPlans, UpdateWithEmptyMaskReplacesEveryMutableField) {
  std::string name = MakePlan();
  v1::UpdatePlanRequest request;
  *request.mutable_plan() = SeedPlan();
  request.mutable_plan()->set_name(name);
  request.mutable_plan()->set_title("行政改革プラン");
  request.mutable_plan()->clear_areas();
  request.mutable_plan()->add_areas("行政改革");
  request.mutable_plan()->clear_rating_scale();
  auto updated = plans_->Update(request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->plan().title(), "行政改革プラン");
  ASSERT_EQ(updated->plan().areas_size(), 1);
  EXPECT_EQ(updated->plan().areas(0), "行政改革");
  EXPECT_EQ(updated->plan().rating_scale().grades_size(), 0);
  EXPECT_EQ(updated->plan().name(), name);
}

TEST_F(DomainPlans, UpdateRejectsOutputOnlyAndUnknownPathsAndValidatesTheResult) {
  std::string name = MakePlan();
  v1::UpdatePlanRequest request;
  request.mutable_plan()->set_name(name);
  request.mutable_update_mask()->add_paths("name");
  request.mutable_update_mask()->add_paths("period.length");
  auto updated = plans_->Update(request);
  EXPECT_TRUE(IsViolation(updated.status(), "update_mask.paths[0]", "'name'"));
  EXPECT_TRUE(IsViolation(updated.status(), "update_mask.paths[1]", "'period.length'"));

  request.mutable_update_mask()->Clear();
  request.mutable_update_mask()->add_paths("period.first_fiscal_year");
  request.mutable_plan()->mutable_period()->set_first_fiscal_year(2023);
  EXPECT_TRUE(IsViolation(plans_->Update(request).status(), "plan.period.last_fiscal_year",
                          "2022 is before first_fiscal_year 2023"));
}

TEST_F(DomainPlans, UpdateWithStaleEtagIsAborted) {
  std::string name = MakePlan();
  v1::GetPlanRequest get;
  get.set_name(name);
  auto original = plans_->Get(get);
  ASSERT_TRUE(original.ok());
  v1::UpdatePlanRequest request;
  request.mutable_plan()->set_name(name);
  request.mutable_plan()->set_etag(original->plan().etag());
  request.mutable_plan()->set_title("第二版");
  request.mutable_update_mask()->add_paths("title");
  auto first = plans_->Update(request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_NE(first->plan().etag(), original->plan().etag());
  request.mutable_plan()->set_title("第三版");
  EXPECT_EQ(plans_->Update(request).status().code(), absl::StatusCode::kAborted);
  // The current etag works.
  request.mutable_plan()->set_etag(first->plan().etag());
  EXPECT_TRUE(plans_->Update(request).ok());
}

TEST_F(DomainPlans, UpdateMayNotStrandInitiatives) {
  std::string name = MakePlan();
  v1::Initiative initiative = SimpleInitiative("組織文化", 1, "職場の活性化");
  auto* entry = initiative.add_schedule();
  entry->set_fiscal_year(2022);
  entry->set_phase(v1::PHASE_IMPLEMENT);
  ASSERT_TRUE(CreateInitiative(name, initiative).ok());

  v1::UpdatePlanRequest request;
  request.mutable_plan()->set_name(name);
  request.mutable_plan()->add_areas("職員研修");
  request.mutable_update_mask()->add_paths("areas");
  auto dropped_area = plans_->Update(request);
  EXPECT_EQ(dropped_area.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(dropped_area.status().message(), "組織文化"))
      << dropped_area.status();

  request.mutable_update_mask()->Clear();
  request.mutable_update_mask()->add_paths("period.last_fiscal_year");
  request.mutable_plan()->mutable_period()->set_last_fiscal_year(2021);
  auto shortened = plans_->Update(request);
  EXPECT_EQ(shortened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(shortened.status().message(), "2022")) << shortened.status();

  // Removing an unused area is fine.
  request.mutable_update_mask()->Clear();
  request.mutable_update_mask()->add_paths("areas");
  request.mutable_plan()->clear_areas();
  request.mutable_plan()->add_areas("組織文化");
  EXPECT_TRUE(plans_->Update(request).ok());
}

TEST_F(DomainPlans, DeleteWithInitiativesNeedsForce) {
  std::string name = MakePlan();
  auto initiative = CreateInitiative(name, SimpleInitiative("職員研修", 1, "研修"));
  ASSERT_TRUE(initiative.ok()) << initiative.status();
  v1::DeletePlanRequest request;
  request.set_name(name);
  EXPECT_EQ(plans_->Delete(request).status().code(), absl::StatusCode::kFailedPrecondition);
  v1::GetPlanRequest get;
  get.set_name(name);
  EXPECT_TRUE(plans_->Get(get).ok());  // refused: still there
  request.set_force(true);
  absl::StatusOr<v1::DeletePlanResponse> deleted = plans_->Delete(request);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(plans_->Get(get).status().code(), absl::StatusCode::kNotFound);
  v1::GetInitiativeRequest get_initiative;
  get_initiative.set_name(initiative->name());
  EXPECT_EQ(initiatives_->Get(get_initiative).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(DomainPlans, ListAcrossOrganizationsWithANormalisedTitleFilter) {
  std::string first = MakeOrganization("city");
  ASSERT_TRUE(CreatePlan(first, SeedPlan(), "hr").ok());
  v1::Plan reform = SeedPlan();
  reform.set_title("行政改革プラン2019");
  ASSERT_TRUE(CreatePlan(first, reform, "reform").ok());
  std::string second = MakeOrganization("town");
  ASSERT_TRUE(CreatePlan(second, SeedPlan(), "hr").ok());

  v1::ListPlansRequest request;
  request.set_parent("organizations/-");
  auto all = plans_->List(request);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->total_size(), 3);

  request.set_title_contains("改革プラン２０１９");  // full-width digits
  auto filtered = plans_->List(request);
  ASSERT_TRUE(filtered.ok()) << filtered.status();
  ASSERT_EQ(filtered->plans_size(), 1);
  EXPECT_EQ(filtered->plans(0).name(), "organizations/city/plans/reform");

  request.set_parent("organizations/nobody");
  EXPECT_EQ(plans_->List(request).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace torikumi::domain::testing
