// Back-testing in the domain: a candidate rule set (by name, or inline) evaluated on the seed
// as a dry run with a diff against the recorded ratings and the human ones; nothing is
// recorded, and a candidate that would be recorded, or is given twice, is refused.
#include "services/domain/rating_diff.h"

#include "tests/domain/ratings_fixture.h"

namespace torikumi::domain::testing {
namespace {

// Insufficient data without outcomes, else one grade for everything: rule sets whose
// ratings can be counted from the seed's human grades alone.
std::string OneGrade(const std::string& grade) {
  return absl::StrCat(
      "rules { id: \"no-outcome\" insufficient_data: true reason: \"no outcome\"\n"
      "  when { fact { name: \"outcomes\" equals: 0 } } }\n"
      "rules { id: \"all-",
      grade, "\" grade: \"", grade, "\" reason: \"always ", grade, "\" }\n");
}

class DomainRatingsBackTest : public DomainRatingsTest {
 protected:
  // The seed rated and recorded with the all-B rule set; returns the plan.
  std::string SeedRatedAllB() {
    const std::string plan = ImportSeed();
    auto created = CreateRuleSet("all-b", OneGrade("B"), plan);
    EXPECT_TRUE(created.ok()) << created.status();
    UseRuleSet(plan, "organizations/city/ruleSets/all-b");
    v1::RatingServiceEvaluateRequest evaluate;
    evaluate.set_plan(plan);
    auto recorded = ratings_->Evaluate(evaluate);
    EXPECT_TRUE(recorded.ok()) << recorded.status();
    return plan;
  }

  // Human grades of the rated initiatives that have an outcome, by grade.
  std::map<std::string, int> HumanGradesWithOutcomes(const std::string& plan) {
    auto records = LoadPlanRecords(*store_, plan);
    EXPECT_TRUE(records.ok()) << records.status();
    std::map<std::string, int> counts;
    if (!records.ok()) return counts;
    for (const v1::Initiative& initiative : records->initiatives) {
      if (initiative.human_rating().grade().empty()) continue;
      if (records->OutcomesOf(initiative.name()).empty()) continue;
      ++counts[initiative.human_rating().grade()];
    }
    return counts;
  }

  int RecordedCount(const std::string& plan) {
    v1::ListRatingsRequest list;
    list.set_page_size(1000);
    list.set_plan(plan);
    list.set_history(true);
    auto listed = ratings_->List(list);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? listed->ratings_size() : -1;
  }
};

TEST_F(DomainRatingsBackTest, ACandidateByNameShowsWhatChangesAndRecordsNothing) {
  const std::string plan = SeedRatedAllB();
  ASSERT_TRUE(CreateRuleSet("all-a", OneGrade("A"), plan).ok());
  const int recorded_before = RecordedCount(plan);
  ASSERT_GT(recorded_before, 0);
  const std::map<std::string, int> human = HumanGradesWithOutcomes(plan);

  v1::RatingServiceEvaluateRequest backtest;
  backtest.set_plan(plan);
  backtest.set_rule_set("organizations/city/ruleSets/all-a");
  backtest.set_dry_run(true);
  backtest.set_diff(true);
  auto result = ratings_->Evaluate(backtest);
  ASSERT_TRUE(result.ok()) << result.status();
  const v1::RatingDiff& diff = result->diff();
  EXPECT_EQ(diff.rule_set(), "organizations/city/ruleSets/all-a@1");
  EXPECT_EQ(diff.evaluated(), result->ratings_size());
  // Every initiative with an outcome goes from B to A; those without stay insufficient.
  int with_outcome = 0;
  for (const v1::ComputedRating& rating : result->ratings()) {
    EXPECT_EQ(rating.rule_set(), "organizations/city/ruleSets/all-a");
    if (!rating.has_insufficient_data()) ++with_outcome;
  }
  ASSERT_GT(with_outcome, 0);
  ASSERT_EQ(diff.changes_size(), with_outcome);
  EXPECT_EQ(diff.unchanged(), diff.evaluated() - with_outcome);
  for (const v1::RatingChange& change : diff.changes()) {
    EXPECT_EQ(change.current_grade(), "B") << change.title();
    EXPECT_EQ(change.candidate_grade(), "A") << change.title();
    EXPECT_EQ(change.candidate_reason(), "always A");
  }
  EXPECT_EQ(diff.human_rated(), 64);
  EXPECT_EQ(diff.agreed_before(), human.at("B"));
  EXPECT_EQ(diff.agreed_after(), human.at("A"));
  // A dry run: the recorded ratings are still the all-B ones.
  EXPECT_EQ(RecordedCount(plan), recorded_before);
}

TEST_F(DomainRatingsBackTest, AnInlineCandidateIsValidatedAndTheSameRuleSetChangesNothing) {
  const std::string plan = SeedRatedAllB();
  v1::RatingServiceEvaluateRequest backtest;
  backtest.set_plan(plan);
  backtest.set_dry_run(true);
  backtest.set_diff(true);
  backtest.mutable_inline_rule_set()->set_body(OneGrade("B"));
  auto same = ratings_->Evaluate(backtest);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->diff().rule_set(), "inline");
  EXPECT_EQ(same->diff().changes_size(), 0);
  EXPECT_EQ(same->diff().unchanged(), same->diff().evaluated());
  EXPECT_EQ(same->diff().agreed_before(), same->diff().agreed_after());

