// Background re-rating: a new rule-set version or a plugin reload re-rates the affected
// plans as jobs kept in the store, whose progress can be listed. Every server on a database
// runs one worker that claims a job at a time under a lease, renews it while it works and
// looks for claimable jobs every lease/3: jobs other servers queued, and jobs whose lease
// expired because the server running them died. Reads never wait for a job: each plan is
// re-rated as its own store write.
#pragma once

#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/mutex.h"
#include "services/domain/ratings.h"
#include "services/store/store.h"
#include "torikumi/v1/change_service.pb.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::domain {

// The most jobs that may wait for the workers; one more is refused (RESOURCE_EXHAUSTED).
inline constexpr int kMaxPendingJobs = 64;

struct RatingJobsOptions {
  // Whether job changes are recorded in the store's change feed (change_feed.h).
  bool record_changes = false;
  // This server as the holder of the jobs it claims; empty: host name, process id and a
  // random part.
  std::string holder;
  // How long a claimed job stays this server's without a renewal: once it has passed,
  // another server takes the job over and finishes it.
  absl::Duration lease = absl::Seconds(30);
};

class RatingJobs {
 public:
  // Jobs are kept in `store`; `ratings` re-rates their plans.
  RatingJobs(Ratings& ratings, store::Store& store, RatingJobsOptions options = {});
  // Finishes the job running now and joins the worker; pending jobs stay in the store for
  // another server (or the next start) to run.
  ~RatingJobs();
  RatingJobs(const RatingJobs&) = delete;
  RatingJobs& operator=(const RatingJobs&) = delete;

  // Queues a job re-rating `plans` with `trigger` (kTriggerRuleSet, kTriggerReload); returns
  // its name "jobs/{n}". A job still pending with the same plans and trigger already does
  // that work: its name is returned and nothing is queued. RESOURCE_EXHAUSTED when
  // kMaxPendingJobs wait already.
  absl::StatusOr<std::string> Start(std::string description, std::vector<std::string> plans,
                                    absl::string_view trigger);
  // Every job of every server, newest first.
  absl::StatusOr<std::vector<v1::Job>> List() const;
  // One page of List(): page_size and page_token as in the other List methods.
  absl::StatusOr<v1::ListJobsResponse> List(const v1::ListJobsRequest& request) const;
  // True once every job in the store has ended and this worker is idle (or timeout passed).
  // For tests and shutdown.
  bool WaitIdle(absl::Duration timeout) const;
  const std::string& holder() const { return options_.holder; }

 private:
  void Run();
  // Re-rates the claimed job's plans from job.done on, then ends it unless the lease was lost.
  void RunJob(store::JobWork work);
  // Renews the lease of the running job every lease/3 while the worker re-rates.
  void Heartbeat();
  bool Unfinished() const;
  // Records a job's change in the change feed, under mu_ so that its events keep its order.
  void RecordChange(v1::ChangeType type, const v1::Job& job, const std::vector<std::string>& plans)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Ratings& ratings_;
  store::Store& store_;
  RatingJobsOptions options_;
  mutable Mutex mu_;
  // Signalled when a job is queued here, one starts or ends, or the worker is asked to stop.
  mutable CondVar changed_;
  // The job the worker runs ("" when none), and whether its lease was lost meanwhile.
  std::string running_ ABSL_GUARDED_BY(mu_);
  bool lost_ ABSL_GUARDED_BY(mu_) = false;
  bool queued_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread worker_;
  std::thread heartbeat_;
};

}  // namespace torikumi::domain
