// Conformance: ListInitiatives — its order, every filter field, and paging.
#include <limits>

#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

v1::ScheduleEntry Entry(int fiscal_year, v1::Phase phase) {
  v1::ScheduleEntry entry;
  entry.set_fiscal_year(fiscal_year);
  entry.set_phase(phase);
  return entry;
}

// Fills the plan hr (which must exist) with these initiatives:
//   t1 職員研修 1  theme 研修体系 / subtheme 階層別研修, NEW, grade A, 2018–2019 scheduled
//   t2 職員研修 2  theme 研修体系, CONTINUING, grade B, 2019 scheduled
//   c1 組織文化 1  theme 意識改革, CONTINUING, not rated, outcome text mentions ＩＣＴ
//   e1 働きやすい環境 1  theme ワークライフバランス, NEW, grade A, full-width ２０２０ in the title
//   x1 その他 1  (an area the plan does not list), CONTINUING, not rated
void FillHrPlan(Store& store) {
  v1::Initiative t1 = MakeInitiative("t1", kTraining, 1, "新任研修の充実");
  t1.set_theme("研修体系");
  t1.set_subtheme("階層別研修");
  t1.set_kind(v1::INITIATIVE_KIND_NEW);
  t1.mutable_human_rating()->set_grade("A");
  *t1.add_schedule() = Entry(2018, v1::PHASE_CONSIDER);
  *t1.add_schedule() = Entry(2019, v1::PHASE_IMPLEMENT);
  // A cell without a phase does not count as scheduled.
  *t1.add_schedule() = Entry(2021, v1::PHASE_UNSPECIFIED);
  v1::Initiative t2 = MakeInitiative("t2", kTraining, 2, "管理職研修");
  t2.set_theme("研修体系");
  t2.mutable_human_rating()->set_grade("B");
  *t2.add_schedule() = Entry(2019, v1::PHASE_TRIAL);
  v1::Initiative c1 = MakeInitiative("c1", kCulture, 1, "職場風土の改善");
  c1.set_theme("意識改革");
  v1::Initiative e1 = MakeInitiative("e1", kEnvironment, 1, "テレワーク（２０２０年度〜）");
  e1.set_theme("ワークライフバランス");
  e1.set_kind(v1::INITIATIVE_KIND_NEW);
  e1.mutable_human_rating()->set_grade("A");
  v1::Initiative x1 = MakeInitiative("x1", "その他", 1, "その他の取組");
  // Created out of order: the listing order must not depend on it.
  for (const v1::Initiative* one : {&x1, &e1, &t2, &c1, &t1}) {
    ASSERT_OK(store.CreateInitiative(*one, "").status());
  }
  ASSERT_OK(
      store.UpsertOutcome(MakeOutcome(InitiativeName("c1"), 2019, "ＩＣＴを活用した研修を実施"), "")
          .status());
}

std::vector<std::string> Ids(std::initializer_list<const char*> ids) {
  std::vector<std::string> names;
  for (const char* id : ids) names.push_back(InitiativeName(id));
  return names;
}

TEST_P(StoreConformance, ListInitiativesOrderIsAreaOrderThenNumberThenName) {
  CreateCityAndHrPlan();
  ASSERT_NO_FATAL_FAILURE(FillHrPlan(store()));
  // Areas the plan does not list come last.
  EXPECT_EQ(ListedInitiatives({}), Ids({"t1", "t2", "c1", "e1", "x1"}));
}

TEST_P(StoreConformance, ListInitiativesOrderWithinUnlistedAreasIsByAreaThenNumber) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("z2", "未分類B", 1));
  CreateInitiativeOrDie(MakeInitiative("z1", "未分類A", 2));
  CreateInitiativeOrDie(MakeInitiative("z0", "未分類A", 1));
  CreateInitiativeOrDie(MakeInitiative("t9", kTraining, 9));
  EXPECT_EQ(ListedInitiatives({}), Ids({"t9", "z0", "z1", "z2"}));
}

