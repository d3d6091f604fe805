// Back-testing: the ratings a rule set computes now against the plan's recorded ratings and
// the human ones — which initiatives change grade, and agreement with the human ratings
// before and after.
#pragma once

#include <string>
#include <vector>

#include "services/domain/plan_records.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::domain {

// `computed`: the ratings just computed (in the order evaluated); `recorded`: the latest
// recorded rating of each initiative; `rule_set`: how the diff names what was evaluated.
v1::RatingDiff DiffRatings(const PlanRecords& records,
                           const std::vector<v1::ComputedRating>& recorded,
                           const std::vector<v1::ComputedRating>& computed,
                           const std::string& rule_set);

}  // namespace torikumi::domain
