#include "services/store/store_rules.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"
#include "services/common/text.h"

namespace torikumi::store::rules {

std::string EtagOf(int64_t version) { return absl::StrCat("\"v", version, "\""); }

absl::Status CheckEtag(absl::string_view what, absl::string_view stored,
                       absl::string_view expected) {
  if (expected.empty() || expected == stored) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(what, " has etag ", stored, ", not the expected ",
                                         expected, ": it was changed since it was read"));
}

absl::StatusOr<std::string> Normalized(absl::string_view text, absl::string_view field) {
  absl::StatusOr<std::string> normalized = NormalizeNfkc(text);
  if (!normalized.ok()) {
    return InvalidField(std::string(field), std::string(normalized.status().message()));
  }
  return normalized;
}

std::string MatchingForm(absl::string_view text) {
  absl::StatusOr<std::string> normalized = NormalizeNfkc(text);
  return normalized.ok() ? *std::move(normalized) : std::string(text);
}

absl::Status CheckPage(const Page& page) {
  if (page.offset < 0) {
    return InvalidField("page.offset", absl::StrCat("must not be negative, got ", page.offset));
  }
  if (page.limit < 0) {
    return InvalidField("page.limit", absl::StrCat("must not be negative, got ", page.limit));
  }
  return absl::OkStatus();
}

absl::Status ForItem(const absl::Status& status, size_t index) {
  absl::Status prefixed(status.code(),
                        absl::StrCat("initiatives[", index, "]: ", status.message()));
  status.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { prefixed.SetPayload(url, payload); });
  return prefixed;
}

int64_t AsOfKey(const v1::Date& date) {
  return int64_t{date.year()} * 10000 + date.month() * 100 + date.day();
}

v1::Date DateOfKey(int64_t key) {
  v1::Date date;
  if (key == 0) return date;
  date.set_year(static_cast<int32_t>(key / 10000));
  date.set_month(static_cast<int32_t>(key / 100 % 100));
  date.set_day(static_cast<int32_t>(key % 100));
  return date;
}

absl::Status RequestTargetGone(absl::string_view request_id, absl::string_view name) {
  return absl::NotFoundError(absl::StrCat("request_id '", request_id, "' created '", name,
                                          "', which has been deleted since"));
}

ChangeScope ScopeOf(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  ChangeScope scope;
  if (parts.size() >= 2) scope.organization = absl::StrCat(parts[0], "/", parts[1]);
  if (parts.size() >= 4 && parts[2] == "plans") {
    scope.plan = absl::StrCat(scope.organization, "/", parts[2], "/", parts[3]);
  }
  return scope;
}

std::vector<AuditChange> TopLevelChanges(const std::vector<AuditChange>& changes) {
  // Views into `changes`: a write of a whole plan's ratings has thousands of resources, each
  // looked up once per ancestor, and none of that needs a copy.
  absl::flat_hash_set<absl::string_view> whole;  // created or deleted resources
  for (const AuditChange& change : changes) {
    if (change.etag_before.empty() || change.etag_after.empty()) whole.insert(change.resource);
  }
  std::vector<AuditChange> kept;
  for (const AuditChange& change : changes) {
    if (change.etag_before.empty() && change.etag_after.empty()) continue;
    const absl::string_view resource = change.resource;
    bool below_whole = false;
    for (size_t slash = resource.find('/'); slash != absl::string_view::npos && !below_whole;
         slash = resource.find('/', slash + 1)) {
      below_whole = whole.contains(resource.substr(0, slash));
    }
    if (!below_whole) kept.push_back(change);
  }
  return kept;
}

std::string OrganizationOf(absl::string_view resource) {
  std::vector<absl::string_view> parts = absl::StrSplit(resource, '/');
  if (parts.size() < 2 || parts[0] != "organizations") return "";
  return absl::StrCat(parts[0], "/", parts[1]);
}

}  // namespace torikumi::store::rules

