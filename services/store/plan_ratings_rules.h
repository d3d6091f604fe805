// How every Store backend records a whole-plan evaluation's ratings where they still hold
// (Store::RecordPlanRatingsWhereHold): the changes after the evaluation's snapshot say which
// initiatives to read again, and only those are. The backends supply the steps that touch
// their database, inside the write's transaction.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/store/changes.h"
#include "services/store/store.h"

namespace torikumi::store::rules {

// What the changes of a plan committed after a sequence concern.
struct ChangedSince {
  // The plan itself was written or deleted, or the feed no longer reaches back that far.
  bool plan = false;
  // Initiatives written or deleted, or one of whose outcomes was.
  std::set<std::string> initiatives;
};

struct PlanRatingsSteps {
  // Store::ListChanges as the transaction sees the feed.
  absl::FunctionRef<absl::StatusOr<ChangePage>(const ChangeQuery& query)> list_changes;
  // Store::ReadPlanInputs as the transaction sees the database.
  absl::FunctionRef<absl::StatusOr<PlanInputs>(const std::string& plan,
                                               const std::string& initiative)>
      read_inputs;
  // The latest version of a rule set; 0 when there is none.
  absl::FunctionRef<absl::StatusOr<int32_t>(const std::string& rule_set)> latest_version;
  // Inserts the ratings with their changes.
  absl::FunctionRef<absl::Status(const std::vector<v1::ComputedRating>& ratings)> insert;
};

// What the changes of `plan` after `after` concern, read page by page through `list_changes`.
absl::StatusOr<ChangedSince> ChangesSince(const std::string& plan, int64_t after,
                                          const PlanRatingsSteps& steps);

// Records the ratings of `ratings` that hold (PlanRatings::holds, asked with the initiatives
// the changes after ratings->after_change concern) and sets ratings->recorded.
absl::Status RecordPlanRatingsWhereHold(PlanRatings* ratings, const PlanRatingsSteps& steps);

}  // namespace torikumi::store::rules
