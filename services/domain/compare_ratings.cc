#include "services/domain/compare_ratings.h"

#include <map>
#include <utility>

#include "services/domain/consistency.h"

namespace torikumi::domain {
namespace {

using Confusion = std::map<std::pair<std::string, std::string>, int>;

void AddDisagreement(const v1::Initiative& initiative, const v1::ComputedRating& rating,
                     v1::CompareRatingsResponse& response) {
  v1::RatingDisagreement* d = response.add_disagreements();
  d->set_initiative(initiative.name());
  d->set_title(InitiativeLabel(initiative));
  d->set_human_grade(initiative.human_rating().grade());
  d->set_human_reason(initiative.human_rating().reason());
  d->set_computed_grade(ComputedGrade(rating));
  d->set_computed_reason(rating.reason());
  *d->mutable_fired_rules() = rating.fired_rules();
}

// Every cell over the plan's grades (computed also "insufficient"), zeros included, then
// any pair off the scale that still occurred.
void AddConfusion(const v1::Plan& plan, Confusion confusion, v1::CompareRatingsResponse& response) {
  std::vector<std::string> codes;
  for (const v1::Grade& grade : plan.rating_scale().grades()) codes.push_back(grade.code());
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
}

}  // namespace

std::string ComputedGrade(const v1::ComputedRating& rating) {
  return rating.has_insufficient_data() ? std::string(kInsufficient) : rating.grade();
}

absl::StatusOr<v1::CompareRatingsResponse> CompareRatings(
    const PlanRecords& records, const std::vector<v1::ComputedRating>& latest) {
  std::map<std::string, const v1::ComputedRating*> computed_of;
  for (const v1::ComputedRating& rating : latest) computed_of[rating.initiative()] = &rating;
  v1::CompareRatingsResponse response;
  Confusion confusion;
  for (const v1::Initiative& initiative : records.initiatives) {
    const std::string& human = initiative.human_rating().grade();
    if (human.empty()) continue;
    auto found = computed_of.find(initiative.name());
    if (found == computed_of.end()) {
      response.set_not_computed(response.not_computed() + 1);
      continue;
    }
    const std::string computed = ComputedGrade(*found->second);
    response.set_compared(response.compared() + 1);
    ++confusion[{human, computed}];
    if (computed == human) {
      response.set_agreed(response.agreed() + 1);
    } else {
      AddDisagreement(initiative, *found->second, response);
    }
  }
  if (response.compared() > 0) {
    response.set_agreement(static_cast<double>(response.agreed()) / response.compared());
  }
  AddConfusion(records.plan, std::move(confusion), response);
  absl::StatusOr<std::vector<v1::ConsistencyFinding>> findings = FindInconsistencies(records);
  if (!findings.ok()) return findings.status();
  for (v1::ConsistencyFinding& finding : *findings)
    *response.add_inconsistencies() = std::move(finding);
  return response;
}

}  // namespace torikumi::domain
