// Parsing and formatting of torikumi resource names:
//   organizations/{o}/plans/{p}/initiatives/{i}/outcomes/{fyYYYY|period}
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace torikumi {

// True for a valid resource id: [a-z][a-z0-9-]{0,62}, not ending in '-'.
bool IsValidId(absl::string_view id);

// A fresh random id with the given one-letter prefix, e.g. "p3k9x2m7q1".
std::string GenerateId(char prefix);

struct PlanName {
  std::string organization;
  std::string plan;
  std::string Format() const;
  std::string OrganizationName() const;
};

struct InitiativeName {
  std::string organization;
  std::string plan;
  // "-" stands for every initiative of the plan where a method allows it.
  std::string initiative;
  std::string Format() const;
  std::string PlanName() const;
};

struct OutcomeName {
  InitiativeName initiative;
  // 0 for the whole-period outcome ("period").
  int fiscal_year = 0;
  std::string Format() const;
};

// organizations/{o}/plans/{p}/ratingRounds/{fiscal_year}
struct RatingRoundName {
  PlanName plan;
  int fiscal_year = 0;
  std::string Format() const;
};

// Each parser returns INVALID_ARGUMENT naming `field` and the text when the name is malformed.
absl::StatusOr<std::string> ParseOrganizationName(absl::string_view name, absl::string_view field);
absl::StatusOr<PlanName> ParsePlanName(absl::string_view name, absl::string_view field);
absl::StatusOr<InitiativeName> ParseInitiativeName(absl::string_view name, absl::string_view field,
                                                   bool allow_wildcard = false);
absl::StatusOr<OutcomeName> ParseOutcomeName(absl::string_view name, absl::string_view field);
absl::StatusOr<RatingRoundName> ParseRatingRoundName(absl::string_view name,
                                                     absl::string_view field);

// "fy2019" or "period".
std::string OutcomeId(int fiscal_year);

}  // namespace torikumi
