// What both store backends share about re-rating jobs: their names, how a job's plans are
// kept in one column, and which results may end a job.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::store {

// "jobs/{id}".
std::string JobName(int64_t id);
// The id of "jobs/{id}"; NOT_FOUND for any other name (no such job can exist).
absl::StatusOr<int64_t> ParseJobName(absl::string_view name);
// Plan names never hold a newline, so one joined string identifies the list.
std::string JoinJobPlans(const std::vector<std::string>& plans);
std::vector<std::string> SplitJobPlans(absl::string_view joined);
// INVALID_ARGUMENT unless `state` is SUCCEEDED or FAILED.
absl::Status CheckFinalJobState(v1::Job::State state);
// RESOURCE_EXHAUSTED: the job `description` finds `pending` jobs waiting already.
absl::Status PendingJobsFull(absl::string_view description, int64_t pending);
// FAILED_PRECONDITION: `holder` holds job `name` no more.
absl::Status LostJobLease(absl::string_view name, absl::string_view holder);

}  // namespace torikumi::store
