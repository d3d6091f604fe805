#include "services/domain/text_limits.h"

#include "absl/strings/str_cat.h"
#include "services/domain/field_path.h"

namespace torikumi::domain {
namespace {

// Code points in UTF-8 `text`: every byte that does not continue a sequence starts one.
size_t CharacterCount(absl::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

void CheckListSize(int size, const std::string& field, FieldViolations* violations) {
  if (size > kMaxListEntries) {
    violations->Add(field,
                    absl::StrCat("has ", size, " entries, over the limit of ", kMaxListEntries));
  }
}

}  // namespace

void CheckTextLength(absl::string_view text, size_t max_chars, const std::string& field,
                     FieldViolations* violations) {
  // Bytes bound characters from above, so most texts need no count at all.
  if (text.size() <= max_chars) return;
  const size_t chars = CharacterCount(text);
  if (chars > max_chars) {
    violations->Add(field, absl::StrCat("is ", chars, " characters long, over the limit of ",
                                        max_chars, " characters"));
  }
}

void CheckOrganizationSizes(const v1::Organization& organization, absl::string_view path,
                            FieldViolations* violations) {
  CheckTextLength(organization.display_name(), kMaxLabelChars, FieldPath(path, "display_name"),
                  violations);
}

void CheckPlanSizes(const v1::Plan& plan, absl::string_view path, FieldViolations* violations) {
  CheckTextLength(plan.title(), kMaxTitleChars, FieldPath(path, "title"), violations);
  CheckListSize(plan.areas_size(), FieldPath(path, "areas"), violations);
  for (int i = 0; i < plan.areas_size() && i < kMaxListEntries; ++i)
    CheckTextLength(plan.areas(i), kMaxLabelChars, IndexedFieldPath(path, "areas", i), violations);
  const std::string scale = FieldPath(path, "rating_scale");
  CheckListSize(plan.rating_scale().grades_size(), FieldPath(scale, "grades"), violations);
  for (int i = 0; i < plan.rating_scale().grades_size() && i < kMaxListEntries; ++i) {
    const v1::Grade& grade = plan.rating_scale().grades(i);
    const std::string at = IndexedFieldPath(scale, "grades", i);
    CheckTextLength(grade.code(), kMaxLabelChars, FieldPath(at, "code"), violations);
    CheckTextLength(grade.label(), kMaxLabelChars, FieldPath(at, "label"), violations);
    CheckTextLength(grade.meaning(), kMaxTitleChars, FieldPath(at, "meaning"), violations);
  }
}

void CheckInitiativeSizes(const v1::Initiative& initiative, absl::string_view path,
                          FieldViolations* violations) {
  CheckTextLength(initiative.title(), kMaxTitleChars, FieldPath(path, "title"), violations);
  CheckTextLength(initiative.area(), kMaxLabelChars, FieldPath(path, "area"), violations);
  CheckTextLength(initiative.theme(), kMaxTitleChars, FieldPath(path, "theme"), violations);
  CheckTextLength(initiative.subtheme(), kMaxTitleChars, FieldPath(path, "subtheme"), violations);
  const std::string rating = FieldPath(path, "human_rating");
  CheckTextLength(initiative.human_rating().rater(), kMaxLabelChars, FieldPath(rating, "rater"),
                  violations);
  CheckTextLength(initiative.human_rating().reason(), kMaxTextChars, FieldPath(rating, "reason"),
                  violations);
}

void CheckOutcomeSizes(const v1::Outcome& outcome, absl::string_view path,
                       FieldViolations* violations) {
  CheckTextLength(outcome.text(), kMaxTextChars, FieldPath(path, "text"), violations);
  CheckListSize(outcome.metrics_size(), FieldPath(path, "metrics"), violations);
  for (int i = 0; i < outcome.metrics_size() && i < kMaxListEntries; ++i) {
    const std::string at = IndexedFieldPath(path, "metrics", i);
    CheckTextLength(outcome.metrics(i).label(), kMaxLabelChars, FieldPath(at, "label"), violations);
    CheckTextLength(outcome.metrics(i).unit(), kMaxLabelChars, FieldPath(at, "unit"), violations);
  }
}

}  // namespace torikumi::domain
