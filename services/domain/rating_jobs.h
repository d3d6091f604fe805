// Background re-rating: a new rule-set version or a plugin reload re-rates the affected
// plans on one worker thread, as jobs whose progress can be listed. Reads never wait for
// a job: each plan is re-rated as its own store write.
#pragma once

#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/mutex.h"
#include "services/domain/ratings.h"
#include "torikumi/v1/change_service.pb.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::domain {

// The most jobs that may wait for the worker; one more is refused (RESOURCE_EXHAUSTED).
inline constexpr int kMaxPendingJobs = 64;

class RatingJobs {
 public:
  // `change_feed`: where job changes are recorded (change_feed.h); nullptr: nowhere.
  explicit RatingJobs(Ratings& ratings, store::Store* change_feed = nullptr);
  // Finishes the job running now, drops the ones still pending, and joins the worker.
  ~RatingJobs();
  RatingJobs(const RatingJobs&) = delete;
  RatingJobs& operator=(const RatingJobs&) = delete;

  // Queues a job re-rating `plans` with `trigger` (kTriggerRuleSet, kTriggerReload); returns
  // its name "jobs/{n}". A job still pending with the same plans and trigger already does
  // that work: its name is returned and nothing is queued. RESOURCE_EXHAUSTED when
  // kMaxPendingJobs wait already.
  absl::StatusOr<std::string> Start(std::string description, std::vector<std::string> plans,
                                    absl::string_view trigger);
  // Every job kept, newest first.
  std::vector<v1::Job> List() const;
  // One page of List(): page_size and page_token as in the other List methods.
  absl::StatusOr<v1::ListJobsResponse> List(const v1::ListJobsRequest& request) const;
  // Forgets the jobs that ended before `before` (a job ends after every older one, since
  // one worker runs them in order); returns how many.
  int64_t PruneEnded(absl::Time before);
  // True once every queued job has ended (or timeout passed). For tests and shutdown.
  bool WaitIdle(absl::Duration timeout) const;

 private:
  struct Work {
    int64_t number;  // of jobs/{number}
    std::vector<std::string> plans;
    std::string trigger;
  };
  void Run();
  // Records a job's change in the change feed, under mu_ so that its events keep its order.
  void RecordChange(v1::ChangeType type, const v1::Job& job, const std::vector<std::string>& plans)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Ratings& ratings_;
  store::Store* const change_feed_;
  mutable Mutex mu_;
  // Signalled when a job is queued, one ends, or the worker is asked to stop.
  mutable CondVar changed_;
  // The job jobs/{n} is jobs_[n - 1 - pruned_]: ended jobs leave from the front.
  v1::Job& JobNumbered(int64_t number) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return jobs_[number - 1 - pruned_];
  }
  std::deque<v1::Job> jobs_ ABSL_GUARDED_BY(mu_);
  int64_t pruned_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<Work> queue_ ABSL_GUARDED_BY(mu_);
  bool busy_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread worker_;
};

}  // namespace torikumi::domain
