// What changes a computed rating. The domain classes that write an initiative's evidence
// (outcomes, schedule, kind), a plan's rule set, a rule set's versions or a whole imported
// table tell a RatingTriggers after the write has landed, and the ratings side re-rates.
// A write to one existing initiative asks for its new rating before the write instead
// (RatingBeforeWrite), so that the store records it in the write's own transaction.
//
// The domain classes only know this interface, so they work (and are tested) without the
// evaluator host; the server sets the real one (AutoRerate) when ratings are enabled.
// No method may fail the write that called it: each reports its own errors.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "services/domain/plan_records.h"
#include "services/store/store.h"

namespace torikumi::domain {

// What caused a recorded rating (ComputedRating.trigger):
//   evaluate    an Evaluate call
//   outcome     an outcome of the initiative recorded or deleted
//   initiative  the initiative created, or its schedule, kind or markers changed
//   import      a table imported into the plan
//   plan        the plan named another rule set
//   rule-set    a new version of the rule set the plan follows
//   reload      the evaluator plugins were reloaded
//   round       a rating round was opened for an initiative that had no computed rating
inline constexpr absl::string_view kTriggerEvaluate = "evaluate";
inline constexpr absl::string_view kTriggerOutcome = "outcome";
inline constexpr absl::string_view kTriggerInitiative = "initiative";
inline constexpr absl::string_view kTriggerImport = "import";
inline constexpr absl::string_view kTriggerPlan = "plan";
inline constexpr absl::string_view kTriggerRuleSet = "rule-set";
inline constexpr absl::string_view kTriggerReload = "reload";
inline constexpr absl::string_view kTriggerRound = "round";

// A write's change to one initiative, applied to its records read before the write.
using RecordsEdit = std::function<void(PlanRecords*)>;

// Whether a write that computed `rating` before it still leaves its initiative to re-rate:
// the rating was computed but not recorded with the write (its inputs changed meanwhile).
inline bool NeedsRerating(const std::optional<store::RatingAfterWrite>& rating) {
  return rating.has_value() && !rating->recorded;
}

class RatingTriggers {
 public:
  virtual ~RatingTriggers() = default;

  // The evidence of one initiative changed: re-rated right after the write.
  virtual void InitiativeChanged(absl::string_view initiative, absl::string_view trigger) = 0;
  // Before a write to the existing `initiative`: the rating it will have once the write has
  // made `edit`, for the write to record in its own transaction (store::RatingAfterWrite).
  // nullopt when there is nothing to record: its plan names no rule set, or the evaluation
  // failed (logged; the initiative keeps its previous rating).
  virtual std::optional<store::RatingAfterWrite> RatingBeforeWrite(absl::string_view initiative,
                                                                   absl::string_view trigger,
                                                                   const RecordsEdit& edit) = 0;
  // The same from `records`, the initiative's records (LoadPlanRecords of its plan and it)
  // that the caller has read already.
  virtual std::optional<store::RatingAfterWrite> RatingBeforeWrite(PlanRecords records,
                                                                   absl::string_view initiative,
                                                                   absl::string_view trigger,
                                                                   const RecordsEdit& edit) = 0;
  // After that write landed: when its rating was computed but not recorded with it (its
  // inputs changed meanwhile), re-rates as InitiativeChanged does.
  void InitiativeWritten(absl::string_view initiative, absl::string_view trigger,
                         const std::optional<store::RatingAfterWrite>& rating) {
    if (NeedsRerating(rating)) InitiativeChanged(initiative, trigger);
  }
  // Many initiatives of a plan, or the rule set it names, changed: re-rated in the
  // background. Returns the job ("jobs/{n}"), or "" when nothing is to be rated (the plan
  // names no rule set).
  virtual std::string PlanChanged(absl::string_view plan, absl::string_view trigger) = 0;
  // A new version of a rule set was stored: the plans that follow its latest version are
  // re-rated in the background. Returns the job, or "" when no plan follows it.
  virtual std::string RuleSetChanged(absl::string_view rule_set, int32_t version) = 0;
};

}  // namespace torikumi::domain
