// Conformance: computed ratings (append-only history per initiative).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

v1::ComputedRating MakeRating(absl::string_view initiative, absl::string_view grade,
                              absl::string_view reason) {
  v1::ComputedRating rating;
  rating.set_initiative(std::string(initiative));
  rating.set_grade(std::string(grade));
  rating.set_reason(std::string(reason));
  rating.set_evaluator("rules");
  rating.set_rule_set("organizations/city/ruleSets/abc");
  rating.set_rule_set_version(1);
  rating.add_fired_rules("r1");
  return rating;
}

TEST_P(StoreConformance, RatingsKeepHistoryNewestFirst) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  CreateInitiativeOrDie(MakeInitiative("b", kTraining, 2));
  const std::string a = InitiativeName("a");
  const std::string b = InitiativeName("b");
  ASSERT_OK(store().RecordRatings({MakeRating(a, "C", "first"), MakeRating(b, "A", "b only")}));
  ASSERT_OK(store().RecordRatings({MakeRating(a, "B", "second")}));

  ASSERT_OK_AND_ASSIGN(ListResult<v1::ComputedRating> latest_page,
                       store().ListRatings(kHrPlan, "", false, Page{0, 1000}));
  const std::vector<v1::ComputedRating>& latest = latest_page.items;
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].initiative(), a);
  EXPECT_EQ(latest[0].reason(), "second");
  EXPECT_EQ(latest[1].initiative(), b);

  ASSERT_OK_AND_ASSIGN(ListResult<v1::ComputedRating> history_page,
                       store().ListRatings(kHrPlan, a, true, Page{0, 1000}));
  const std::vector<v1::ComputedRating>& history = history_page.items;
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].reason(), "second");
  EXPECT_EQ(history[1].reason(), "first");
  EXPECT_TRUE(ProtoEquals(history[1], MakeRating(a, "C", "first")));
}

TEST_P(StoreConformance, RatingsAreAllOrNone) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  EXPECT_TRUE(HasError(store().RecordRatings({MakeRating(InitiativeName("a"), "A", "ok"),
                                              MakeRating(InitiativeName("gone"), "A", "no")}),
                       absl::StatusCode::kNotFound, "initiatives[1]", "gone"));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::ComputedRating> none_page,
                       store().ListRatings(kHrPlan, "", true, Page{0, 1000}));
  const std::vector<v1::ComputedRating>& none = none_page.items;
  EXPECT_TRUE(none.empty());
  EXPECT_TRUE(HasError(store().ListRatings("organizations/city/plans/none", "", false, Page{}),
                       absl::StatusCode::kNotFound, "plans/none"));
}

// More ratings than one statement takes (the SQLite store inserts them in groups): each
// keeps its place, in the history and in the change feed, whose event i is rating i.
TEST_P(StoreConformance, ManyRatingsKeepTheirOrderInHistoryAndFeed) {
  CreateCityAndHrPlan();
  const std::vector<std::string> names = {InitiativeName("a"), InitiativeName("b"),
                                          InitiativeName("c")};
  for (int n = 0; n < 3; ++n)
    CreateInitiativeOrDie(
        MakeInitiative(std::string(1, static_cast<char>('a' + n)), kTraining, n + 1));
  ASSERT_OK_AND_ASSIGN(int64_t start, store().LastChange());
  std::vector<v1::ComputedRating> ratings;
  for (int i = 0; i < 101; ++i)
    ratings.push_back(MakeRating(names[i % 3], i % 2 == 0 ? "A" : "B", absl::StrCat("r", i)));
  ASSERT_OK(store().RecordRatings(ratings));

  ASSERT_OK_AND_ASSIGN(ChangePage page,
                       store().ListChanges(ChangeQuery{.organization = std::string(kCity),
                                                       .plan = std::string(kHrPlan),
                                                       .after = start,
                                                       .limit = 200}));
  ASSERT_EQ(page.events.size(), ratings.size());
  for (size_t i = 0; i < ratings.size(); ++i) {
    EXPECT_EQ(page.events[i].name(), ratings[i].initiative()) << i;
    EXPECT_TRUE(ProtoEquals(ratings[i], page.events[i].computed_rating())) << i;
  }
  ASSERT_OK_AND_ASSIGN(ListResult<v1::ComputedRating> history,
                       store().ListRatings(kHrPlan, names[1], true, Page{0, 1000}));
  ASSERT_EQ(history.items.size(), 34u);
  for (size_t k = 0; k < history.items.size(); ++k)  // newest first: r100, r97, …, r1
    EXPECT_EQ(history.items[k].reason(), absl::StrCat("r", 100 - 3 * k)) << k;
}

TEST_P(StoreConformance, AMissingInitiativeAfterTheFirstGroupOfRatingsRecordsNone) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  std::vector<v1::ComputedRating> ratings(100, MakeRating(InitiativeName("a"), "A", "ok"));
  ratings[70] = MakeRating(InitiativeName("gone"), "A", "no");
  EXPECT_TRUE(HasError(store().RecordRatings(ratings), absl::StatusCode::kNotFound,
                       "initiatives[70]", "gone"));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::ComputedRating> none,
                       store().ListRatings(kHrPlan, "", true, Page{0, 1000}));
  EXPECT_TRUE(none.items.empty());
}

