// How long the text of a stored field may be, and how many entries a list field may hold.
// A real plan's longest text is an outcome of a few hundred characters; the limits leave
// room for far more, but keep one request from storing megabytes in a title. Counted in
// characters (Unicode code points), so a Japanese title gets as many as an English one.
#pragma once

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "services/common/errors.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::domain {

// Names and short labels: a display name, an area, a theme, a grade's label, a metric's unit.
inline constexpr size_t kMaxLabelChars = 200;
// Titles and a grade's meaning.
inline constexpr size_t kMaxTitleChars = 1000;
// An outcome's text (取組状況) and a human rating's reason.
inline constexpr size_t kMaxTextChars = 20000;
// Areas of a plan, grades of a scale, metrics of an outcome.
inline constexpr int kMaxListEntries = 100;

// Adds a violation on `field` when `text` has more than `max_chars` characters.
void CheckTextLength(absl::string_view text, size_t max_chars, const std::string& field,
                     FieldViolations* violations);

// Every text and list field of the resource, at `path` ("plan", "initiatives[3]"…).
void CheckOrganizationSizes(const v1::Organization& organization, absl::string_view path,
                            FieldViolations* violations);
void CheckPlanSizes(const v1::Plan& plan, absl::string_view path, FieldViolations* violations);
void CheckInitiativeSizes(const v1::Initiative& initiative, absl::string_view path,
                          FieldViolations* violations);
void CheckOutcomeSizes(const v1::Outcome& outcome, absl::string_view path,
                       FieldViolations* violations);

}  // namespace torikumi::domain
