#include "services/cli/display.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "services/common/fiscal_year.h"
#include "services/common/table_words.h"

namespace torikumi::cli {

std::string FormatYear(int fiscal_year) {
  return fiscal_year == 0 ? "period" : FormatFiscalYearShort(fiscal_year);
}

std::string FormatPeriod(const v1::Period& period) {
  if (period.first_fiscal_year() == 0 && period.last_fiscal_year() == 0) return "";
  return absl::StrCat(FormatFiscalYearShort(period.first_fiscal_year()), "-",
                      FormatFiscalYearShort(period.last_fiscal_year()));
}

std::string FormatScale(const v1::RatingScale& scale) {
  std::vector<std::string> grades;
  for (const auto& grade : scale.grades()) {
    std::string text = absl::StrCat(grade.code(), "=", grade.label());
    if (!grade.meaning().empty()) absl::StrAppend(&text, ":", grade.meaning());
    grades.push_back(std::move(text));
  }
  return absl::StrJoin(grades, ", ");
}

std::string FormatPhase(v1::Phase phase) {
  absl::string_view word = PhaseWord(phase);
  return word.empty() ? "?" : std::string(word);
}

std::string FormatSchedule(const google::protobuf::RepeatedPtrField<v1::ScheduleEntry>& schedule) {
  std::vector<std::string> cells;
  for (const auto& entry : schedule) {
    cells.push_back(
        absl::StrCat(FormatFiscalYearShort(entry.fiscal_year()), "=",
                     entry.continuation() ? kContinuationMark : FormatPhase(entry.phase())));
  }
  return absl::StrJoin(cells, ", ");
}

std::string FormatKind(v1::InitiativeKind kind) { return std::string(KindWord(kind)); }

std::string FormatStatus(v1::OutcomeStatus status) { return std::string(StatusName(status)); }

std::string FormatMetric(const v1::Metric& metric) {
  // %g prints 468 as "468" and 1.5 as "1.5".
  std::string text = absl::StrFormat("%g%s", metric.value(), metric.unit());
  if (metric.has_out_of()) absl::StrAppendFormat(&text, "/%g", metric.out_of());
  if (metric.has_target()) absl::StrAppendFormat(&text, " (target %g)", metric.target());
  return metric.label().empty() ? text : absl::StrCat(metric.label(), "=", text);
}

std::string FormatMetrics(const google::protobuf::RepeatedPtrField<v1::Metric>& metrics) {
  std::vector<std::string> parts;
  for (const auto& metric : metrics) parts.push_back(FormatMetric(metric));
  return absl::StrJoin(parts, ", ");
}

std::string FormatDate(const v1::Date& date) {
  if (date.year() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  absl::Time time = absl::FromUnixSeconds(timestamp.seconds());
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %z", time, absl::LocalTimeZone());
}

std::string FormatRating(const v1::HumanRating& rating) {
  if (rating.grade().empty()) return "";
  std::string text = rating.grade();
  if (!rating.rater().empty()) absl::StrAppend(&text, " by ", rating.rater());
  if (rating.has_rate_time()) absl::StrAppend(&text, " at ", FormatTimestamp(rating.rate_time()));
  if (!rating.reason().empty()) absl::StrAppend(&text, ": ", rating.reason());
  return text;
}

std::string LastSegment(absl::string_view name) {
  size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

}  // namespace torikumi::cli