TEST_P(StoreConformance, ListInitiativesFiltersByArea) {
  CreateCityAndHrPlan();
  ASSERT_NO_FATAL_FAILURE(FillHrPlan(store()));
  v1::InitiativeFilter filter;
  filter.set_area(std::string(kTraining));
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t1", "t2"}));
  filter.set_area("その他");
  EXPECT_EQ(ListedInitiatives(filter), Ids({"x1"}));
  filter.set_area("ない");
  EXPECT_EQ(ListedInitiatives(filter), Ids({}));
}

TEST_P(StoreConformance, ListInitiativesFiltersByTheme) {
  CreateCityAndHrPlan();
  ASSERT_NO_FATAL_FAILURE(FillHrPlan(store()));
  v1::InitiativeFilter filter;
  filter.set_theme("研修体系");
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t1", "t2"}));
  filter.set_theme("意識改革");
  EXPECT_EQ(ListedInitiatives(filter), Ids({"c1"}));
}

TEST_P(StoreConformance, ListInitiativesFiltersByKind) {
  CreateCityAndHrPlan();
  ASSERT_NO_FATAL_FAILURE(FillHrPlan(store()));
  v1::InitiativeFilter filter;
  filter.set_kind(v1::INITIATIVE_KIND_NEW);
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t1", "e1"}));
  filter.set_kind(v1::INITIATIVE_KIND_CONTINUING);
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t2", "c1", "x1"}));
}

TEST_P(StoreConformance, ListInitiativesFiltersByGradeAndNotRated) {
  CreateCityAndHrPlan();
  ASSERT_NO_FATAL_FAILURE(FillHrPlan(store()));
  v1::InitiativeFilter filter;
  filter.set_grade("A");
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t1", "e1"}));
  filter.set_grade("B");
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t2"}));
  filter.set_grade("C");
  EXPECT_EQ(ListedInitiatives(filter), Ids({}));
  filter.set_grade("-");
  EXPECT_EQ(ListedInitiatives(filter), Ids({"c1", "x1"}));

  // A rating given later shows in the filter.
  ASSERT_OK_AND_ASSIGN(v1::Initiative c1, store().GetInitiative(InitiativeName("c1")));
  c1.mutable_human_rating()->set_grade("C");
  ASSERT_OK(store().UpdateInitiative(c1, c1.etag()).status());
  EXPECT_EQ(ListedInitiatives(filter), Ids({"x1"}));
  filter.set_grade("C");
  EXPECT_EQ(ListedInitiatives(filter), Ids({"c1"}));
}

TEST_P(StoreConformance, ListInitiativesFiltersByScheduledFiscalYear) {
  CreateCityAndHrPlan();
  ASSERT_NO_FATAL_FAILURE(FillHrPlan(store()));
  v1::InitiativeFilter filter;
  filter.set_fiscal_year(2019);
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t1", "t2"}));
  filter.set_fiscal_year(2018);
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t1"}));
  filter.set_fiscal_year(2021);
  EXPECT_EQ(ListedInitiatives(filter), Ids({}));

  // The scheduled years follow an update of the schedule.
  ASSERT_OK_AND_ASSIGN(v1::Initiative t2, store().GetInitiative(InitiativeName("t2")));
  t2.clear_schedule();
  *t2.add_schedule() = Entry(2021, v1::PHASE_IMPLEMENT);
  ASSERT_OK(store().UpdateInitiative(t2, "").status());
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t2"}));
  filter.set_fiscal_year(2019);
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t1"}));
}

TEST_P(StoreConformance, ListInitiativesFiltersByTextInTitleThemeSubthemeAndOutcomes) {
  CreateCityAndHrPlan();
  ASSERT_NO_FATAL_FAILURE(FillHrPlan(store()));
  v1::InitiativeFilter filter;
  filter.set_text_contains("研修");  // t1, t2 by title and theme; c1 by its outcome
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t1", "t2", "c1"}));
  filter.set_text_contains("階層別");  // subtheme
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t1"}));
  filter.set_text_contains("ワークライフ");  // theme
  EXPECT_EQ(ListedInitiatives(filter), Ids({"e1"}));
  // Stored full-width text is matched in its normalised form.
  filter.set_text_contains("ICT");
  EXPECT_EQ(ListedInitiatives(filter), Ids({"c1"}));
  filter.set_text_contains("(2020年度");
  EXPECT_EQ(ListedInitiatives(filter), Ids({"e1"}));
  filter.set_text_contains("見つからない");
  EXPECT_EQ(ListedInitiatives(filter), Ids({}));
}

