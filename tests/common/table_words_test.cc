// The one vocabulary of the table's words: every phase, kind and status has its word and
// name, each reads back to its enum value, and anything else reads as nothing.
#include "services/common/table_words.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace torikumi {
namespace {

TEST(CommonTableWordsTest, EveryPhaseHasAWordThatReadsBack) {
  std::set<int> phases;
  for (int value = v1::Phase_MIN; value <= v1::Phase_MAX; ++value) {
    if (!v1::Phase_IsValid(value) || value == v1::PHASE_UNSPECIFIED) continue;
    const auto phase = static_cast<v1::Phase>(value);
    ASSERT_FALSE(PhaseWord(phase).empty()) << v1::Phase_Name(phase);
    EXPECT_EQ(PhaseFromWord(PhaseWord(phase)), phase);
    phases.insert(value);
  }
  EXPECT_EQ(phases.size(), std::size(kPhaseWords));
  EXPECT_EQ(PhaseWord(v1::PHASE_IMPLEMENT), "実施");
  EXPECT_EQ(PhaseWord(v1::PHASE_UNSPECIFIED), "");
  EXPECT_EQ(PhaseFromWordOrName("Consider"), v1::PHASE_CONSIDER);
  EXPECT_EQ(PhaseFromWordOrName("検討"), v1::PHASE_CONSIDER);
  EXPECT_FALSE(PhaseFromWord("consider").has_value());  // the table writes the word only
  EXPECT_FALSE(PhaseFromWord("").has_value());
  EXPECT_FALSE(PhaseFromWordOrName("実施中").has_value());
}

TEST(CommonTableWordsTest, ContinuationAndNoPhaseMarks) {
  EXPECT_TRUE(IsContinuationMark(kContinuationMark));
  for (const char* arrow : {"⇒", "→", "⇨", "➡", "➔"}) EXPECT_TRUE(IsContinuationMark(arrow));
  EXPECT_FALSE(IsContinuationMark("⇒⇒"));
  EXPECT_FALSE(IsContinuationMark(kNoPhaseMark));
  EXPECT_FALSE(IsContinuationMark(""));
}

TEST(CommonTableWordsTest, EveryKindHasAWordThatReadsBack) {
  for (int value = v1::InitiativeKind_MIN; value <= v1::InitiativeKind_MAX; ++value) {
    if (!v1::InitiativeKind_IsValid(value) || value == v1::INITIATIVE_KIND_UNSPECIFIED) continue;
    const auto kind = static_cast<v1::InitiativeKind>(value);
    ASSERT_FALSE(KindWord(kind).empty()) << v1::InitiativeKind_Name(kind);
    EXPECT_EQ(KindFromWord(KindWord(kind)), kind);
  }
  EXPECT_EQ(KindWord(v1::INITIATIVE_KIND_NEW), "新規");
  EXPECT_EQ(KindFromWordOrName("CONTINUING"), v1::INITIATIVE_KIND_CONTINUING);
  EXPECT_EQ(KindWord(v1::INITIATIVE_KIND_UNSPECIFIED), "");
  EXPECT_FALSE(KindFromWord("新").has_value());
}

TEST(CommonTableWordsTest, EveryStatusHasANameAndTheMarkedOnesAWord) {
  for (int value = v1::OutcomeStatus_MIN; value <= v1::OutcomeStatus_MAX; ++value) {
    if (!v1::OutcomeStatus_IsValid(value) || value == v1::OUTCOME_STATUS_UNSPECIFIED) continue;
    const auto status = static_cast<v1::OutcomeStatus>(value);
    ASSERT_FALSE(StatusName(status).empty()) << v1::OutcomeStatus_Name(status);
    EXPECT_EQ(StatusFromWordOrName(StatusName(status)), status);
  }
  EXPECT_EQ(StatusWord(v1::OUTCOME_STATUS_IN_PROGRESS), "実施中");
  EXPECT_EQ(StatusWord(v1::OUTCOME_STATUS_SCHEDULED), "今後実施予定");
  EXPECT_EQ(StatusWord(v1::OUTCOME_STATUS_IMPLEMENTED), "");
  EXPECT_EQ(StatusFromWordOrName("今後実施予定"), v1::OUTCOME_STATUS_SCHEDULED);
  EXPECT_EQ(StatusFromWordOrName("In-Progress"), v1::OUTCOME_STATUS_IN_PROGRESS);
  EXPECT_FALSE(StatusFromWordOrName("").has_value());
  // The markers in outcome text are the note mark and the status word.
  EXPECT_EQ(kInProgressMarker,
            std::string(kNoteMark) + std::string(StatusWord(v1::OUTCOME_STATUS_IN_PROGRESS)));
  EXPECT_EQ(kScheduledMarker,
            std::string(kNoteMark) + std::string(StatusWord(v1::OUTCOME_STATUS_SCHEDULED)));
}

TEST(CommonTableWordsTest, RelistMarkers) {
  EXPECT_EQ(kRelistMarker, std::string("（") + std::string(kRelistWord) + "）");
  EXPECT_EQ(kRelistRawMarkers[0], kRelistMarker);  // the writers' form is read back
  for (absl::string_view marker : kRelistNormMarkers) {
    EXPECT_NE(marker.find(kRelistWord), absl::string_view::npos) << marker;
  }
}

}  // namespace
}  // namespace torikumi
