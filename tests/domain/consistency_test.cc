// The consistency check of the human ratings: outcome texts compared after normalisation,
// near matches by edit distance with the same figures, and on the seed table the pair the
// people who rated it wrote with the same text but graded B and A (組織文化 4 and 5).
#include "services/domain/consistency.h"

#include <iostream>
#include <set>

#include "tests/domain/ratings_fixture.h"

namespace torikumi::domain::testing {
namespace {

v1::Outcome OutcomeWith(int fiscal_year, const std::string& text) {
  v1::Outcome outcome;
  outcome.set_fiscal_year(fiscal_year);
  outcome.set_text(text);
  return outcome;
}

std::u32string Comparable(const std::vector<v1::Outcome>& outcomes) {
  absl::StatusOr<std::u32string> text = ComparableOutcomeText(outcomes);
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : U"?";
}

TEST(DomainConsistencyTextTest, SpacingPunctuationAndFullWidthFormsDoNotCount) {
  EXPECT_EQ(Comparable({OutcomeWith(0, "研修を実施した。（３回）")}),
            Comparable({OutcomeWith(0, "研修を 実施した (3回)")}));
  EXPECT_NE(Comparable({OutcomeWith(0, "研修を実施した")}),
            Comparable({OutcomeWith(0, "研修を実施しなかった")}));
  // Years in fiscal-year order, whatever order the outcomes come in; empty texts left out.
  EXPECT_EQ(Comparable({OutcomeWith(2019, "B"), OutcomeWith(2018, "A"), OutcomeWith(2020, "")}),
            U"A|B");
  EXPECT_EQ(Comparable({}), U"");
  EXPECT_FALSE(ComparableOutcomeText({OutcomeWith(0, "\xff")}).ok());
}

TEST(DomainConsistencyTextTest, SimilarityIsOneMinusEditDistanceOverTheLongerLength) {
  EXPECT_DOUBLE_EQ(TextSimilarity(U"", U""), 1.0);
  EXPECT_DOUBLE_EQ(TextSimilarity(U"abcd", U"abcd"), 1.0);
  EXPECT_DOUBLE_EQ(TextSimilarity(U"abcd", U"abce"), 0.75);
  EXPECT_DOUBLE_EQ(TextSimilarity(U"abcd", U"abc"), 0.75);
  EXPECT_DOUBLE_EQ(TextSimilarity(U"研修実施", U"研修未実施"), 0.8);
  EXPECT_DOUBLE_EQ(TextSimilarity(U"ab", U"xy"), 0.0);
}

// A plan of four rated initiatives built in memory: two texts that differ by one character
// in twenty (nearly identical), one with a different figure, one unrelated.
TEST(DomainConsistencyTextTest, NearMatchesNeedTheSameFigures) {
  PlanRecords records;
  const std::vector<std::pair<std::string, std::string>> rated = {
      {"A", "各所属の職場研修を支援し、受講者へ周知を行った。5所属で実施した"},
      {"B", "各所属の職場研修を支援し、受講者への周知を行った。5所属で実施した"},
      {"C", "各所属の職場研修を支援し、受講者へ周知を行った。6所属で実施した"},
      {"C", "実施しなかった"}};
  for (size_t i = 0; i < rated.size(); ++i) {
    v1::Initiative& initiative = records.initiatives.emplace_back();
    initiative.set_name(absl::StrCat("organizations/o/plans/p/initiatives/i", i));
    initiative.set_area("職員研修");
    initiative.set_number(static_cast<int>(i) + 1);
    initiative.set_title(absl::StrCat("取組", i));
    initiative.mutable_human_rating()->set_grade(rated[i].first);
    records.outcomes[initiative.name()].push_back(OutcomeWith(0, rated[i].second));
  }
  auto findings = FindInconsistencies(records);
  ASSERT_TRUE(findings.ok()) << findings.status();
  ASSERT_EQ(findings->size(), 1u);
  const v1::ConsistencyFinding& finding = findings->front();
  ASSERT_EQ(finding.initiatives_size(), 2);
  EXPECT_EQ(finding.initiatives(0), "organizations/o/plans/p/initiatives/i0");
  EXPECT_EQ(finding.initiatives(1), "organizations/o/plans/p/initiatives/i1");
  EXPECT_EQ(finding.human_grades(0), "A");
  EXPECT_EQ(finding.human_grades(1), "B");
  EXPECT_EQ(finding.titles(1), "職員研修 2 取組1");
  EXPECT_GE(finding.similarity(), kNearlyIdentical);
  EXPECT_LT(finding.similarity(), 1.0);
  EXPECT_EQ(finding.evidence(), rated[0].second);

  // The same grades make no finding.
  records.initiatives[1].mutable_human_rating()->set_grade("A");
  findings = FindInconsistencies(records);
  ASSERT_TRUE(findings.ok()) << findings.status();
  EXPECT_TRUE(findings->empty());
}

class DomainConsistencyTest : public DomainRatingsTest {};

TEST_F(DomainConsistencyTest, TheSeedsFirstFindingIsSoshikiBunka4And5) {
  const std::string plan = ImportSeed();
  ASSERT_FALSE(plan.empty());
  v1::CompareRatingsRequest compare;
  compare.set_plan(plan);
  auto compared = ratings_->Compare(compare);
  ASSERT_TRUE(compared.ok()) << compared.status();
  EXPECT_EQ(compared->compared(), 0);  // nothing computed yet: the check needs no rule set
  EXPECT_EQ(compared->not_computed(), 64);
  ASSERT_GE(compared->inconsistencies_size(), 1);
  const v1::ConsistencyFinding& first = compared->inconsistencies(0);
  ASSERT_EQ(first.initiatives_size(), 2);
  ASSERT_EQ(first.titles_size(), 2);
  EXPECT_TRUE(absl::StartsWith(first.titles(0), "組織文化 4 ")) << first.titles(0);
  EXPECT_TRUE(absl::StartsWith(first.titles(1), "組織文化 5 ")) << first.titles(1);
  EXPECT_EQ(first.human_grades(0), "B");
  EXPECT_EQ(first.human_grades(1), "A");
  EXPECT_DOUBLE_EQ(first.similarity(), 1.0);
  EXPECT_TRUE(absl::StrContains(first.evidence(), "地域貢献活動の手引き")) << first.evidence();
  // Every finding is a real one: at least two initiatives, grades that differ, in order of
  // similarity.
  double previous = 1.0;
  for (const v1::ConsistencyFinding& finding : compared->inconsistencies()) {
    ASSERT_GE(finding.initiatives_size(), 2);
    ASSERT_EQ(finding.human_grades_size(), finding.initiatives_size());
    std::set<std::string> grades(finding.human_grades().begin(), finding.human_grades().end());
    EXPECT_GE(grades.size(), 2u) << finding.evidence();
    EXPECT_LE(finding.similarity(), previous);
    EXPECT_GE(finding.similarity(), kNearlyIdentical);
    previous = finding.similarity();
  }
  std::cout << "consistency findings on the seed: " << compared->inconsistencies_size() << "\n";
  for (const v1::ConsistencyFinding& finding : compared->inconsistencies()) {
    std::cout << "  " << finding.similarity();
    for (int i = 0; i < finding.titles_size(); ++i)
      std::cout << " | " << finding.human_grades(i) << " " << finding.titles(i);
    std::cout << "\n";
  }
}

}  // namespace
}  // namespace torikumi::domain::testing
