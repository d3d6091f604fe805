#include "tests/store/store_conformance.h"

#include <stdlib.h>

#include <filesystem>

#include "absl/strings/str_cat.h"

namespace torikumi::store::testing {

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) { return info.param.name; }

void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

ScratchDirectory::ScratchDirectory() {
  std::string pattern = absl::StrCat(::testing::TempDir(), "torikumi-store-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp(" << pattern << ") failed";
  }
  path_ = pattern;
}

ScratchDirectory::~ScratchDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

v1::Organization MakeOrganization(absl::string_view name, absl::string_view display_name) {
  v1::Organization organization;
  organization.set_name(std::string(name));
  organization.set_display_name(std::string(display_name));
  return organization;
}

v1::Plan MakePlan(absl::string_view name, absl::string_view title) {
  v1::Plan plan;
  plan.set_name(std::string(name));
  plan.set_title(std::string(title));
  plan.mutable_period()->set_first_fiscal_year(2018);
  plan.mutable_period()->set_last_fiscal_year(2022);
  plan.add_areas(std::string(kTraining));
  plan.add_areas(std::string(kCulture));
  plan.add_areas(std::string(kEnvironment));
  for (const char* code : {"A", "B", "C"}) {
    v1::Grade* grade = plan.mutable_rating_scale()->add_grades();
    grade->set_code(code);
    grade->set_label(absl::StrCat("grade ", code));
  }
  return plan;
}

std::string InitiativeName(absl::string_view id, absl::string_view plan) {
  return absl::StrCat(plan, "/initiatives/", id);
}

v1::Initiative MakeInitiative(absl::string_view id, absl::string_view area, int number,
                              absl::string_view title, absl::string_view plan) {
  v1::Initiative initiative;
  initiative.set_name(InitiativeName(id, plan));
  initiative.set_area(std::string(area));
  initiative.set_number(number);
  initiative.set_title(std::string(title));
  initiative.set_kind(v1::INITIATIVE_KIND_CONTINUING);
  return initiative;
}

v1::Outcome MakeOutcome(absl::string_view initiative, int fiscal_year, absl::string_view text) {
  v1::Outcome outcome;
  outcome.set_name(
      absl::StrCat(initiative, "/outcomes/",
                   fiscal_year == 0 ? std::string("period") : absl::StrCat("fy", fiscal_year)));
  outcome.set_fiscal_year(fiscal_year);
  outcome.set_text(std::string(text));
  outcome.set_status(v1::OUTCOME_STATUS_IMPLEMENTED);
  return outcome;
}

void StoreConformance::SetUp() {
  scratch_ = std::make_unique<ScratchDirectory>();
  absl::StatusOr<std::unique_ptr<Store>> opened = GetParam().open(scratch_->path());
  ASSERT_TRUE(opened.ok()) << opened.status();
  store_ = *std::move(opened);
}

void StoreConformance::TearDown() {
  store_.reset();
  scratch_.reset();
}

void CreateTwoRuleSetVersions(Store& store, absl::string_view name) {
  v1::RuleSet rule_set;
  rule_set.set_name(std::string(name));
  rule_set.set_evaluator("rules");
  for (const char* body : {"one", "two"}) {
    rule_set.set_body(body);
    ASSERT_OK(store.CreateRuleSetVersion(rule_set).status());
  }
}

void StoreConformance::CreateCityAndHrPlan() {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  ASSERT_OK(store().CreatePlan(MakePlan(kHrPlan), "").status());
}

v1::Initiative StoreConformance::CreateInitiativeOrDie(const v1::Initiative& initiative) {
  absl::StatusOr<v1::Initiative> created = store().CreateInitiative(initiative, "");
  EXPECT_TRUE(created.ok()) << created.status();
  return created.ok() ? *created : v1::Initiative();
}

std::vector<std::string> StoreConformance::ListedInitiatives(const v1::InitiativeFilter& filter) {
  absl::StatusOr<ListResult<v1::Initiative>> listed =
      store().ListInitiatives(kHrPlan, filter, Page{0, 1000});
  EXPECT_TRUE(listed.ok()) << listed.status();
  if (!listed.ok()) return {};
  EXPECT_EQ(listed->total, static_cast<int64_t>(listed->items.size()));
  return Names(listed->items);
}

}  // namespace torikumi::store::testing
