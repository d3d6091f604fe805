// Short forms of resource names the CLI accepts. A full name ("organizations/city/plans/hr")
// is always taken as written; a short one gives just the ids, one per level:
//   org "city"                 → organizations/city
//   plan "city/hr"             → organizations/city/plans/hr
//   initiative "city/hr/i12"   → organizations/city/plans/hr/initiatives/i12
//   round "city/hr/2022"       → organizations/city/plans/hr/ratingRounds/2022
// Anything else is passed on unchanged, so the server's error names what was wrong with it.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace torikumi::cli {

std::string OrganizationNameArg(absl::string_view text);
std::string PlanNameArg(absl::string_view text);
std::string InitiativeNameArg(absl::string_view text);
// round "city/hr/2022" → organizations/city/plans/hr/ratingRounds/2022
std::string RatingRoundNameArg(absl::string_view text);
// An initiative of a round's plan: a bare id ("i12") is taken from the round's plan.
std::string RoundInitiativeArg(absl::string_view round, absl::string_view text);

}  // namespace torikumi::cli
