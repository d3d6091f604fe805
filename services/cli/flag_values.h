// Parsers for the values of CLI flags that carry structure: periods, areas, rating scales,
// schedules, metrics, dates, kinds and statuses. Each returns INVALID_ARGUMENT with a
// message that quotes the part it could not read; the caller prefixes the flag name.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::cli {

// "H30-R4", "2018-2022", "平成30年度～令和4年度", or one year "R4".
absl::StatusOr<v1::Period> ParsePeriodFlag(absl::string_view text);

// "職員研修,組織文化" (also separated by 、); surrounding 【】 are dropped.
absl::StatusOr<std::vector<std::string>> ParseAreasFlag(absl::string_view text);

// "A=実施できた,B=概ね実施できた:一部実施できなかった,C=実施できなかった":
// CODE=LABEL with an optional :MEANING, best grade first.
absl::StatusOr<v1::RatingScale> ParseScaleFlag(absl::string_view text);

// "H30=検討,R1=実施,R2=⇒": YEAR=PHASE, where a phase is 研究|検討|試行|実施 (or research,
// consider, trial, implement) and ⇒ (or "same") repeats the phase of the year before,
// marking the entry as a continuation. Entries come back ordered by fiscal year.
absl::StatusOr<std::vector<v1::ScheduleEntry>> ParseScheduleFlag(absl::string_view text);

// "庁内=468人,自治研=122人,努力賞=7件/20": [LABEL=]VALUE[UNIT][/OUT_OF]; the seed's own
// "7件（計20件中）" form is accepted for OUT_OF too.
absl::StatusOr<std::vector<v1::Metric>> ParseMetricsFlag(absl::string_view text);

// "2022-08-31" or "2022/8/31".
absl::StatusOr<v1::Date> ParseDateFlag(absl::string_view text);

// new|continuing, or 新規|継続.
absl::StatusOr<v1::InitiativeKind> ParseKindFlag(absl::string_view text);

// implemented|partly|not-implemented|in-progress|scheduled|unknown (or 実施中, 今後実施予定).
absl::StatusOr<v1::OutcomeStatus> ParseStatusFlag(absl::string_view text);

// A fiscal year in any form ParseFiscalYear reads; with allow_period, "period" gives 0
// (the outcome for the whole plan period).
absl::StatusOr<int> ParseYearFlag(absl::string_view text, bool allow_period);

// A whole number such as "12".
absl::StatusOr<int> ParseIntFlag(absl::string_view text);

}  // namespace torikumi::cli
