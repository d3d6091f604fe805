#include "services/domain/plan_records.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"

namespace torikumi::domain {
const std::vector<v1::Outcome>& PlanRecords::OutcomesOf(const std::string& initiative) const {
  static const std::vector<v1::Outcome>* const kNone = new std::vector<v1::Outcome>();
  auto found = outcomes.find(initiative);
  return found == outcomes.end() ? *kNone : found->second;
}

absl::StatusOr<PlanRecords> LoadPlanRecords(store::Store& store, absl::string_view plan,
                                            absl::string_view field, absl::string_view initiative) {
  if (auto parsed = ParsePlanName(plan, field); !parsed.ok()) return parsed.status();
  absl::StatusOr<store::PlanInputs> inputs = store.ReadPlanInputs(plan, initiative);
  if (!inputs.ok()) return inputs.status();
  PlanRecords records;
  records.plan = std::move(inputs->plan);
  records.initiatives = std::move(inputs->initiatives);
  records.as_of = std::move(inputs->latest_as_of);
  for (v1::Outcome& outcome : inputs->outcomes) {
    const size_t at = outcome.name().find("/outcomes/");
    records.outcomes[outcome.name().substr(0, at)].push_back(std::move(outcome));
  }
  return records;
}

std::string InitiativeLabel(const v1::Initiative& initiative) {
  return absl::StrCat(initiative.area(), " ", initiative.number(), " ", initiative.title());
}

}  // namespace torikumi::domain
