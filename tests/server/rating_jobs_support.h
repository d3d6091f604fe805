// Waiting for a background re-rating job over RatingService.ListJobs, for the server tests
// (header-only: the tests that use it link the torikumi.v1 stubs already).
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/time/clock.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/rating_service.grpc.pb.h"

namespace torikumi::server_test {

// Polls until `job` has SUCCEEDED or FAILED (at most kWaitBound) and returns it as last
// listed: a job still pending or running, or an empty one if it never showed up.
inline v1::Job WaitForJob(v1::RatingService::Stub& ratings, const std::string& job) {
  v1::Job found;
  PollUntil(kWaitBound, [&] {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    v1::ListJobsResponse jobs;
    if (!ratings.ListJobs(&context, v1::ListJobsRequest(), &jobs).ok()) return false;
    for (const v1::Job& j : jobs.jobs()) {
      if (j.name() == job) found = j;
    }
    return found.state() == v1::Job::STATE_SUCCEEDED || found.state() == v1::Job::STATE_FAILED;
  });
  return found;
}

}  // namespace torikumi::server_test