// The text is matched as written: characters that are wildcards or escapes somewhere (LIKE's
// % _ and \, FTS5's quotes) match only themselves.
TEST_P(StoreConformance, ListInitiativesTextSearchTakesWildcardsLiterally) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("p1", kTraining, 1, "受講率100%達成"));
  CreateInitiativeOrDie(MakeInitiative("p2", kTraining, 2, "受講者1000人"));
  CreateInitiativeOrDie(MakeInitiative("p3", kTraining, 3, "A_B方式の導入"));
  CreateInitiativeOrDie(MakeInitiative("p4", kTraining, 4, "AXB方式の導入"));
  ASSERT_OK(store()
                .UpsertOutcome(MakeOutcome(InitiativeName("p4"), 2019, "共有\\資料を\"整理\""), "")
                .status());
  v1::InitiativeFilter filter;
  for (const auto& [text, ids] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"100%", Ids({"p1"})},
           {"%", Ids({"p1"})},
           {"0%達", Ids({"p1"})},
           {"A_B", Ids({"p3"})},
           {"_", Ids({"p3"})},
           {"有\\資", Ids({"p4"})},
           {"\\", Ids({"p4"})},
           {"\"整理\"", Ids({"p4"})},
           {"1_0", Ids({})},
       }) {
    filter.set_text_contains(text);
    EXPECT_EQ(ListedInitiatives(filter), ids) << text;
  }
}

TEST_P(StoreConformance, ListInitiativesCombinesFilters) {
  CreateCityAndHrPlan();
  ASSERT_NO_FATAL_FAILURE(FillHrPlan(store()));
  v1::InitiativeFilter filter;
  filter.set_area(std::string(kTraining));
  filter.set_grade("A");
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t1"}));
  filter.set_grade("");
  filter.set_fiscal_year(2019);
  filter.set_kind(v1::INITIATIVE_KIND_CONTINUING);
  filter.set_theme("研修体系");
  filter.set_text_contains("管理職");
  EXPECT_EQ(ListedInitiatives(filter), Ids({"t2"}));
  filter.set_kind(v1::INITIATIVE_KIND_NEW);
  EXPECT_EQ(ListedInitiatives(filter), Ids({}));
}

TEST_P(StoreConformance, ListInitiativesPagesAreStableAndTotalCountsEveryMatch) {
  CreateCityAndHrPlan();
  std::vector<v1::Initiative> batch;
  for (int n = 12; n >= 1; --n) {
    batch.push_back(MakeInitiative(absl::StrCat("n", n), n % 2 ? kCulture : kTraining, n));
  }
  ASSERT_OK(store().BatchCreateInitiatives(batch, "").status());
  const std::vector<std::string> all = ListedInitiatives({});
  ASSERT_EQ(all.size(), 12u);
  // 職員研修 (even numbers) first, each area by number.
  EXPECT_EQ(all.front(), InitiativeName("n2"));
  EXPECT_EQ(all[5], InitiativeName("n12"));
  EXPECT_EQ(all[6], InitiativeName("n1"));

  std::vector<std::string> paged;
  for (int64_t offset = 0; offset < 12; offset += 5) {
    ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> page,
                         store().ListInitiatives(kHrPlan, {}, Page{offset, 5}));
    EXPECT_EQ(page.total, 12);
    for (const std::string& name : Names(page.items)) paged.push_back(name);
  }
  EXPECT_EQ(paged, all);

  v1::InitiativeFilter culture;
  culture.set_area(std::string(kCulture));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> second,
                       store().ListInitiatives(kHrPlan, culture, Page{2, 2}));
  EXPECT_EQ(second.total, 6);
  EXPECT_EQ(Names(second.items),
            (std::vector<std::string>{InitiativeName("n5"), InitiativeName("n7")}));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> past,
                       store().ListInitiatives(kHrPlan, culture, Page{6, 2}));
  EXPECT_TRUE(past.items.empty());
  EXPECT_EQ(past.total, 6);
  EXPECT_TRUE(HasError(store().ListInitiatives(kHrPlan, {}, Page{-5, 2}),
                       absl::StatusCode::kInvalidArgument));
}

