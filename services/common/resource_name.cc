#include "services/common/resource_name.h"

#include <algorithm>
#include <optional>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"
#include "services/common/fiscal_year.h"

namespace torikumi {
namespace {

absl::Status Malformed(absl::string_view field, absl::string_view name,
                       absl::string_view expected) {
  return InvalidField(std::string(field),
                      absl::StrCat("'", name, "' is not a resource name of the form ", expected));
}

// Splits "a/x/b/y" into {x, y} when the collection words match `collections`.
bool SplitName(absl::string_view name, std::initializer_list<absl::string_view> collections,
               std::vector<std::string>* ids, bool allow_wildcard_last) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != collections.size() * 2) return false;
  size_t i = 0;
  for (absl::string_view collection : collections) {
    if (parts[i] != collection) return false;
    absl::string_view id = parts[i + 1];
    bool last = i + 2 == parts.size();
    if (!(IsValidId(id) || (last && allow_wildcard_last && id == "-"))) return false;
    ids->emplace_back(id);
    i += 2;
  }
  return true;
}

}  // namespace

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  if (id.front() < 'a' || id.front() > 'z') return false;
  if (id.back() == '-') return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string GenerateId(char prefix) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<int> pick(0, sizeof(kAlphabet) - 2);
  std::string id(1, prefix);
  for (int i = 0; i < 11; ++i) id.push_back(kAlphabet[pick(rng)]);
  return id;
}

std::string PlanName::Format() const {
  return absl::StrCat("organizations/", organization, "/plans/", plan);
}
std::string PlanName::OrganizationName() const {
  return absl::StrCat("organizations/", organization);
}

std::string InitiativeName::Format() const {
  return absl::StrCat("organizations/", organization, "/plans/", plan, "/initiatives/", initiative);
}
std::string InitiativeName::PlanName() const {
  return absl::StrCat("organizations/", organization, "/plans/", plan);
}

std::string OutcomeId(int fiscal_year) {
  return fiscal_year == 0 ? std::string("period") : absl::StrCat("fy", fiscal_year);
}

std::string OutcomeName::Format() const {
  return absl::StrCat(initiative.Format(), "/outcomes/", OutcomeId(fiscal_year));
}

absl::StatusOr<std::string> ParseOrganizationName(absl::string_view name, absl::string_view field) {
  std::vector<std::string> ids;
  if (!SplitName(name, {"organizations"}, &ids, false)) {
    return Malformed(field, name, "organizations/{organization}");
  }
  return ids[0];
}

absl::StatusOr<PlanName> ParsePlanName(absl::string_view name, absl::string_view field) {
  std::vector<std::string> ids;
  if (!SplitName(name, {"organizations", "plans"}, &ids, false)) {
    return Malformed(field, name, "organizations/{organization}/plans/{plan}");
  }
  return PlanName{ids[0], ids[1]};
}

absl::StatusOr<InitiativeName> ParseInitiativeName(absl::string_view name, absl::string_view field,
                                                   bool allow_wildcard) {
  std::vector<std::string> ids;
  if (!SplitName(name, {"organizations", "plans", "initiatives"}, &ids, allow_wildcard)) {
    return Malformed(field, name,
                     "organizations/{organization}/plans/{plan}/initiatives/{initiative}");
  }
  return InitiativeName{ids[0], ids[1], ids[2]};
}

namespace {

// Exactly four ASCII digits naming an accepted fiscal year; nullopt otherwise. SimpleAtoi
// alone would also take "-123", "+201" or " 201".
std::optional<int> FourDigitYear(absl::string_view digits) {
  int year = 0;
  const bool all_digits =
      digits.size() == 4 && std::all_of(digits.begin(), digits.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      });
  if (!all_digits || !absl::SimpleAtoi(digits, &year) || year < kMinFiscalYear ||
      year > kMaxFiscalYear) {
    return std::nullopt;
  }
  return year;
}

}  // namespace

absl::StatusOr<OutcomeName> ParseOutcomeName(absl::string_view name, absl::string_view field) {
  constexpr absl::string_view kExpected =
      "organizations/{organization}/plans/{plan}/initiatives/{initiative}/outcomes/{fyYYYY|period}";
  size_t slash = name.rfind("/outcomes/");
  if (slash == absl::string_view::npos) return Malformed(field, name, kExpected);
  auto initiative = ParseInitiativeName(name.substr(0, slash), field);
  if (!initiative.ok()) return Malformed(field, name, kExpected);
  absl::string_view id = name.substr(slash + absl::string_view("/outcomes/").size());
  OutcomeName out{*initiative, 0};
  if (id == "period") return out;
  // Exactly "fy" and an accepted year ("fy0000" would collide with "period", 0).
  std::optional<int> year =
      id.size() == 6 && id.substr(0, 2) == "fy" ? FourDigitYear(id.substr(2)) : std::nullopt;
  if (!year.has_value()) return Malformed(field, name, kExpected);
  out.fiscal_year = *year;
  return out;
}

std::string RatingRoundName::Format() const {
  return absl::StrCat(plan.Format(), "/ratingRounds/", fiscal_year);
}

absl::StatusOr<RatingRoundName> ParseRatingRoundName(absl::string_view name,
                                                     absl::string_view field) {
  constexpr absl::string_view kExpected =
      "organizations/{organization}/plans/{plan}/ratingRounds/{fiscal_year}";
  size_t slash = name.rfind("/ratingRounds/");
  if (slash == absl::string_view::npos) return Malformed(field, name, kExpected);
  auto plan = ParsePlanName(name.substr(0, slash), field);
  if (!plan.ok()) return Malformed(field, name, kExpected);
  absl::string_view id = name.substr(slash + absl::string_view("/ratingRounds/").size());
  std::optional<int> year = FourDigitYear(id);
  if (!year.has_value()) return Malformed(field, name, kExpected);
  return RatingRoundName{*std::move(plan), *year};
}

}  // namespace torikumi
