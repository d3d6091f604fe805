#include "services/domain/auto_rerate.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"

namespace torikumi::domain {
namespace {

// The job's name, or "" after logging why it could not be queued: the write that asked for
// it stands, and its plan keeps its previous rating until the next re-rating.
std::string QueueOrLog(absl::StatusOr<std::string> job) {
  if (job.ok()) return *std::move(job);
  log::Error("re-rating not queued: ", job.status().message());
  return "";
}

// The rating, or nullopt after logging why there is none: a failure leaves the initiative
// with its previous rating, and the write goes ahead.
std::optional<store::RatingAfterWrite> RatingOrLog(
    absl::string_view initiative, absl::string_view trigger,
    absl::StatusOr<std::optional<store::RatingAfterWrite>> rating) {
  if (!rating.ok()) {
    log::Error("re-rating ", initiative, " before a change (", trigger,
               ") failed: ", rating.status().ToString());
    return std::nullopt;
  }
  return *std::move(rating);
}

}  // namespace

void AutoRerate::InitiativeChanged(absl::string_view initiative, absl::string_view trigger) {
  // A failure leaves the initiative with its previous rating; the write stands.
  if (absl::Status s = ratings_.RerateInitiative(initiative, trigger); !s.ok()) {
    log::Error("re-rating ", initiative, " after a change (", trigger, ") failed: ", s.ToString());
  }
}

std::optional<store::RatingAfterWrite> AutoRerate::RatingBeforeWrite(absl::string_view initiative,
                                                                     absl::string_view trigger,
                                                                     const RecordsEdit& edit) {
  return RatingOrLog(initiative, trigger, ratings_.RateBeforeWrite(initiative, trigger, edit));
}

std::optional<store::RatingAfterWrite> AutoRerate::RatingBeforeWrite(PlanRecords records,
                                                                     absl::string_view initiative,
                                                                     absl::string_view trigger,
                                                                     const RecordsEdit& edit) {
  return RatingOrLog(initiative, trigger,
                     ratings_.RateBeforeWrite(std::move(records), initiative, trigger, edit));
}

std::string AutoRerate::PlanChanged(absl::string_view plan, absl::string_view trigger) {
  absl::StatusOr<bool> rated = ratings_.PlanHasRuleSet(plan);
  if (!rated.ok()) {
    log::Error("cannot tell whether ", plan, " is to be re-rated (", trigger,
               "): ", rated.status().ToString());
    return "";
  }
  if (!*rated) return "";
  return QueueOrLog(jobs_.Start(absl::StrCat(trigger, " ", plan), {std::string(plan)}, trigger));
}

std::string AutoRerate::RuleSetChanged(absl::string_view rule_set, int32_t version) {
  absl::StatusOr<std::vector<std::string>> plans = ratings_.PlansFollowingRuleSet(rule_set);
  if (!plans.ok()) {
    log::Error("cannot find the plans to re-rate after ", rule_set, "@", version, ": ",
               plans.status().ToString());
    return "";
  }
  if (plans->empty()) return "";
  return QueueOrLog(jobs_.Start(absl::StrCat("rule-set ", rule_set, "@", version),
                                *std::move(plans), kTriggerRuleSet));
}

}  // namespace torikumi::domain
