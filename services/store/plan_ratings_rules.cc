#include "services/store/plan_ratings_rules.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/store/store_rules.h"

namespace torikumi::store::rules {
namespace {

// The initiative a change of an initiative or an outcome is of.
absl::StatusOr<std::string> InitiativeOf(const v1::ChangeEvent& event) {
  const std::string field = absl::StrCat("change ", event.cursor());
  if (event.kind() == v1::RESOURCE_KIND_INITIATIVE) return event.name();
  absl::StatusOr<OutcomeName> outcome = ParseOutcomeName(event.name(), field);
  if (!outcome.ok()) return outcome.status();
  return outcome->initiative.Format();
}

// `plan`'s inputs as the transaction sees them, with only the initiatives of `checked` that
// still exist; all of them when `all`.
absl::StatusOr<PlanInputs> ReadChecked(const std::string& plan,
                                       const std::set<std::string>& checked, bool all,
                                       const PlanRatingsSteps& steps) {
  if (all) {
    absl::StatusOr<PlanInputs> now = steps.read_inputs(plan, "");
    // The plan was deleted: nothing of it holds.
    if (absl::IsNotFound(now.status())) return PlanInputs();
    return now;
  }
  PlanInputs now;
  for (const std::string& initiative : checked) {
    absl::StatusOr<PlanInputs> one = steps.read_inputs(plan, initiative);
    if (absl::IsNotFound(one.status())) continue;
    if (!one.ok()) return one.status();
    now.plan = std::move(one->plan);
    now.latest_as_of = one->latest_as_of;
    for (v1::Initiative& i : one->initiatives) now.initiatives.push_back(std::move(i));
    for (v1::Outcome& o : one->outcomes) now.outcomes.push_back(std::move(o));
  }
  return now;
}

}  // namespace

absl::StatusOr<ChangedSince> ChangesSince(const std::string& plan, int64_t after,
                                          const PlanRatingsSteps& steps) {
  absl::StatusOr<PlanName> name = ParsePlanName(plan, "plan");
  if (!name.ok()) return name.status();
  ChangeQuery query;
  query.organization = name->OrganizationName();
  query.plan = plan;
  query.kinds = {v1::RESOURCE_KIND_PLAN, v1::RESOURCE_KIND_INITIATIVE, v1::RESOURCE_KIND_OUTCOME};
  query.after = after;
  query.limit = 1000;
  ChangedSince changed;
  while (true) {
    absl::StatusOr<ChangePage> page = steps.list_changes(query);
    // Pruned past the snapshot: what changed since is not known, so everything is checked.
    if (absl::IsFailedPrecondition(page.status())) {
      changed.plan = true;
      return changed;
    }
    if (!page.ok()) return page.status();
    for (const v1::ChangeEvent& event : page->events) {
      if (event.kind() == v1::RESOURCE_KIND_PLAN) {
        changed.plan = true;
        continue;
      }
      absl::StatusOr<std::string> initiative = InitiativeOf(event);
      // A change whose initiative cannot be told could be of any: everything is checked.
      if (!initiative.ok()) {
        changed.plan = true;
        continue;
      }
      changed.initiatives.insert(*std::move(initiative));
    }
    if (!page->full) return changed;
    query.after = page->next;
  }
}

absl::Status RecordPlanRatingsWhereHold(PlanRatings* ratings, const PlanRatingsSteps& steps) {
  ratings->recorded.assign(ratings->ratings.size(), false);
  if (absl::Status s = CheckRatingNames(ratings->ratings); !s.ok()) return s;
  for (size_t i = 0; i < ratings->ratings.size(); ++i) {
    if (ParseInitiativeName(ratings->ratings[i].initiative(), "")->PlanName() != ratings->plan) {
      return InvalidField(absl::StrCat("ratings[", i, "].initiative"),
                          absl::StrCat("'", ratings->ratings[i].initiative(),
                                       "' is not an initiative of plan '", ratings->plan, "'"));
    }
  }
  if (ratings->ratings.empty()) return absl::OkStatus();
  absl::StatusOr<ChangedSince> changed = ChangesSince(ratings->plan, ratings->after_change, steps);
  if (!changed.ok()) return changed.status();
  std::set<std::string> checked;
  for (const v1::ComputedRating& rating : ratings->ratings) {
    if (changed->plan || changed->initiatives.contains(rating.initiative()))
      checked.insert(rating.initiative());
  }
  absl::StatusOr<PlanInputs> now = ReadChecked(ratings->plan, checked, changed->plan, steps);
  if (!now.ok()) return now.status();
  absl::StatusOr<int32_t> latest = steps.latest_version(ratings->ratings.front().rule_set());
  if (!latest.ok()) return latest.status();
  const std::vector<bool> holds =
      ratings->holds ? ratings->holds(checked, *now, *latest) : std::vector<bool>();
  if (holds.size() != ratings->ratings.size()) {
    return absl::InternalError(
        absl::StrCat("the check of ", ratings->ratings.size(), " ratings answered ", holds.size()));
  }
  // Mostly every one holds, and then the ratings are inserted as they are, not copied.
  const bool all_hold = std::find(holds.begin(), holds.end(), false) == holds.end();
  std::vector<v1::ComputedRating> holding;
  for (size_t i = 0; i < holds.size() && !all_hold; ++i) {
    if (holds[i]) holding.push_back(ratings->ratings[i]);
  }
  if (absl::Status s = steps.insert(all_hold ? ratings->ratings : holding); !s.ok()) return s;
  ratings->recorded = holds;
  return absl::OkStatus();
}

}  // namespace torikumi::store::rules
