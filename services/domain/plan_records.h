// A plan read whole from the store: the plan, its initiatives in plan order and their
// outcomes. What evaluating, comparing and checking the ratings of a plan start from.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/store.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::domain {

struct PlanRecords {
  v1::Plan plan;
  std::vector<v1::Initiative> initiatives;
  // By initiative name; an initiative without outcomes has no entry.
  std::map<std::string, std::vector<v1::Outcome>> outcomes;
  // The latest as-of date any outcome carries (R4（～8月）); unset when none does.
  v1::Date as_of;
  // The change feed's newest sequence when they were read (PlanInputs::last_change).
  int64_t last_change = 0;

  // The outcomes of `initiative`, empty when it has none.
  const std::vector<v1::Outcome>& OutcomesOf(const std::string& initiative) const;
};

// Read in one snapshot (Store::ReadPlanInputs). `initiative`: "" for the whole plan, else
// only that initiative with its outcomes (as_of is still the whole plan's, as a rating of
// the plan sees it). NOT_FOUND for a missing plan or initiative; INVALID_ARGUMENT naming
// `field` for a malformed plan name.
absl::StatusOr<PlanRecords> LoadPlanRecords(store::Store& store, absl::string_view plan,
                                            absl::string_view field = "plan",
                                            absl::string_view initiative = "");

// The records of `inputs` (Store::ReadPlanInputs), outcomes grouped by initiative.
PlanRecords RecordsOf(store::PlanInputs inputs);

// A write's change applied to records read before it, as the store will apply it: `outcome`
// (with its name) created or replaced; the outcome `name` removed; `initiative` replacing the
// one of the same name. as_of follows a newer outcome; a removed one leaves it as it was.
void PutOutcome(const v1::Outcome& outcome, PlanRecords* records);
void RemoveOutcome(absl::string_view name, PlanRecords* records);
void ReplaceInitiative(const v1::Initiative& initiative, PlanRecords* records);

// "{area} {number} {title}", how a person finds the initiative in the table.
std::string InitiativeLabel(const v1::Initiative& initiative);

}  // namespace torikumi::domain