// Pages through a term most of the plan matches, on a plan whose order is neither the order
// the initiatives were created in nor their ids' order: the plan's areas are moved and one is
// dropped after its initiatives exist, and initiatives created later sort before earlier ones.
TEST_P(StoreConformance, ListInitiativesPagesACommonTermInThePlansOrderAfterItChanged) {
  CreateCityAndHrPlan();
  const std::string term = "共通の取組";
  CreateInitiativeOrDie(MakeInitiative("x1", "その他", 1));
  std::vector<v1::Initiative> batch;
  for (int n = 5; n >= 2; --n) {
    for (absl::string_view area : {kEnvironment, kCulture, kTraining}) {
      const std::string id = absl::StrCat(area == kEnvironment ? "e"
                                          : area == kCulture   ? "c"
                                                               : "t",
                                          n);
      batch.push_back(MakeInitiative(id, area, n, id == "t4" ? term + "の推進" : "研修の実施"));
    }
  }
  ASSERT_OK(store().BatchCreateInitiatives(batch, "").status());
  ASSERT_OK_AND_ASSIGN(v1::Plan plan, store().GetPlan(kHrPlan));
  plan.clear_areas();
  plan.add_areas(std::string(kEnvironment));
  plan.add_areas(std::string(kTraining));
  ASSERT_OK(store().UpdatePlan(plan, plan.etag()).status());
  CreateInitiativeOrDie(MakeInitiative("t1", kTraining, 1));
  CreateInitiativeOrDie(MakeInitiative("e1", kEnvironment, 1, term));
  CreateInitiativeOrDie(MakeInitiative("c1", kCulture, 1));
  // The term is in an outcome of every initiative but t4 and e1 (their titles hold it) and c3.
  for (const char* id :
       {"x1", "e5", "c5", "t5", "e4", "c4", "e3", "t3", "e2", "c2", "t2", "t1", "c1"}) {
    ASSERT_OK(
        store().UpsertOutcome(MakeOutcome(InitiativeName(id), 2019, term + "を実施"), "").status());
  }
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(InitiativeName("c3"), 2019), "").status());

  // The listed areas in their new order, then the unlisted ones by name (その他 before 組織文化).
  const std::vector<std::string> expected = Ids(
      {"e1", "e2", "e3", "e4", "e5", "t1", "t2", "t3", "t4", "t5", "x1", "c1", "c2", "c4", "c5"});
  v1::InitiativeFilter filter;
  filter.set_text_contains(term);
  std::vector<std::string> paged;
  for (int64_t offset = 0; offset < 16; offset += 4) {
    ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> page,
                         store().ListInitiatives(kHrPlan, filter, Page{offset, 4}));
    EXPECT_EQ(page.total, 15);
    EXPECT_EQ(page.items.size(), offset < 12 ? 4u : 3u);
    for (const std::string& name : Names(page.items)) paged.push_back(name);
  }
  EXPECT_EQ(paged, expected);
  ASSERT_OK_AND_ASSIGN(
      ListResult<v1::Initiative> far,
      store().ListInitiatives(kHrPlan, filter, Page{std::numeric_limits<int64_t>::max(), 4}));
  EXPECT_TRUE(far.items.empty());
  EXPECT_EQ(far.total, 15);
  // The whole bodies come back, not only the names.
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> one,
                       store().ListInitiatives(kHrPlan, filter, Page{8, 1}));
  ASSERT_EQ(one.items.size(), 1u);
  EXPECT_EQ(one.items[0].title(), term + "の推進");
  EXPECT_EQ(ListedInitiatives({}), Ids({"e1", "e2", "e3", "e4", "e5", "t1", "t2", "t3", "t4", "t5",
                                        "x1", "c1", "c2", "c3", "c4", "c5"}));

  // Moving the areas again moves the initiatives already listed.
  plan.clear_areas();
  plan.add_areas(std::string(kCulture));
  plan.add_areas(std::string(kEnvironment));
  ASSERT_OK_AND_ASSIGN(v1::Plan current, store().GetPlan(kHrPlan));
  ASSERT_OK(store().UpdatePlan(plan, current.etag()).status());
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> first,
                       store().ListInitiatives(kHrPlan, filter, Page{0, 6}));
  EXPECT_EQ(first.total, 15);
  EXPECT_EQ(Names(first.items), Ids({"c1", "c2", "c4", "c5", "e1", "e2"}));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> last,
                       store().ListInitiatives(kHrPlan, filter, Page{9, 6}));
  EXPECT_EQ(Names(last.items), Ids({"x1", "t1", "t2", "t3", "t4", "t5"}));
}

