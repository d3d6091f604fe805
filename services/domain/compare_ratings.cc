#include "services/domain/compare_ratings.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/resource_name.h"
#include "services/domain/list_all.h"

namespace torikumi::domain {

std::string EvidenceKey(const v1::Initiative& initiative,
                        const std::vector<v1::Outcome>& outcomes) {
  std::vector<v1::ScheduleEntry> schedule(initiative.schedule().begin(),
                                          initiative.schedule().end());
  std::sort(schedule.begin(), schedule.end(),
            [](const auto& a, const auto& b) { return a.fiscal_year() < b.fiscal_year(); });
  std::vector<std::string> phases;
  for (const v1::ScheduleEntry& entry : schedule) {
    absl::string_view phase = v1::Phase_Name(entry.phase());
    phase.remove_prefix(std::min<size_t>(phase.size(), 6));  // "PHASE_"
    phases.push_back(absl::StrCat(entry.fiscal_year(), "=", phase));
  }
  std::vector<v1::Outcome> sorted = outcomes;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.fiscal_year() < b.fiscal_year(); });
  std::vector<std::string> results;
  for (const v1::Outcome& outcome : sorted) {
    absl::string_view status = v1::OutcomeStatus_Name(outcome.status());
    status.remove_prefix(std::min<size_t>(status.size(), 15));  // "OUTCOME_STATUS_"
    results.push_back(
        absl::StrCat(outcome.fiscal_year() == 0 ? "period" : absl::StrCat(outcome.fiscal_year()),
                     "=", status, outcome.metrics().empty() ? "" : "+metrics"));
  }
  return absl::StrCat("schedule ", phases.empty() ? "none" : absl::StrJoin(phases, " "),
                      "; outcomes ", results.empty() ? "none" : absl::StrJoin(results, " "));
}

absl::StatusOr<v1::CompareRatingsResponse> CompareRatings(
    store::Store& store, const v1::CompareRatingsRequest& request) {
  if (auto parsed = ParsePlanName(request.plan(), "plan"); !parsed.ok()) return parsed.status();
  absl::StatusOr<v1::Plan> plan = store.GetPlan(request.plan());
  if (!plan.ok()) return plan.status();
  absl::StatusOr<std::vector<v1::Initiative>> initiatives =
      ListAll<v1::Initiative>([&](store::Page page) {
        return store.ListInitiatives(request.plan(), v1::InitiativeFilter(), page);
      });
  if (!initiatives.ok()) return initiatives.status();
  const std::string every = absl::StrCat(request.plan(), "/initiatives/-");
  absl::StatusOr<std::vector<v1::Outcome>> outcomes =
      ListAll<v1::Outcome>([&](store::Page page) { return store.ListOutcomes(every, 0, page); });
  if (!outcomes.ok()) return outcomes.status();
  std::map<std::string, std::vector<v1::Outcome>> outcomes_of;
  for (v1::Outcome& outcome : *outcomes) {
    outcomes_of[outcome.name().substr(0, outcome.name().find("/outcomes/"))].push_back(
        std::move(outcome));
  }
  absl::StatusOr<std::vector<v1::ComputedRating>> ratings =
      store.ListRatings(request.plan(), "", false);
  if (!ratings.ok()) return ratings.status();
  std::map<std::string, const v1::ComputedRating*> computed_of;
  for (const v1::ComputedRating& rating : *ratings) computed_of[rating.initiative()] = &rating;

  v1::CompareRatingsResponse response;
  std::map<std::pair<std::string, std::string>, int> confusion;
  // Evidence → the rated initiatives that have it, in plan order.
  std::map<std::string, std::vector<const v1::Initiative*>> by_evidence;
  for (const v1::Initiative& initiative : *initiatives) {
    const std::string& human = initiative.human_rating().grade();
    if (human.empty()) continue;
    by_evidence[EvidenceKey(initiative, outcomes_of[initiative.name()])].push_back(&initiative);
    auto found = computed_of.find(initiative.name());
    if (found == computed_of.end()) {
      response.set_not_computed(response.not_computed() + 1);
      continue;
    }
    const v1::ComputedRating& rating = *found->second;
    const std::string computed =
        rating.has_insufficient_data() ? std::string(kInsufficient) : rating.grade();
    response.set_compared(response.compared() + 1);
    ++confusion[{human, computed}];
    if (computed == human) {
      response.set_agreed(response.agreed() + 1);
      continue;
    }
    v1::RatingDisagreement* d = response.add_disagreements();
    d->set_initiative(initiative.name());
    d->set_title(
        absl::StrCat(initiative.area(), " ", initiative.number(), " ", initiative.title()));
    d->set_human_grade(human);
    d->set_human_reason(initiative.human_rating().reason());
    d->set_computed_grade(computed);
    d->set_computed_reason(rating.reason());
    *d->mutable_fired_rules() = rating.fired_rules();
  }
  if (response.compared() > 0) {
    response.set_agreement(static_cast<double>(response.agreed()) / response.compared());
  }
  // Every cell over the plan's grades (computed also "insufficient"), zeros included, then
  // any grade off the scale that still occurred.
  std::vector<std::string> codes;
  for (const v1::Grade& grade : plan->rating_scale().grades()) codes.push_back(grade.code());
  std::vector<std::string> computed_codes = codes;
  computed_codes.emplace_back(kInsufficient);
  for (const std::string& human : codes) {
    for (const std::string& computed : computed_codes) {
      v1::ConfusionCell* cell = response.add_confusion();
      cell->set_human(human);
      cell->set_computed(computed);
      auto found = confusion.find({human, computed});
      if (found != confusion.end()) {
        cell->set_count(found->second);
        confusion.erase(found);
      }
    }
  }
  for (const auto& [pair, count] : confusion) {
    v1::ConfusionCell* cell = response.add_confusion();
    cell->set_human(pair.first);
    cell->set_computed(pair.second);
    cell->set_count(count);
  }
  for (const auto& [evidence, group] : by_evidence) {
    std::set<std::string> grades;
    for (const v1::Initiative* initiative : group)
      grades.insert(initiative->human_rating().grade());
    if (grades.size() < 2) continue;
    v1::ConsistencyFinding* finding = response.add_inconsistencies();
    finding->set_evidence(evidence);
    for (const v1::Initiative* initiative : group) {
      finding->add_initiatives(initiative->name());
      finding->add_human_grades(initiative->human_rating().grade());
    }
  }
  return response;
}

}  // namespace torikumi::domain
