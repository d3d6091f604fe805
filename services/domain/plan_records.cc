#include "services/domain/plan_records.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/domain/list_all.h"

namespace torikumi::domain {
namespace {

int DateKey(const v1::Date& date) { return date.year() * 10000 + date.month() * 100 + date.day(); }

}  // namespace

const std::vector<v1::Outcome>& PlanRecords::OutcomesOf(const std::string& initiative) const {
  static const std::vector<v1::Outcome>* const kNone = new std::vector<v1::Outcome>();
  auto found = outcomes.find(initiative);
  return found == outcomes.end() ? *kNone : found->second;
}

absl::StatusOr<PlanRecords> LoadPlanRecords(store::Store& store, absl::string_view plan,
                                            absl::string_view field) {
  if (auto parsed = ParsePlanName(plan, field); !parsed.ok()) return parsed.status();
  PlanRecords records;
  absl::StatusOr<v1::Plan> found = store.GetPlan(plan);
  if (!found.ok()) return found.status();
  records.plan = *std::move(found);
  absl::StatusOr<std::vector<v1::Initiative>> initiatives = ListAll<v1::Initiative>(
      [&](store::Page page) { return store.ListInitiatives(plan, v1::InitiativeFilter(), page); });
  if (!initiatives.ok()) return initiatives.status();
  records.initiatives = *std::move(initiatives);
  const std::string every = absl::StrCat(plan, "/initiatives/-");
  absl::StatusOr<std::vector<v1::Outcome>> outcomes = ListAll<v1::Outcome>(
      [&](store::Page page) { return store.ListOutcomes(every, std::nullopt, page); });
  if (!outcomes.ok()) return outcomes.status();
  for (v1::Outcome& outcome : *outcomes) {
    if (DateKey(outcome.as_of()) > DateKey(records.as_of)) records.as_of = outcome.as_of();
    const size_t at = outcome.name().find("/outcomes/");
    records.outcomes[outcome.name().substr(0, at)].push_back(std::move(outcome));
  }
  return records;
}

std::string InitiativeLabel(const v1::Initiative& initiative) {
  return absl::StrCat(initiative.area(), " ", initiative.number(), " ", initiative.title());
}

}  // namespace torikumi::domain
