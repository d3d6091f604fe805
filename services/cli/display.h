// Short, human-readable renderings of API values for tables and field lists: fiscal years
// as H30/R1…, kinds as 新規/継続, phases as 研究/検討/試行/実施. Flag-shaped where possible,
// so what the CLI prints can be typed back into it.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::cli {

// "H30" for 2018, "period" for 0 (the whole-period outcome).
std::string FormatYear(int fiscal_year);
// "H30-R4"; empty when unset.
std::string FormatPeriod(const v1::Period& period);
// "A=実施できた, B=概ね実施できた:一部実施できなかった" (the --scale form).
std::string FormatScale(const v1::RatingScale& scale);
std::string FormatPhase(v1::Phase phase);
// "H30=検討, R1=実施, R2=⇒" (the --schedule form).
std::string FormatSchedule(const google::protobuf::RepeatedPtrField<v1::ScheduleEntry>& schedule);
// "新規", "継続", or empty.
std::string FormatKind(v1::InitiativeKind kind);
// "implemented", "partly", … (the --status words), or empty.
std::string FormatStatus(v1::OutcomeStatus status);
// "庁内=468人", "努力賞=7件/20" (the --metric form).
std::string FormatMetric(const v1::Metric& metric);
std::string FormatMetrics(const google::protobuf::RepeatedPtrField<v1::Metric>& metrics);
// "2022-08-31"; empty when unset.
std::string FormatDate(const v1::Date& date);
// Local time, "2022-09-01 10:00:00 +0900"; empty when unset.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);
// "A by 山田 at 2022-09-01 10:00:00 +0900: reason"; empty when not rated.
std::string FormatRating(const v1::HumanRating& rating);

// The last segment of a resource name: "i12" for ".../initiatives/i12".
std::string LastSegment(absl::string_view name);

}  // namespace torikumi::cli
