// Per-resource validation rules. Each function adds every violation it finds (with the full
// field path and the offending value) instead of stopping at the first, so one round trip
// tells the caller everything that is wrong. Inputs are expected to be normalised already
// (normalize.h). Checks that need the store (parents, re-listed initiatives) live with the
// resource's domain class.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "services/common/errors.h"
#include "torikumi/v1/initiative_service.pb.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::domain {

// The longest plan period accepted, in fiscal years.
inline constexpr int kMaxPlanYears = 30;

// "'text'": how a violation quotes a string value.
std::string Quoted(absl::string_view text);

// True when `code` is one of the plan's grade codes.
bool IsGradeOnScale(const v1::Plan& plan, absl::string_view code);
// "A, B, C" — the plan's grade codes for messages.
std::string GradeCodes(const v1::Plan& plan);

// Records a violation on `field` unless `id` is empty or a valid resource id.
void ValidateOptionalId(absl::string_view id, absl::string_view field, FieldViolations* violations);

void ValidateOrganization(const v1::Organization& organization, absl::string_view path,
                          FieldViolations* violations);
void ValidatePlan(const v1::Plan& plan, absl::string_view path, FieldViolations* violations);
// Everything about an initiative that its plan decides: area, schedule years, grade. The
// re-listed link is checked for form, plan and self-reference here; its existence by the caller.
void ValidateInitiative(const v1::Initiative& initiative, const v1::Plan& plan,
                        absl::string_view path, FieldViolations* violations);
void ValidateOutcome(const v1::Outcome& outcome, const v1::Plan& plan, absl::string_view path,
                     FieldViolations* violations);
void ValidateInitiativeFilter(const v1::InitiativeFilter& filter, absl::string_view path,
                              FieldViolations* violations);
// 0 (every year) or a fiscal year torikumi accepts.
void ValidateFiscalYearFilter(int fiscal_year, absl::string_view field,
                              FieldViolations* violations);

}  // namespace torikumi::domain
