// The text and list limits of stored fields, through the validation every write runs.
#include "services/domain/text_limits.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/domain/validation.h"

namespace torikumi::domain {
namespace {

// `count` copies of the three-byte character 研.
std::string Kanji(size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += "研";
  return text;
}

TEST(DomainTextLimitsTest, CountsCharactersNotBytes) {
  FieldViolations ok;
  CheckTextLength(Kanji(kMaxLabelChars), kMaxLabelChars, "x", &ok);
  EXPECT_TRUE(ok.empty()) << "200 kanji are 600 bytes but 200 characters";
  FieldViolations over;
  CheckTextLength(Kanji(kMaxLabelChars + 1), kMaxLabelChars, "x", &over);
  EXPECT_EQ(over.ToStatus().message(),
            "x: is 201 characters long, over the limit of 200 characters");
}

TEST(DomainTextLimitsTest, ValidationNamesEachFieldOverItsLimit) {
  v1::Plan plan;
  plan.set_name("organizations/city/plans/p");
  plan.set_title(std::string(kMaxTitleChars + 1, 'a'));
  plan.mutable_period()->set_first_fiscal_year(2018);
  plan.mutable_period()->set_last_fiscal_year(2022);
  for (int i = 0; i <= kMaxListEntries; ++i) plan.add_areas("area" + std::to_string(i));
  FieldViolations violations;
  ValidatePlan(plan, "plan", &violations);
  const std::string message(violations.ToStatus().message());
  EXPECT_TRUE(absl::StrContains(message,
                                "plan.title: is 1001 characters long, over the limit "
                                "of 1000 characters"))
      << message;
  EXPECT_TRUE(absl::StrContains(message, "plan.areas: has 101 entries, over the limit of 100"))
      << message;

  v1::Outcome outcome;
  outcome.set_text(Kanji(kMaxTextChars + 1));
  FieldViolations outcome_violations;
  ValidateOutcome(outcome, plan, "outcome", &outcome_violations);
  EXPECT_TRUE(absl::StrContains(outcome_violations.ToStatus().message(),
                                "outcome.text: is 20001 characters long"));

  v1::Organization organization;
  organization.set_display_name(std::string(1 << 20, 'x'));
  FieldViolations organization_violations;
  ValidateOrganization(organization, "organization", &organization_violations);
  EXPECT_TRUE(absl::StrContains(organization_violations.ToStatus().message(),
                                "organization.display_name: is 1048576 characters long, over the "
                                "limit of 200 characters"));
}

}  // namespace
}  // namespace torikumi::domain
