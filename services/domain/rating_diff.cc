#include "services/domain/rating_diff.h"

#include <map>

#include "services/domain/compare_ratings.h"

namespace torikumi::domain {

v1::RatingDiff DiffRatings(const PlanRecords& records,
                           const std::vector<v1::ComputedRating>& recorded,
                           const std::vector<v1::ComputedRating>& computed,
                           const std::string& rule_set) {
  std::map<std::string, const v1::Initiative*> initiative_of;
  for (const v1::Initiative& initiative : records.initiatives)
    initiative_of[initiative.name()] = &initiative;
  std::map<std::string, std::string> current_of;
  for (const v1::ComputedRating& rating : recorded)
    current_of[rating.initiative()] = ComputedGrade(rating);

  v1::RatingDiff diff;
  diff.set_rule_set(rule_set);
  for (const v1::ComputedRating& rating : computed) {
    auto initiative = initiative_of.find(rating.initiative());
    if (initiative == initiative_of.end()) continue;  // deleted since it was evaluated
    const std::string& human = initiative->second->human_rating().grade();
    const std::string current = current_of[rating.initiative()];
    const std::string candidate = ComputedGrade(rating);
    diff.set_evaluated(diff.evaluated() + 1);
    if (!human.empty()) {
      diff.set_human_rated(diff.human_rated() + 1);
      if (current == human) diff.set_agreed_before(diff.agreed_before() + 1);
      if (candidate == human) diff.set_agreed_after(diff.agreed_after() + 1);
    }
    if (candidate == current) {
      diff.set_unchanged(diff.unchanged() + 1);
      continue;
    }
    v1::RatingChange* change = diff.add_changes();
    change->set_initiative(rating.initiative());
    change->set_title(InitiativeLabel(*initiative->second));
    change->set_human_grade(human);
    change->set_current_grade(current);
    change->set_candidate_grade(candidate);
    change->set_candidate_reason(rating.reason());
  }
  return diff;
}

}  // namespace torikumi::domain
