#include "services/domain/copy_store.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/domain/list_all.h"

namespace torikumi::domain {
namespace {

// The import that recreates `inputs` (a plan read whole) under the same names.
store::PlanImport ImportOf(const store::PlanInputs& inputs) {
  store::PlanImport import{.plan = inputs.plan, .create_plan = true};
  std::map<std::string, size_t> index;  // initiative name → item
  std::map<std::string, store::InitiativeKey> keys;
  for (const v1::Initiative& initiative : inputs.initiatives) {
    keys[initiative.name()] = {initiative.area(), initiative.number()};
  }
  for (const v1::Initiative& initiative : inputs.initiatives) {
    store::InitiativeImport& item = import.initiatives.emplace_back();
    item.initiative = initiative;
    item.new_id = initiative.name().substr(initiative.name().rfind('/') + 1);
    if (auto target = keys.find(initiative.relists()); target != keys.end()) {
      item.relists = target->second;
    }
    index[initiative.name()] = import.initiatives.size() - 1;
  }
  for (const v1::Outcome& outcome : inputs.outcomes) {
    const std::string initiative = outcome.name().substr(0, outcome.name().rfind("/outcomes/"));
    if (auto item = index.find(initiative); item != index.end()) {
      import.initiatives[item->second].outcomes.push_back(outcome);
    }
  }
  return import;
}

// Every computed rating of `plan`, oldest first, as RecordRatings appends them.
absl::StatusOr<std::vector<v1::ComputedRating>> RatingHistory(store::Store& from,
                                                              const std::string& plan) {
  absl::StatusOr<std::vector<v1::ComputedRating>> ratings = ListAll<v1::ComputedRating>(
      [&](store::Page page) { return from.ListRatings(plan, "", true, page); });
  if (!ratings.ok()) return ratings.status();
  // Listed by initiative, newest first: reversing gives each initiative's history in order.
  std::reverse(ratings->begin(), ratings->end());
  return ratings;
}

// The initiative part of a computed rating's name.
std::string InitiativeOf(const std::string& rating_name) {
  return rating_name.substr(0, rating_name.rfind("/computedRatings/"));
}

// Each of the plan's rating names in `from` → the name of the same rating in `to`: an
// initiative's ratings were recorded in the same order, so its k-th newest is the same rating
// in both, under an id each database gave it.
absl::StatusOr<std::map<std::string, std::string>> RatingLinks(store::Store& from, store::Store& to,
                                                               const std::string& plan) {
  absl::StatusOr<std::vector<std::string>> source = from.ListRatingNames(plan);
  if (!source.ok()) return source.status();
  absl::StatusOr<std::vector<std::string>> target = to.ListRatingNames(plan);
  if (!target.ok()) return target.status();
  std::map<std::string, std::vector<std::string>> target_by_initiative;
  for (const std::string& name : *target) target_by_initiative[InitiativeOf(name)].push_back(name);
  std::map<std::string, size_t> seen;
  std::map<std::string, std::string> links;
  for (const std::string& name : *source) {
    const std::string initiative = InitiativeOf(name);
    const std::vector<std::string>& same = target_by_initiative[initiative];
    if (const size_t k = seen[initiative]++; k < same.size()) links[name] = same[k];
  }
  return links;
}

// The plan's rating rounds, reviews and state as they are, their entries linked to the
// target's copies of the ratings they proposed (no link where the source had pruned it).
absl::Status CopyRounds(store::Store& from, store::Store& to, const std::string& plan,
                        CopyCounts& counts) {
  absl::StatusOr<std::vector<v1::RatingRound>> rounds =
      ListAll<v1::RatingRound>([&](store::Page page) { return from.ListRatingRounds(plan, page); });
  if (!rounds.ok() || rounds->empty()) return rounds.status();
  absl::StatusOr<std::map<std::string, std::string>> links = RatingLinks(from, to, plan);
  if (!links.ok()) return links.status();
  for (v1::RatingRound& round : *rounds) {
    for (v1::RatingRoundEntry& entry : *round.mutable_entries()) {
      auto link = links->find(entry.computed_rating());
      entry.set_computed_rating(link == links->end() ? "" : link->second);
    }
    if (absl::Status s = to.RestoreRatingRound(round).status(); !s.ok()) return s;
    ++counts.rating_rounds;
  }
  return absl::OkStatus();
}

absl::Status CopyPlan(store::Store& from, store::Store& to, const v1::Plan& plan,
                      CopyCounts& counts) {
  absl::StatusOr<store::PlanInputs> inputs = from.ReadPlanInputs(plan.name(), "");
  if (!inputs.ok()) return inputs.status();
  absl::StatusOr<store::ImportResult> imported = to.ImportPlan(ImportOf(*inputs));
  if (!imported.ok()) return imported.status();
  absl::StatusOr<std::vector<v1::ComputedRating>> ratings = RatingHistory(from, plan.name());
  if (!ratings.ok()) return ratings.status();
  if (absl::Status s = to.RecordRatings(*ratings); !s.ok()) return s;
  if (absl::Status s = CopyRounds(from, to, plan.name(), counts); !s.ok()) return s;
  ++counts.plans;
  counts.initiatives += imported->initiatives_created;
  counts.outcomes += imported->outcomes_written;
  counts.ratings += static_cast<int64_t>(ratings->size());
  return absl::OkStatus();
}

absl::Status CopyOrganization(store::Store& from, store::Store& to,
                              const v1::Organization& organization, CopyCounts& counts) {
  if (absl::Status s = to.CreateOrganization(organization, "").status(); !s.ok()) return s;
  ++counts.organizations;
  absl::StatusOr<std::vector<v1::RuleSet>> rule_sets = ListAll<v1::RuleSet>(
      [&](store::Page page) { return from.ListRuleSets(organization.name(), true, page); });
  if (!rule_sets.ok()) return rule_sets.status();
  // Listed by name, then version: each name's versions are created again as 1, 2, ...
  for (const v1::RuleSet& rule_set : *rule_sets) {
    if (absl::Status s = to.CreateRuleSetVersion(rule_set).status(); !s.ok()) return s;
    ++counts.rule_set_versions;
  }
  absl::StatusOr<std::vector<v1::Plan>> plans = ListAll<v1::Plan>(
      [&](store::Page page) { return from.ListPlans(organization.name(), "", page); });
  if (!plans.ok()) return plans.status();
  for (const v1::Plan& plan : *plans) {
    if (absl::Status s = CopyPlan(from, to, plan, counts); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat("plan '", plan.name(), "': ", s.message()));
    }
  }
  return absl::OkStatus();
}

// The audit log of `from`, oldest first, page by page, under the same names and times.
absl::Status CopyAuditLog(store::Store& from, store::Store& to, CopyCounts& counts) {
  absl::StatusOr<store::ListResult<v1::AuditEvent>> all = from.ListAuditEvents({}, {0, 0});
  if (!all.ok()) return all.status();
  // Listed newest first: the oldest page is the last one, read backwards.
  for (int64_t end = all->total; end > 0; end -= kListAllPageSize) {
    const int64_t offset = std::max<int64_t>(0, end - kListAllPageSize);
    absl::StatusOr<store::ListResult<v1::AuditEvent>> page =
        from.ListAuditEvents({}, {offset, static_cast<int32_t>(end - offset)});
    if (!page.ok()) return page.status();
    std::reverse(page->items.begin(), page->items.end());
    if (absl::Status s = to.RestoreAuditEvents(page->items); !s.ok()) return s;
    counts.audit_events += static_cast<int64_t>(page->items.size());
  }
  return absl::OkStatus();
}

// Every token of `from` with the hash of its secret (never the secret), after the
// organizations they belong to.
absl::Status CopyTokens(store::Store& from, store::Store& to, CopyCounts& counts) {
  absl::StatusOr<std::vector<store::StoredToken>> tokens = from.ListStoredTokens();
  if (!tokens.ok()) return tokens.status();
  for (const store::StoredToken& token : *tokens) {
    if (absl::Status s = to.RestoreToken(token).status(); !s.ok()) return s;
    ++counts.tokens;
  }
  return absl::OkStatus();
}

// FAILED_PRECONDITION unless `to` holds no organization (nor, so, an organization's token),
// no server admin token and no audit event: what it holds would mix with what moves.
absl::Status CheckEmpty(store::Store& to) {
  absl::StatusOr<store::ListResult<v1::Organization>> organizations = to.ListOrganizations({0, 0});
  if (!organizations.ok()) return organizations.status();
  absl::StatusOr<store::ListResult<v1::Token>> tokens = to.ListTokens("", {0, 0});
  if (!tokens.ok()) return tokens.status();
  absl::StatusOr<store::ListResult<v1::AuditEvent>> events = to.ListAuditEvents({}, {0, 0});
  if (!events.ok()) return events.status();
  if (organizations->total == 0 && tokens->total == 0 && events->total == 0) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("the target database already holds ", organizations->total, " organization(s), ",
                   tokens->total, " server admin token(s) and ", events->total,
                   " audit event(s): migrate into an empty database"));
}

}  // namespace

