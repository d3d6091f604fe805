// Input normalisation before validation. Names a table publishes — plan titles, areas,
// themes, subtheme and initiative titles — are kept as written (trimmed, checked to be UTF-8):
// a city republishes its table and expects ＯＪＴ and 令和５年度 back as it typed them. Their
// NFKC form (MatchingKey) is what compares, searches and goes to the evaluators, so full-width
// digits, letters and brackets still match their ASCII forms. Codes and filters people type
// (grade codes, raters, metric labels, search text) are NFKC-normalised in place. Outcome
// text is published as the department wrote it, so it is only checked to be UTF-8.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "services/common/errors.h"
#include "torikumi/v1/initiative_service.pb.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::domain {

// NFKC + trim of `*text` in place. Invalid UTF-8 is recorded on `field` and leaves the text as is.
void NormalizeText(std::string* text, absl::string_view field, FieldViolations* violations);

// Trims `*text` (ASCII, ideographic and no-break spaces) and checks that it is UTF-8, keeping it as
// written otherwise.
void KeepText(std::string* text, absl::string_view field, FieldViolations* violations);

// KeepText, then drops one pair of surrounding 【】 (the seed writes areas as 【職員研修】,
// the plan stores them bare).
void KeepArea(std::string* area, absl::string_view field, FieldViolations* violations);

// The form in which names compare: NFKC, trimmed, without surrounding 【】. Text that is not
// UTF-8 comes back as it is (validation reports it).
std::string MatchingKey(absl::string_view text);

// Sets the initiative's area to the plan's spelling of it, when the two match by MatchingKey
// (ＯＪＴ研修 given for a plan's OJT研修), so that an area is spelled one way in a plan.
void AdoptPlanArea(const v1::Plan& plan, v1::Initiative* initiative);

// Area, theme, subtheme and title in their MatchingKey form: what the evaluators are given.
void UseMatchingKeys(v1::Initiative* initiative);

// Checks that `text` is UTF-8 without changing it.
void CheckUtf8(absl::string_view text, absl::string_view field, FieldViolations* violations);

// Each function normalises the text fields of one resource in place; `path` is the field
// path of the message in the request (e.g. "plan", "requests[2].initiative").
void NormalizeOrganization(v1::Organization* organization, absl::string_view path,
                           FieldViolations* violations);
void NormalizePlan(v1::Plan* plan, absl::string_view path, FieldViolations* violations);
void NormalizeInitiative(v1::Initiative* initiative, absl::string_view path,
                         FieldViolations* violations);
void NormalizeOutcome(v1::Outcome* outcome, absl::string_view path, FieldViolations* violations);
void NormalizeInitiativeFilter(v1::InitiativeFilter* filter, absl::string_view path,
                               FieldViolations* violations);

}  // namespace torikumi::domain