  // A mistake in the inline body is named by its rule and field.
  backtest.mutable_inline_rule_set()->set_body("rules { id: \"excellent\" grade: \"S\" }");
  auto bad = ratings_->Evaluate(backtest);
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << bad.status();
  EXPECT_TRUE(absl::StrContains(bad.status().ToString(), "excellent")) << bad.status();
  EXPECT_TRUE(absl::StrContains(ViolationFields(bad.status()).front(), "inline_rule_set.body"))
      << bad.status();
}

TEST_F(DomainRatingsBackTest, ACandidateIsNeverRecordedAndIsGivenOneWay) {
  const std::string plan = SeedRatedAllB();
  ASSERT_TRUE(CreateRuleSet("all-a", OneGrade("A"), plan).ok());
  const int recorded_before = RecordedCount(plan);
  v1::RatingServiceEvaluateRequest request;
  request.set_plan(plan);
  request.set_rule_set("organizations/city/ruleSets/all-a");
  EXPECT_TRUE(IsViolation(ratings_->Evaluate(request).status(), "dry_run"));
  request.set_dry_run(true);
  request.mutable_inline_rule_set()->set_body(OneGrade("A"));
  EXPECT_TRUE(IsViolation(ratings_->Evaluate(request).status(), "inline_rule_set"));
  request.clear_inline_rule_set();
  request.set_rule_set("organizations/city/ruleSets/nope");
  EXPECT_EQ(ratings_->Evaluate(request).status().code(), absl::StatusCode::kNotFound);
  request.set_rule_set("not a name");
  EXPECT_TRUE(IsViolation(ratings_->Evaluate(request).status(), "rule_set", "not a name"));
  EXPECT_EQ(RecordedCount(plan), recorded_before);
}

TEST_F(DomainRatingsBackTest, RatingsCarryTheAreaAndNumberOfTheirInitiative) {
  const std::string plan = SeedRatedAllB();
  v1::ListRatingsRequest list;
  list.set_page_size(1000);
  list.set_plan(plan);
  auto listed = ratings_->List(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->ratings_size(), 66);
  auto records = LoadPlanRecords(*store_, plan);
  ASSERT_TRUE(records.ok()) << records.status();
  std::map<std::string, std::string> label;
  for (const v1::Initiative& i : records->initiatives)
    label[i.name()] = absl::StrCat(i.area(), " ", i.number());
  for (const v1::ComputedRating& rating : listed->ratings()) {
    EXPECT_EQ(absl::StrCat(rating.area(), " ", rating.number()), label[rating.initiative()]);
  }
}

}  // namespace
}  // namespace torikumi::domain::testing
