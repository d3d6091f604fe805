#include "services/domain/validation.h"

#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "services/common/fiscal_year.h"
#include "services/common/resource_name.h"
#include "services/domain/field_path.h"
#include "services/domain/normalize.h"
#include "services/domain/text_limits.h"

namespace torikumi::domain {
namespace {

std::string PeriodText(const v1::Plan& plan) {
  return absl::StrCat(plan.period().first_fiscal_year(), "..", plan.period().last_fiscal_year());
}

bool InPeriod(const v1::Plan& plan, int fiscal_year) {
  return fiscal_year >= plan.period().first_fiscal_year() &&
         fiscal_year <= plan.period().last_fiscal_year();
}

void ValidateFiscalYearBounds(int fiscal_year, const std::string& field,
                              FieldViolations* violations) {
  if (fiscal_year < kMinFiscalYear || fiscal_year > kMaxFiscalYear) {
    violations->Add(field, absl::StrCat(fiscal_year, " is not a fiscal year in ", kMinFiscalYear,
                                        "..", kMaxFiscalYear));
  }
}

// Finite, and not negative when `non_negative`.
void ValidateNumber(double value, bool non_negative, const std::string& field,
                    FieldViolations* violations) {
  if (!std::isfinite(value)) {
    violations->Add(field, absl::StrCat(value, " is not a finite number"));
  } else if (non_negative && value < 0) {
    violations->Add(field, absl::StrCat(value, " is negative"));
  }
}

}  // namespace

std::string Quoted(absl::string_view text) { return absl::StrCat("'", text, "'"); }

bool IsGradeOnScale(const v1::Plan& plan, absl::string_view code) {
  for (const v1::Grade& grade : plan.rating_scale().grades()) {
    if (grade.code() == code) return true;
  }
  return false;
}

std::string GradeCodes(const v1::Plan& plan) {
  return absl::StrJoin(plan.rating_scale().grades(), ", ",
                       [](std::string* out, const v1::Grade& g) { out->append(g.code()); });
}

void ValidateOptionalId(absl::string_view id, absl::string_view field,
                        FieldViolations* violations) {
  if (id.empty() || IsValidId(id)) return;
  violations->Add(std::string(field),
                  absl::StrCat(Quoted(id),
                               " is not a valid id: use 1-63 of a-z, 0-9 and '-', starting with "
                               "a letter and not ending with '-'"));
}

void ValidateOrganization(const v1::Organization& organization, absl::string_view path,
                          FieldViolations* violations) {
  CheckOrganizationSizes(organization, path, violations);
  if (organization.display_name().empty()) {
    violations->Add(FieldPath(path, "display_name"), "is required");
  }
}

void ValidatePlan(const v1::Plan& plan, absl::string_view path, FieldViolations* violations) {
  CheckPlanSizes(plan, path, violations);
  if (plan.title().empty()) violations->Add(FieldPath(path, "title"), "is required");

  std::string period_path = FieldPath(path, "period");
  if (!plan.has_period()) {
    violations->Add(period_path, "is required: the first and last fiscal year of the plan");
  } else {
    const int first = plan.period().first_fiscal_year();
    const int last = plan.period().last_fiscal_year();
    std::string first_path = FieldPath(period_path, "first_fiscal_year");
    std::string last_path = FieldPath(period_path, "last_fiscal_year");
    ValidateFiscalYearBounds(first, first_path, violations);
    ValidateFiscalYearBounds(last, last_path, violations);
    if (last < first) {
      violations->Add(last_path, absl::StrCat(last, " is before first_fiscal_year ", first));
    } else if (last - first + 1 > kMaxPlanYears) {
      violations->Add(last_path,
                      absl::StrCat(first, "..", last, " spans ", last - first + 1,
                                   " fiscal years; a plan covers at most ", kMaxPlanYears));
    }
  }

  std::map<std::string, int> seen_areas;
  for (int i = 0; i < plan.areas_size(); ++i) {
    std::string field = IndexedFieldPath(path, "areas", i);
    const std::string& area = plan.areas(i);
    if (area.empty()) {
      violations->Add(field, "is empty");
      continue;
    }
    // ＯＪＴ研修 and OJT研修 would be one area spelled two ways.
    auto [it, inserted] = seen_areas.emplace(MatchingKey(area), i);
    if (!inserted) {
      violations->Add(field, absl::StrCat(Quoted(area), " repeats areas[", it->second, "]"));
    }
  }

  std::map<std::string, int> seen_codes;
  for (int i = 0; i < plan.rating_scale().grades_size(); ++i) {
    const v1::Grade& grade = plan.rating_scale().grades(i);
    std::string grade_path = IndexedFieldPath(FieldPath(path, "rating_scale"), "grades", i);
    if (grade.code().empty()) {
      violations->Add(FieldPath(grade_path, "code"), "is required");
    } else {
      auto [it, inserted] = seen_codes.emplace(grade.code(), i);
      if (!inserted) {
        violations->Add(FieldPath(grade_path, "code"),
                        absl::StrCat(Quoted(grade.code()), " repeats grades[", it->second, "]"));
      }
    }
    if (grade.label().empty()) violations->Add(FieldPath(grade_path, "label"), "is required");
  }
}

void ValidateInitiative(const v1::Initiative& initiative, const v1::Plan& plan,
                        absl::string_view path, FieldViolations* violations) {
  CheckInitiativeSizes(initiative, path, violations);
  std::string area_path = FieldPath(path, "area");
  if (initiative.area().empty()) {
    violations->Add(area_path, "is required");
  } else {
    bool known = false;
    const std::string key = MatchingKey(initiative.area());
    for (const std::string& area : plan.areas()) known = known || MatchingKey(area) == key;
    if (!known) {
      violations->Add(area_path, absl::StrCat(Quoted(initiative.area()), " is not an area of plan ",
                                              plan.name(),
                                              " (areas: ", absl::StrJoin(plan.areas(), ", "), ")"));
    }
  }
  if (initiative.number() < 1) {
    violations->Add(FieldPath(path, "number"),
                    absl::StrCat(initiative.number(), " is not a positive number"));
  }
  if (initiative.title().empty()) violations->Add(FieldPath(path, "title"), "is required");
  if (!v1::InitiativeKind_IsValid(initiative.kind())) {
    violations->Add(FieldPath(path, "kind"),
                    absl::StrCat(initiative.kind(), " is not a known kind"));
  }

  std::map<int, int> seen_years;
  for (int i = 0; i < initiative.schedule_size(); ++i) {
    const v1::ScheduleEntry& entry = initiative.schedule(i);
    std::string entry_path = IndexedFieldPath(path, "schedule", i);
    std::string year_path = FieldPath(entry_path, "fiscal_year");
    if (!InPeriod(plan, entry.fiscal_year())) {
      violations->Add(year_path, absl::StrCat(entry.fiscal_year(), " is outside the plan period ",
                                              PeriodText(plan)));
    } else {
      auto [it, inserted] = seen_years.emplace(entry.fiscal_year(), i);
      if (!inserted) {
        violations->Add(year_path, absl::StrCat(entry.fiscal_year(), " repeats schedule[",
                                                it->second, "]: one phase per fiscal year"));
      }
    }
    if (entry.phase() == v1::PHASE_UNSPECIFIED || !v1::Phase_IsValid(entry.phase())) {
      violations->Add(FieldPath(entry_path, "phase"),
                      absl::StrCat(v1::Phase_IsValid(entry.phase())
                                       ? v1::Phase_Name(entry.phase())
                                       : absl::StrCat(static_cast<int>(entry.phase())),
                                   " is not a phase: use research, consider, trial or implement"));
    }
  }

  if (!initiative.relists().empty()) {
    std::string relists_path = FieldPath(path, "relists");
    absl::StatusOr<InitiativeName> target = ParseInitiativeName(initiative.relists(), relists_path);
    if (!target.ok()) {
      violations->Add(relists_path,
                      absl::StrCat(Quoted(initiative.relists()), " is not an initiative name"));
    } else if (target->PlanName() != plan.name()) {
      violations->Add(relists_path, absl::StrCat(Quoted(initiative.relists()),
                                                 " is not an initiative of plan ", plan.name()));
    } else if (initiative.relists() == initiative.name()) {
      violations->Add(relists_path,
                      absl::StrCat(Quoted(initiative.relists()), " is the initiative itself"));
    }
  }

  if (initiative.has_human_rating() && !initiative.human_rating().grade().empty()) {
    const std::string& grade = initiative.human_rating().grade();
    std::string grade_path = FieldPath(FieldPath(path, "human_rating"), "grade");
    if (plan.rating_scale().grades().empty()) {
      violations->Add(grade_path, absl::StrCat(Quoted(grade), " cannot be recorded: plan ",
                                               plan.name(), " has no rating scale"));
    } else if (!IsGradeOnScale(plan, grade)) {
      violations->Add(grade_path, absl::StrCat(Quoted(grade), " is not a grade of plan ",
                                               plan.name(), " (grades: ", GradeCodes(plan), ")"));
    }
  }
}

void ValidateOutcome(const v1::Outcome& outcome, const v1::Plan& plan, absl::string_view path,
                     FieldViolations* violations) {
  CheckOutcomeSizes(outcome, path, violations);
  if (outcome.fiscal_year() != 0 && !InPeriod(plan, outcome.fiscal_year())) {
    violations->Add(FieldPath(path, "fiscal_year"),
                    absl::StrCat(outcome.fiscal_year(), " is outside the plan period ",
                                 PeriodText(plan), " (0 means the whole period)"));
  }
  if (!v1::OutcomeStatus_IsValid(outcome.status())) {
    violations->Add(FieldPath(path, "status"),
                    absl::StrCat(static_cast<int>(outcome.status()), " is not a known status"));
  }
  for (int i = 0; i < outcome.metrics_size(); ++i) {
    const v1::Metric& metric = outcome.metrics(i);
    std::string metric_path = IndexedFieldPath(path, "metrics", i);
    ValidateNumber(metric.value(), /*non_negative=*/false, FieldPath(metric_path, "value"),
                   violations);
    if (metric.has_out_of()) {
      ValidateNumber(metric.out_of(), true, FieldPath(metric_path, "out_of"), violations);
    }
    if (metric.has_target()) {
      ValidateNumber(metric.target(), true, FieldPath(metric_path, "target"), violations);
    }
  }
  if (outcome.has_as_of()) {
    const v1::Date& date = outcome.as_of();
    // CivilDay normalises out-of-range fields (2022-02-30 → 2022-03-02); a real date survives.
    absl::CivilDay day(date.year(), date.month(), date.day());
    if (date.year() < 1 || date.year() > 9999 || day.year() != date.year() ||
        day.month() != date.month() || day.day() != date.day()) {
      violations->Add(
          FieldPath(path, "as_of"),
          absl::StrCat(date.year(), "-", date.month(), "-", date.day(), " is not a calendar date"));
    }
  }
}

void ValidateInitiativeFilter(const v1::InitiativeFilter& filter, absl::string_view path,
                              FieldViolations* violations) {
  if (!v1::InitiativeKind_IsValid(filter.kind())) {
    violations->Add(FieldPath(path, "kind"),
                    absl::StrCat(static_cast<int>(filter.kind()), " is not a known kind"));
  }
  ValidateFiscalYearFilter(filter.fiscal_year(), FieldPath(path, "fiscal_year"), violations);
}

void ValidateFiscalYearFilter(int fiscal_year, absl::string_view field,
                              FieldViolations* violations) {
  if (fiscal_year != 0) ValidateFiscalYearBounds(fiscal_year, std::string(field), violations);
}

}  // namespace torikumi::domain