TEST_P(StoreConformance, ListInitiativesOfAMissingPlanIsNotFound) {
  CreateCityAndHrPlan();
  EXPECT_TRUE(HasError(store().ListInitiatives("organizations/city/plans/none", {}, Page{}),
                       absl::StatusCode::kNotFound, "organizations/city/plans/none"));
  EXPECT_TRUE(HasError(store().ListInitiatives("organizations/city", {}, Page{}),
                       absl::StatusCode::kInvalidArgument));
}

TEST_P(StoreConformance, ListInitiativesOnlyListsTheGivenPlan) {
  CreateCityAndHrPlan();
  const std::string reform = "organizations/city/plans/reform";
  ASSERT_OK(store().CreatePlan(MakePlan(reform), "").status());
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  CreateInitiativeOrDie(MakeInitiative("b", kTraining, 1, "x", reform));
  EXPECT_EQ(ListedInitiatives({}), Ids({"a"}));
}

TEST_P(StoreConformance, ListInitiativesTextSearchOnlyFindsTheGivenPlan) {
  CreateCityAndHrPlan();
  const std::string reform = "organizations/city/plans/reform";
  const std::string gone = "organizations/city/plans/gone";
  ASSERT_OK(store().CreatePlan(MakePlan(reform), "").status());
  ASSERT_OK(store().CreatePlan(MakePlan(gone), "").status());
  CreateInitiativeOrDie(MakeInitiative("g", kTraining, 1, "管理職研修", gone));
  // Interleaved across plans, by title and by outcome, and after a plan was deleted.
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1, "管理職研修"));
  CreateInitiativeOrDie(MakeInitiative("r1", kTraining, 1, "管理職研修", reform));
  CreateInitiativeOrDie(MakeInitiative("b", kTraining, 2, "新任研修"));
  CreateInitiativeOrDie(MakeInitiative("r2", kTraining, 2, "新任研修", reform));
  ASSERT_OK(store().DeletePlan(gone, true, ""));
  CreateInitiativeOrDie(MakeInitiative("c", kTraining, 3, "職場風土"));
  ASSERT_OK(store()
                .UpsertOutcome(MakeOutcome(InitiativeName("c"), 2019, "管理職研修に参加"), "")
                .status());
  ASSERT_OK(
      store()
          .UpsertOutcome(MakeOutcome(InitiativeName("r2", reform), 2019, "管理職研修に参加"), "")
          .status());
  v1::InitiativeFilter filter;
  filter.set_text_contains("管理職研修");
  EXPECT_EQ(ListedInitiatives(filter), Ids({"a", "c"}));
  absl::StatusOr<ListResult<v1::Initiative>> in_reform =
      store().ListInitiatives(reform, filter, Page{});
  ASSERT_OK(in_reform.status());
  EXPECT_EQ(Names(in_reform->items),
            (std::vector<std::string>{InitiativeName("r1", reform), InitiativeName("r2", reform)}));
  EXPECT_EQ(in_reform->total, 2);
}

}  // namespace
}  // namespace torikumi::store::testing
