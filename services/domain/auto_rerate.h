// The RatingTriggers the server uses: one initiative is re-rated at once (a few
// milliseconds, and the caller's next read sees it); a plan or a rule set is re-rated as a
// background job whose progress ListJobs shows, so the write that caused it returns at once.
#pragma once

#include <string>

#include "services/domain/rating_jobs.h"
#include "services/domain/rating_triggers.h"
#include "services/domain/ratings.h"

namespace torikumi::domain {

class AutoRerate : public RatingTriggers {
 public:
  AutoRerate(Ratings& ratings, RatingJobs& jobs) : ratings_(ratings), jobs_(jobs) {}

  void InitiativeChanged(absl::string_view initiative, absl::string_view trigger) override;
  std::optional<store::RatingAfterWrite> RatingBeforeWrite(absl::string_view initiative,
                                                           absl::string_view trigger,
                                                           const RecordsEdit& edit) override;
  std::optional<store::RatingAfterWrite> RatingBeforeWrite(PlanRecords records,
                                                           absl::string_view initiative,
                                                           absl::string_view trigger,
                                                           const RecordsEdit& edit) override;
  std::string PlanChanged(absl::string_view plan, absl::string_view trigger) override;
  std::string RuleSetChanged(absl::string_view rule_set, int32_t version) override;

 private:
  Ratings& ratings_;
  RatingJobs& jobs_;
};

}  // namespace torikumi::domain