namespace torikumi::store::rules {

absl::StatusOr<IndexedInitiative> IndexInitiative(const v1::Initiative& initiative,
                                                  absl::string_view field) {
  absl::StatusOr<InitiativeName> name =
      ParseInitiativeName(initiative.name(), absl::StrCat(field, ".name"));
  if (!name.ok()) return name.status();
  IndexedInitiative indexed;
  indexed.plan = name->PlanName();
  const std::pair<absl::string_view, const std::string*> texts[] = {
      {"title", &initiative.title()},
      {"theme", &initiative.theme()},
      {"subtheme", &initiative.subtheme()},
  };
  for (const auto& [subfield, text] : texts) {
    absl::StatusOr<std::string> normalized = Normalized(*text, absl::StrCat(field, ".", subfield));
    if (!normalized.ok()) return normalized.status();
    if (!indexed.search_text.empty()) indexed.search_text += '\n';
    indexed.search_text += *normalized;
  }
  absl::StatusOr<std::string> area = Normalized(initiative.area(), absl::StrCat(field, ".area"));
  if (!area.ok()) return area.status();
  indexed.area_key = *std::move(area);
  indexed.theme_key = MatchingForm(initiative.theme());  // checked with search_text above
  for (const v1::ScheduleEntry& entry : initiative.schedule()) {
    if (entry.phase() != v1::PHASE_UNSPECIFIED) indexed.years.push_back(entry.fiscal_year());
  }
  std::sort(indexed.years.begin(), indexed.years.end());
  indexed.years.erase(std::unique(indexed.years.begin(), indexed.years.end()), indexed.years.end());
  if (!initiative.relists().empty()) {
    absl::StatusOr<InitiativeName> relists =
        ParseInitiativeName(initiative.relists(), absl::StrCat(field, ".relists"));
    if (!relists.ok()) return relists.status();
  }
  return indexed;
}

absl::StatusOr<CheckedOutcome> CheckOutcome(const v1::Outcome& outcome) {
  const std::string& name = outcome.name();
  absl::StatusOr<OutcomeName> parsed = ParseOutcomeName(name, "outcome.name");
  if (!parsed.ok()) return parsed.status();
  if (outcome.fiscal_year() != parsed->fiscal_year) {
    return InvalidField(
        "outcome.fiscal_year",
        absl::StrCat("is ", outcome.fiscal_year(), " but the name '", name, "' stands for ",
                     parsed->fiscal_year, " (0 is the whole period)"));
  }
  absl::StatusOr<std::string> search_text = Normalized(outcome.text(), "outcome.text");
  if (!search_text.ok()) return search_text.status();
  return CheckedOutcome{*std::move(parsed), *std::move(search_text)};
}

ImportKey KeyOf(const v1::Initiative& initiative) {
  return {MatchingForm(initiative.area()), initiative.number()};
}

std::string KeyText(const ImportKey& key) {
  return absl::StrCat("area '", key.first, "' number ", key.second);
}

absl::Status CheckImport(const PlanImport& import) {
  if (auto plan = ParsePlanName(import.plan.name(), "plan.name"); !plan.ok()) {
    return plan.status();
  }
  std::map<ImportKey, size_t> seen;
  for (size_t i = 0; i < import.initiatives.size(); ++i) {
    const InitiativeImport& item = import.initiatives[i];
    const ImportKey key = KeyOf(item.initiative);
    auto [it, inserted] = seen.emplace(key, i);
    if (!inserted) {
      return InvalidField(absl::StrCat("initiatives[", i, "].number"),
                          absl::StrCat(KeyText(key), " repeats initiatives[", it->second, "]"));
    }
    if (!item.relists.area.empty() && MatchingForm(item.relists.area) == key.first &&
        item.relists.number == key.second) {
      return InvalidField(absl::StrCat("initiatives[", i, "].relists"),
                          absl::StrCat(KeyText(key), " cannot re-list itself"));
    }
    std::map<int32_t, size_t> years;
    for (size_t k = 0; k < item.outcomes.size(); ++k) {
      auto [year, fresh] = years.emplace(item.outcomes[k].fiscal_year(), k);
      if (!fresh) {
        return InvalidField(absl::StrCat("initiatives[", i, "].outcomes[", k, "].fiscal_year"),
                            absl::StrCat(year->first, " repeats outcomes[", year->second, "]"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RuleSetOrganization(absl::string_view name, absl::string_view field) {
  const size_t at = name.find("/ruleSets/");
  if (at == absl::string_view::npos || !IsValidId(name.substr(at + 10))) {
    return InvalidField(
        std::string(field),
        absl::StrCat("'", name, "' is not a rule set name (organizations/{o}/ruleSets/{r})"));
  }
  if (auto id = ParseOrganizationName(name.substr(0, at), field); !id.ok()) return id.status();
  return std::string(name.substr(0, at));
}

std::string TokenOrganization(absl::string_view name) {
  const size_t at = name.find("/tokens/");
  return at == absl::string_view::npos ? "" : std::string(name.substr(0, at));
}

absl::Status RecordRatingAfterWrite(RatingAfterWrite* rating, const RatingAfterWriteSteps& steps) {
  if (rating == nullptr) return absl::OkStatus();
  rating->recorded = false;
  absl::StatusOr<InitiativeName> name =
      ParseInitiativeName(rating->rating.initiative(), "rating.initiative");
  if (!name.ok()) return name.status();
  absl::StatusOr<PlanInputs> inputs =
      steps.read_inputs(name->PlanName(), rating->rating.initiative());
  // The write removed what the rating was of: there is nothing to rate any more.
  if (absl::IsNotFound(inputs.status())) return absl::OkStatus();
  if (!inputs.ok()) return inputs.status();
  absl::StatusOr<int32_t> latest = steps.latest_version(rating->rating.rule_set());
  if (!latest.ok()) return latest.status();
  if (!rating->holds || !rating->holds(*inputs, *latest)) return absl::OkStatus();
  if (absl::Status s = steps.insert(rating->rating); !s.ok()) return s;
  rating->recorded = true;
  return absl::OkStatus();
}

absl::Status CheckRatingNames(const std::vector<v1::ComputedRating>& ratings) {
  for (size_t i = 0; i < ratings.size(); ++i) {
    absl::StatusOr<InitiativeName> parsed =
        ParseInitiativeName(ratings[i].initiative(), absl::StrCat("ratings[", i, "].initiative"));
    if (!parsed.ok()) return parsed.status();
  }
  return absl::OkStatus();
}

}  // namespace torikumi::store::rules