absl::StatusOr<CopyCounts> CopyStore(store::Store& from, store::Store& to) {
  if (absl::Status s = CheckEmpty(to); !s.ok()) return s;
  absl::StatusOr<int64_t> last_change = from.LastChange();
  if (!last_change.ok()) return last_change.status();
  absl::StatusOr<std::vector<v1::Organization>> organizations =
      ListAll<v1::Organization>([&](store::Page page) { return from.ListOrganizations(page); });
  if (!organizations.ok()) return organizations.status();
  CopyCounts counts;
  // First, so the events of the move's own writes are numbered after the source's.
  if (absl::Status s = CopyAuditLog(from, to, counts); !s.ok()) return s;
  for (const v1::Organization& organization : *organizations) {
    if (absl::Status s = CopyOrganization(from, to, organization, counts); !s.ok()) return s;
  }
  if (absl::Status s = CopyTokens(from, to, counts); !s.ok()) return s;
  // Before the subscriptions, which start delivering from the feed's newest change.
  if (absl::Status s = to.RestartChangesAfter(*last_change); !s.ok()) return s;
  absl::StatusOr<std::vector<v1::Subscription>> subscriptions =
      from.ListSubscriptions("organizations/-");
  if (!subscriptions.ok()) return subscriptions.status();
  for (const v1::Subscription& subscription : *subscriptions) {
    if (absl::Status s = to.CreateSubscription(subscription).status(); !s.ok()) return s;
    ++counts.subscriptions;
  }
  return counts;
}

}  // namespace torikumi::domain