TEST_P(StoreConformance, RatingsWithAMalformedInitiativeNameAreRefusedNamingIt) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  EXPECT_TRUE(HasError(store().RecordRatings({MakeRating(InitiativeName("a"), "A", "ok"),
                                              MakeRating("plans/x", "A", "no")}),
                       absl::StatusCode::kInvalidArgument, "ratings[1].initiative", "plans/x"));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::ComputedRating> none,
                       store().ListRatings(kHrPlan, "", true, Page{0, 1000}));
  EXPECT_TRUE(none.items.empty());
}

TEST_P(StoreConformance, RatingsGoWithTheirInitiative) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  ASSERT_OK(store().RecordRatings({MakeRating(InitiativeName("a"), "A", "ok")}));
  ASSERT_OK(store().DeleteInitiative(InitiativeName("a"), true, ""));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::ComputedRating> none_page,
                       store().ListRatings(kHrPlan, "", true, Page{0, 1000}));
  const std::vector<v1::ComputedRating>& none = none_page.items;
  EXPECT_TRUE(none.empty());
}

TEST_P(StoreConformance, RatingsArePagedInTheirOrderWithTheTotal) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  CreateInitiativeOrDie(MakeInitiative("b", kTraining, 2));
  const std::string a = InitiativeName("a");
  const std::string b = InitiativeName("b");
  for (const char* reason : {"1", "2", "3"}) {
    ASSERT_OK(store().RecordRatings({MakeRating(a, "A", reason), MakeRating(b, "B", reason)}));
  }
  std::vector<std::string> seen;
  for (int64_t offset = 0; offset < 6; offset += 4) {
    ASSERT_OK_AND_ASSIGN(ListResult<v1::ComputedRating> page,
                         store().ListRatings(kHrPlan, "", true, Page{offset, 4}));
    EXPECT_EQ(page.total, 6);
    for (const v1::ComputedRating& rating : page.items) {
      seen.push_back(absl::StrCat(rating.initiative() == a ? "a" : "b", rating.reason()));
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a3", "a2", "a1", "b3", "b2", "b1"}));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::ComputedRating> latest,
                       store().ListRatings(kHrPlan, "", false, Page{1, 1}));
  EXPECT_EQ(latest.total, 2);
  ASSERT_EQ(latest.items.size(), 1u);
  EXPECT_EQ(latest.items[0].initiative(), b);
  EXPECT_EQ(latest.items[0].reason(), "3");
  EXPECT_TRUE(HasError(store().ListRatings(kHrPlan, "", true, Page{-1, 4}),
                       absl::StatusCode::kInvalidArgument));
}

TEST_P(StoreConformance, PruneHistoryKeepsTheNewestRatingOfEachInitiative) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("a", kTraining, 1));
  CreateInitiativeOrDie(MakeInitiative("b", kTraining, 2));
  const std::string a = InitiativeName("a");
  const std::string b = InitiativeName("b");
  ASSERT_OK(store().RecordRatings({MakeRating(a, "C", "a1"), MakeRating(b, "A", "b1")}));
  ASSERT_OK(store().RecordRatings({MakeRating(a, "B", "a2")}));
  ASSERT_OK_AND_ASSIGN(int64_t none, store().PruneHistory(absl::Now() - absl::Hours(1)));
  EXPECT_EQ(none, 0);
  ASSERT_OK_AND_ASSIGN(int64_t pruned, store().PruneHistory(absl::Now() + absl::Seconds(2)));
  EXPECT_EQ(pruned, 1);
  ASSERT_OK_AND_ASSIGN(ListResult<v1::ComputedRating> kept,
                       store().ListRatings(kHrPlan, "", true, Page{0, 1000}));
  std::vector<std::string> reasons;
  for (const v1::ComputedRating& rating : kept.items) reasons.push_back(rating.reason());
  EXPECT_EQ(reasons, (std::vector<std::string>{"a2", "b1"}));
  EXPECT_EQ(kept.total, 2);
}

TEST_P(StoreConformance, PruneHistoryForgetsOldRequestIds) {
  const std::string town = "organizations/town";
  ASSERT_OK(store().CreateOrganization(MakeOrganization(town), "req-1").status());
  // Within the retention a retry returns what the first create made.
  ASSERT_OK(store().CreateOrganization(MakeOrganization(town), "req-1").status());
  ASSERT_OK_AND_ASSIGN(int64_t none, store().PruneHistory(absl::Now() - absl::Hours(1)));
  EXPECT_EQ(none, 0);
  ASSERT_OK_AND_ASSIGN(int64_t pruned, store().PruneHistory(absl::Now() + absl::Seconds(2)));
  EXPECT_EQ(pruned, 1);
  // After it, the same request id is a new create, which finds the name taken.
  EXPECT_TRUE(HasError(store().CreateOrganization(MakeOrganization(town), "req-1"),
                       absl::StatusCode::kAlreadyExists));
}

}  // namespace
}  // namespace torikumi::store::testing
