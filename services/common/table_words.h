// The words of the published 取組状況 table, in one place: schedule phases (研究 検討 試行
// 実施) and marks (⇒, －), 区分 (新規 継続), outcome statuses (※実施中, ※今後実施予定) and the
// （再掲） marker. The table reader reads them, the table writers print them and the CLI
// shows and accepts them, so each word is spelled once.
//
// Each enum value also has a short English name, the CLI's flag value (`--status
// in-progress`, `--schedule R1=implement`), which the CLI prints where the table has no word.
#pragma once

#include <optional>

#include "absl/strings/string_view.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi {

// One enum value with its word in the table (empty when the table has none) and its
// English name.
template <typename Enum>
struct TableWord {
  Enum value;
  absl::string_view word;  // as the table writes it
  absl::string_view name;  // the CLI's English name
};

// A schedule year's phase.
inline constexpr TableWord<v1::Phase> kPhaseWords[] = {
    {v1::PHASE_RESEARCH, "研究", "research"},
    {v1::PHASE_CONSIDER, "検討", "consider"},
    {v1::PHASE_TRIAL, "試行", "trial"},
    {v1::PHASE_IMPLEMENT, "実施", "implement"},
};

// 研究 検討 試行 実施; empty for PHASE_UNSPECIFIED.
absl::string_view PhaseWord(v1::Phase phase);
// The phase a (normalised) table word names; nullopt for anything else.
std::optional<v1::Phase> PhaseFromWord(absl::string_view word);
// The phase a table word or an English name (any case) names.
std::optional<v1::Phase> PhaseFromWordOrName(absl::string_view text);

// A schedule year that continues the year before: the writers print ⇒; the reader also
// takes the other arrows departments type.
inline constexpr absl::string_view kContinuationMark = "⇒";
inline constexpr absl::string_view kContinuationMarks[] = {"⇒", "→", "⇨", "➡", "➔"};
bool IsContinuationMark(absl::string_view text);
// A year with no phase, as the writers print it (the reader takes any dash).
inline constexpr absl::string_view kNoPhaseMark = "－";

// 区分: a new initiative of this plan or one continued from the previous plan.
inline constexpr TableWord<v1::InitiativeKind> kKindWords[] = {
    {v1::INITIATIVE_KIND_NEW, "新規", "new"},
    {v1::INITIATIVE_KIND_CONTINUING, "継続", "continuing"},
};
// 新規 継続; empty for INITIATIVE_KIND_UNSPECIFIED.
absl::string_view KindWord(v1::InitiativeKind kind);
std::optional<v1::InitiativeKind> KindFromWord(absl::string_view word);
// The kind a table word or an English name (any case) names.
std::optional<v1::InitiativeKind> KindFromWordOrName(absl::string_view text);

// An outcome's status. The table marks two of them in the outcome text (※実施中,
// ※今後実施予定); the others have no word of the table (`word` empty).
inline constexpr TableWord<v1::OutcomeStatus> kStatusWords[] = {
    {v1::OUTCOME_STATUS_IMPLEMENTED, "", "implemented"},
    {v1::OUTCOME_STATUS_PARTLY_IMPLEMENTED, "", "partly"},
    {v1::OUTCOME_STATUS_NOT_IMPLEMENTED, "", "not-implemented"},
    {v1::OUTCOME_STATUS_IN_PROGRESS, "実施中", "in-progress"},
    {v1::OUTCOME_STATUS_SCHEDULED, "今後実施予定", "scheduled"},
    {v1::OUTCOME_STATUS_UNKNOWN, "", "unknown"},
};
// The note mark before a status word in an outcome cell: 支援人数 0人※実施中.
inline constexpr absl::string_view kNoteMark = "※";
inline constexpr absl::string_view kInProgressMarker = "※実施中";
inline constexpr absl::string_view kScheduledMarker = "※今後実施予定";
// 実施中 今後実施予定, or empty for a status the table has no word for.
absl::string_view StatusWord(v1::OutcomeStatus status);
// implemented partly not-implemented in-progress scheduled unknown; empty when unspecified.
absl::string_view StatusName(v1::OutcomeStatus status);
// The status a table word or an English name (any case) names.
std::optional<v1::OutcomeStatus> StatusFromWordOrName(absl::string_view text);

// （再掲）: the initiative lists again one found elsewhere in the plan. The writers print
// kRelistMarker; the reader takes every variant (raw cell text, and after NFKC).
inline constexpr absl::string_view kRelistWord = "再掲";
inline constexpr absl::string_view kRelistMarker = "（再掲）";
inline constexpr absl::string_view kRelistRawMarkers[] = {"（再掲）", "(再掲)", "【再掲】",
                                                          "［再掲］", "[再掲]"};
inline constexpr absl::string_view kRelistNormMarkers[] = {"(再掲)", "【再掲】", "[再掲]"};

}  // namespace torikumi
