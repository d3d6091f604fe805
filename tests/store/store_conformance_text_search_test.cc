// Conformance: ListInitiatives(text_contains) — a term matches inside one text (an
// initiative's own, or one of its outcomes'), never across two; matches follow every write;
// rare and common terms page with their totals.
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

TEST_P(StoreConformance, TextSearchNeverMatchesAcrossTwoTexts) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1, "新任研修"));
  // Written out of year order: neither order of the two texts joins them.
  for (const auto& [year, text] : std::vector<std::pair<int, std::string>>{
           {2020, "満足度は高い"}, {0, "期間を通じて"}, {2019, "受講者は四百人"}}) {
    ASSERT_OK(store().UpsertOutcome(MakeOutcome(InitiativeName("a"), year, text), "").status());
  }
  CreateInitiativeOrDie(MakeInitiative("b", kTraining, 2, "一行目\n二行目"));
  v1::InitiativeFilter filter;
  const std::vector<std::string> a = {InitiativeName("a")};
  for (const auto& [term, expected] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"四百人", a},
           {"満足度は高い", a},
           {"期間を通じて", a},
           {"新任研修", a},
           {"四百人満足", {}},      // the end of 2019's text and the start of 2020's
           {"高い受講", {}},        // 2020's end and 2019's start
           {"じて受講", {}},        // the period outcome's end and 2019's start
           {"研修期間", {}},        // the title's end and the first outcome's start
           {"四百人\n満足度", {}},  // the texts joined as a store might join them
           {"研修\n期間", {}},      //
           {"一行目\n二行", {InitiativeName("b")}},  // a line feed inside one text
       }) {
    filter.set_text_contains(term);
    EXPECT_EQ(ListedInitiatives(filter), expected) << term;
  }
}

TEST_P(StoreConformance, TextSearchFollowsWritesOfOutcomesAndInitiatives) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  CreateInitiativeOrDie(MakeInitiative("b", kTraining, 2));
  v1::InitiativeFilter filter;
  auto holding = [&](absl::string_view term) {
    filter.set_text_contains(std::string(term));
    return ListedInitiatives(filter);
  };
  const std::vector<std::string> a = {InitiativeName("a")};
  const std::vector<std::string> b = {InitiativeName("b")};
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(InitiativeName("a"), 2019, "旧い記述"), "").status());
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(InitiativeName("a"), 2020, "別の年度"), "").status());
  EXPECT_EQ(holding("旧い記述"), a);

  // Replacing the text: the old one is gone, the new one found, the other year's kept.
  ASSERT_OK(
      store().UpsertOutcome(MakeOutcome(InitiativeName("a"), 2019, "新しい記述"), "").status());
  EXPECT_EQ(holding("旧い記述"), std::vector<std::string>{});
  EXPECT_EQ(holding("新しい記述"), a);
  EXPECT_EQ(holding("別の年度"), a);

  // Deleting the outcome.
  ASSERT_OK(store().DeleteOutcome(absl::StrCat(InitiativeName("a"), "/outcomes/fy2019"), ""));
  EXPECT_EQ(holding("新しい記述"), std::vector<std::string>{});
  EXPECT_EQ(holding("別の年度"), a);

  // The initiative's own text, changed.
  ASSERT_OK_AND_ASSIGN(v1::Initiative current, store().GetInitiative(InitiativeName("b")));
  current.set_title("新しい記述の取組");
  ASSERT_OK(store().UpdateInitiative(current, "").status());
  EXPECT_EQ(holding("新しい記述"), b);
  EXPECT_EQ(holding("研修の実施"), a);
  ASSERT_OK(
      store().UpsertOutcome(MakeOutcome(InitiativeName("b"), 2019, "別の年度も"), "").status());
  EXPECT_EQ(holding("別の年度"),
            (std::vector<std::string>{InitiativeName("a"), InitiativeName("b")}));

  // Deleting an initiative with its outcomes, then creating one under the same name.
  ASSERT_OK(store().DeleteInitiative(InitiativeName("b"), /*force=*/true, ""));
  EXPECT_EQ(holding("新しい記述"), std::vector<std::string>{});
  EXPECT_EQ(holding("別の年度"), a);
  CreateInitiativeOrDie(MakeInitiative("b", kTraining, 2, "作り直した取組"));
  EXPECT_EQ(holding("別の年度"), a);
  EXPECT_EQ(holding("作り直した"), b);
}

TEST_P(StoreConformance, TextSearchPagesRareAndCommonTermsWithTheirTotals) {
  CreateCityAndHrPlan();
  std::vector<v1::Initiative> batch;
  for (int n = 23; n >= 1; --n) {
    batch.push_back(MakeInitiative(absl::StrCat("n", n), n % 3 ? kTraining : kCulture, n));
  }
  ASSERT_OK(store().BatchCreateInitiatives(batch, "").status());
  for (int n = 1; n <= 23; ++n) {
    const std::string name = InitiativeName(absl::StrCat("n", n));
    ASSERT_OK(store().UpsertOutcome(MakeOutcome(name, 2019, "共通の記述その一"), "").status());
    ASSERT_OK(
        store()
            .UpsertOutcome(MakeOutcome(name, 2020, n == 17 ? "珍しい語を含む" : "共通の記述"), "")
            .status());
  }
  const std::vector<std::string> all = ListedInitiatives({});
  ASSERT_EQ(all.size(), 23u);
  v1::InitiativeFilter common;
  common.set_text_contains("共通の記述");
  std::vector<std::string> paged;
  for (int64_t offset = 0; offset < 25; offset += 5) {
    ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> page,
                         store().ListInitiatives(kHrPlan, common, Page{offset, 5}));
    EXPECT_EQ(page.total, 23) << offset;
    for (const std::string& name : Names(page.items)) paged.push_back(name);
  }
  EXPECT_EQ(paged, all);

  v1::InitiativeFilter rare;
  rare.set_text_contains("珍しい語");
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> first,
                       store().ListInitiatives(kHrPlan, rare, Page{0, 5}));
  EXPECT_EQ(first.total, 1);
  EXPECT_EQ(Names(first.items), std::vector<std::string>{InitiativeName("n17")});
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> past,
                       store().ListInitiatives(kHrPlan, rare, Page{1, 5}));
  EXPECT_EQ(past.total, 1);
  EXPECT_TRUE(past.items.empty());
}

}  // namespace
}  // namespace torikumi::store::testing
