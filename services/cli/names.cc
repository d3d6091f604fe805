#include "services/cli/names.h"

#include <initializer_list>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace torikumi::cli {
namespace {

std::string Expand(absl::string_view text, std::initializer_list<absl::string_view> collections) {
  if (absl::StartsWith(text, "organizations/")) return std::string(text);
  std::vector<absl::string_view> ids = absl::StrSplit(text, '/');
  if (ids.size() != collections.size()) return std::string(text);
  std::string name;
  size_t i = 0;
  for (absl::string_view collection : collections) {
    if (ids[i].empty()) return std::string(text);
    absl::StrAppend(&name, i == 0 ? "" : "/", collection, "/", ids[i]);
    ++i;
  }
  return name;
}

}  // namespace

std::string OrganizationNameArg(absl::string_view text) { return Expand(text, {"organizations"}); }

std::string PlanNameArg(absl::string_view text) { return Expand(text, {"organizations", "plans"}); }

std::string InitiativeNameArg(absl::string_view text) {
  return Expand(text, {"organizations", "plans", "initiatives"});
}

std::string RatingRoundNameArg(absl::string_view text) {
  return Expand(text, {"organizations", "plans", "ratingRounds"});
}

std::string RoundInitiativeArg(absl::string_view round, absl::string_view text) {
  const size_t slash = round.rfind("/ratingRounds/");
  if (absl::StrContains(text, '/') || slash == absl::string_view::npos) {
    return InitiativeNameArg(text);
  }
  return absl::StrCat(round.substr(0, slash), "/initiatives/", text);
}

}  // namespace torikumi::cli
