#include "services/domain/normalize.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/text.h"
#include "services/domain/field_path.h"
#include "services/table/text_util.h"

namespace torikumi::domain {

void NormalizeText(std::string* text, absl::string_view field, FieldViolations* violations) {
  if (text->empty()) return;
  absl::StatusOr<std::string> normalized = NormalizeNfkc(*text);
  if (!normalized.ok()) {
    violations->Add(std::string(field), std::string(normalized.status().message()));
    return;
  }
  *text = std::string(absl::StripAsciiWhitespace(*normalized));
}

namespace {

// Drops one pair of surrounding 【】.
absl::string_view Bare(absl::string_view area) {
  absl::string_view bare = area;
  if (absl::ConsumePrefix(&bare, "【") && absl::ConsumeSuffix(&bare, "】"))
    return table::TrimSpaces(bare);
  return area;
}

}  // namespace

void KeepText(std::string* text, absl::string_view field, FieldViolations* violations) {
  if (text->empty()) return;
  if (!IsValidUtf8(*text)) {
    CheckUtf8(*text, field, violations);
    return;
  }
  *text = std::string(table::TrimSpaces(*text));
}

void KeepArea(std::string* area, absl::string_view field, FieldViolations* violations) {
  KeepText(area, field, violations);
  if (IsValidUtf8(*area)) *area = std::string(Bare(*area));
}

std::string MatchingKey(absl::string_view text) {
  absl::StatusOr<std::string> normalized = NormalizeNfkc(text);
  if (!normalized.ok()) return std::string(text);
  return std::string(Bare(absl::StripAsciiWhitespace(*normalized)));
}

void AdoptPlanArea(const v1::Plan& plan, v1::Initiative* initiative) {
  const std::string key = MatchingKey(initiative->area());
  for (const std::string& area : plan.areas()) {
    if (MatchingKey(area) == key) {
      initiative->set_area(area);
      return;
    }
  }
}

void UseMatchingKeys(v1::Initiative* initiative) {
  initiative->set_area(MatchingKey(initiative->area()));
  initiative->set_theme(MatchingKey(initiative->theme()));
  initiative->set_subtheme(MatchingKey(initiative->subtheme()));
  initiative->set_title(MatchingKey(initiative->title()));
}

void CheckUtf8(absl::string_view text, absl::string_view field, FieldViolations* violations) {
  if (IsValidUtf8(text)) return;
  // NormalizeNfkc's message names the byte offset of the first bad sequence.
  absl::StatusOr<std::string> probe = NormalizeNfkc(text);
  violations->Add(std::string(field), probe.ok() ? std::string("is not valid UTF-8")
                                                 : std::string(probe.status().message()));
}

void NormalizeOrganization(v1::Organization* organization, absl::string_view path,
                           FieldViolations* violations) {
  NormalizeText(organization->mutable_display_name(), FieldPath(path, "display_name"), violations);
}

void NormalizePlan(v1::Plan* plan, absl::string_view path, FieldViolations* violations) {
  KeepText(plan->mutable_title(), FieldPath(path, "title"), violations);
  for (int i = 0; i < plan->areas_size(); ++i) {
    KeepArea(plan->mutable_areas(i), IndexedFieldPath(path, "areas", i), violations);
  }
  for (int i = 0; i < plan->rating_scale().grades_size(); ++i) {
    v1::Grade* grade = plan->mutable_rating_scale()->mutable_grades(i);
    std::string grade_path = IndexedFieldPath(FieldPath(path, "rating_scale"), "grades", i);
    NormalizeText(grade->mutable_code(), FieldPath(grade_path, "code"), violations);
    NormalizeText(grade->mutable_label(), FieldPath(grade_path, "label"), violations);
    NormalizeText(grade->mutable_meaning(), FieldPath(grade_path, "meaning"), violations);
  }
  // rule_set is a resource name that is not validated yet; it is only checked to be UTF-8.
  CheckUtf8(plan->rule_set(), FieldPath(path, "rule_set"), violations);
}

void NormalizeInitiative(v1::Initiative* initiative, absl::string_view path,
                         FieldViolations* violations) {
  KeepArea(initiative->mutable_area(), FieldPath(path, "area"), violations);
  KeepText(initiative->mutable_theme(), FieldPath(path, "theme"), violations);
  KeepText(initiative->mutable_subtheme(), FieldPath(path, "subtheme"), violations);
  KeepText(initiative->mutable_title(), FieldPath(path, "title"), violations);
  std::string relists(absl::StripAsciiWhitespace(initiative->relists()));
  initiative->set_relists(std::move(relists));
  if (initiative->has_human_rating()) {
    v1::HumanRating* rating = initiative->mutable_human_rating();
    std::string rating_path = FieldPath(path, "human_rating");
    NormalizeText(rating->mutable_grade(), FieldPath(rating_path, "grade"), violations);
    NormalizeText(rating->mutable_rater(), FieldPath(rating_path, "rater"), violations);
    // The reason is a person's own words, kept as written like outcome text.
    CheckUtf8(rating->reason(), FieldPath(rating_path, "reason"), violations);
  }
}

void NormalizeOutcome(v1::Outcome* outcome, absl::string_view path, FieldViolations* violations) {
  CheckUtf8(outcome->text(), FieldPath(path, "text"), violations);
  for (int i = 0; i < outcome->metrics_size(); ++i) {
    v1::Metric* metric = outcome->mutable_metrics(i);
    std::string metric_path = IndexedFieldPath(path, "metrics", i);
    NormalizeText(metric->mutable_label(), FieldPath(metric_path, "label"), violations);
    NormalizeText(metric->mutable_unit(), FieldPath(metric_path, "unit"), violations);
  }
}

void NormalizeInitiativeFilter(v1::InitiativeFilter* filter, absl::string_view path,
                               FieldViolations* violations) {
  NormalizeText(filter->mutable_area(), FieldPath(path, "area"), violations);
  *filter->mutable_area() = std::string(Bare(filter->area()));
  NormalizeText(filter->mutable_theme(), FieldPath(path, "theme"), violations);
  NormalizeText(filter->mutable_grade(), FieldPath(path, "grade"), violations);
  NormalizeText(filter->mutable_text_contains(), FieldPath(path, "text_contains"), violations);
}

}  // namespace torikumi::domain
