#include "services/store/job_records.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace torikumi::store {

std::string JobName(int64_t id) { return absl::StrCat("jobs/", id); }

absl::StatusOr<int64_t> ParseJobName(absl::string_view name) {
  absl::string_view id_text = name;
  int64_t id = 0;
  if (!absl::ConsumePrefix(&id_text, "jobs/") || !absl::SimpleAtoi(id_text, &id) || id <= 0) {
    return absl::NotFoundError(absl::StrCat("job '", name, "' not found"));
  }
  return id;
}

std::string JoinJobPlans(const std::vector<std::string>& plans) {
  return absl::StrJoin(plans, "\n");
}

std::vector<std::string> SplitJobPlans(absl::string_view joined) {
  if (joined.empty()) return {};
  return absl::StrSplit(joined, '\n');
}

absl::Status CheckFinalJobState(v1::Job::State state) {
  if (state == v1::Job::STATE_SUCCEEDED || state == v1::Job::STATE_FAILED) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("a job ends as SUCCEEDED or FAILED, not ", v1::Job::State_Name(state)));
}

absl::Status PendingJobsFull(absl::string_view description, int64_t pending) {
  return absl::ResourceExhaustedError(
      absl::StrCat("cannot queue the re-rating job '", description, "': ", pending,
                   " jobs are waiting already, the most the servers queue; retry later"));
}

absl::Status LostJobLease(absl::string_view name, absl::string_view holder) {
  return absl::FailedPreconditionError(
      absl::StrCat(name, " is not running under '", holder,
                   "' any more: its lease expired and another server took it over, or it ended"));
}

}  // namespace torikumi::store
