// Input normalisation before validation: text people type (titles, areas, themes, grade
// codes) is NFKC-normalised and trimmed, so full-width digits, letters, brackets and the
// ideographic space compare equal to their ASCII forms. Outcome text is the exception: it
// is published as the department wrote it, so it is only checked to be UTF-8.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "services/common/errors.h"
#include "torikumi/v1/initiative_service.pb.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::domain {

// NFKC + trim of `*text` in place. Invalid UTF-8 is recorded on `field` and leaves the text as is.
void NormalizeText(std::string* text, absl::string_view field, FieldViolations* violations);

// NormalizeText, then drops one pair of surrounding 【】 (the seed writes areas as 【職員研修】,
// the plan stores them bare).
void NormalizeArea(std::string* area, absl::string_view field, FieldViolations* violations);

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
