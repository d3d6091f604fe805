#include "services/domain/plan_records.h"

#include <algorithm>
#include <tuple>
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
  return RecordsOf(*std::move(inputs));
}

namespace {

std::string InitiativeOf(absl::string_view outcome) {
  return std::string(outcome.substr(0, outcome.find("/outcomes/")));
}

bool Later(const v1::Date& a, const v1::Date& b) {
  return std::make_tuple(a.year(), a.month(), a.day()) >
         std::make_tuple(b.year(), b.month(), b.day());
}

}  // namespace

PlanRecords RecordsOf(store::PlanInputs inputs) {
  PlanRecords records;
  records.plan = std::move(inputs.plan);
  records.initiatives = std::move(inputs.initiatives);
  records.as_of = std::move(inputs.latest_as_of);
  records.last_change = inputs.last_change;
  for (v1::Outcome& outcome : inputs.outcomes)
    records.outcomes[InitiativeOf(outcome.name())].push_back(std::move(outcome));
  return records;
}

void PutOutcome(const v1::Outcome& outcome, PlanRecords* records) {
  std::vector<v1::Outcome>& list = records->outcomes[InitiativeOf(outcome.name())];
  // In ListOutcomes order: by fiscal year, the whole period's (0) first.
  auto at = std::find_if(list.begin(), list.end(), [&](const v1::Outcome& o) {
    return o.fiscal_year() >= outcome.fiscal_year();
  });
  if (at != list.end() && at->fiscal_year() == outcome.fiscal_year()) {
    *at = outcome;
  } else {
    list.insert(at, outcome);
  }
  if (Later(outcome.as_of(), records->as_of)) records->as_of = outcome.as_of();
}

void RemoveOutcome(absl::string_view name, PlanRecords* records) {
  auto found = records->outcomes.find(InitiativeOf(name));
  if (found == records->outcomes.end()) return;
  std::vector<v1::Outcome>& list = found->second;
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](const v1::Outcome& o) { return o.name() == name; }),
             list.end());
  if (list.empty()) records->outcomes.erase(found);
}

void ReplaceInitiative(const v1::Initiative& initiative, PlanRecords* records) {
  for (v1::Initiative& stored : records->initiatives) {
    if (stored.name() == initiative.name()) stored = initiative;
  }
}

std::string InitiativeLabel(const v1::Initiative& initiative) {
  return absl::StrCat(initiative.area(), " ", initiative.number(), " ", initiative.title());
}

}  // namespace torikumi::domain
