#include "services/domain/rating_jobs.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/timestamp.h"
#include "services/domain/change_feed.h"
#include "services/domain/page_token.h"

namespace torikumi::domain {
namespace {

metrics::Family& PendingGauge() {
  return metrics::Gauge("torikumi_jobs_pending", "Re-rating jobs waiting for the worker.");
}

}  // namespace

RatingJobs::RatingJobs(Ratings& ratings, store::Store* change_feed)
    : ratings_(ratings), change_feed_(change_feed), worker_([this] { Run(); }) {}

void RatingJobs::RecordChange(v1::ChangeType type, const v1::Job& job,
                              const std::vector<std::string>& plans) {
  if (change_feed_ == nullptr) return;
  // The job goes on whether or not the feed hears of it.
  if (absl::Status s = RecordJobChange(*change_feed_, type, job, plans); !s.ok()) {
    log::Error(job.name(), ": cannot record its change in the change feed: ", s.ToString());
  }
}

RatingJobs::~RatingJobs() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    changed_.SignalAll();
  }
  worker_.join();
}

absl::StatusOr<std::string> RatingJobs::Start(std::string description,
                                              std::vector<std::string> plans,
                                              absl::string_view trigger) {
  MutexLock lock(&mu_);
  for (const Work& pending : queue_) {
    if (pending.plans == plans && pending.trigger == trigger) {
      return JobNumbered(pending.number).name();
    }
  }
  if (static_cast<int>(queue_.size()) >= kMaxPendingJobs) {
    metrics::Counter("torikumi_jobs_refused_total",
                     "Re-rating jobs refused because kMaxPendingJobs were waiting.")
        .Add({});
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot queue the re-rating job '", description, "': ", queue_.size(),
                     " jobs are waiting already, the most the server queues; retry later"));
  }
  v1::Job& job = jobs_.emplace_back();
  const int64_t number = pruned_ + static_cast<int64_t>(jobs_.size());
  job.set_name(absl::StrCat("jobs/", number));
  job.set_description(std::move(description));
  job.set_state(v1::Job::STATE_PENDING);
  job.set_total(static_cast<int32_t>(plans.size()));
  *job.mutable_create_time() = NowTimestamp();
  RecordChange(v1::CHANGE_TYPE_CREATED, job, plans);
  queue_.push_back(Work{number, std::move(plans), std::string(trigger)});
  PendingGauge().Set({}, static_cast<double>(queue_.size()));
  changed_.SignalAll();
  return job.name();
}

std::vector<v1::Job> RatingJobs::List() const {
  MutexLock lock(&mu_);
  return std::vector<v1::Job>(jobs_.rbegin(), jobs_.rend());
}

absl::StatusOr<v1::ListJobsResponse> RatingJobs::List(const v1::ListJobsRequest& request) const {
  constexpr absl::string_view kQuery = "jobs";
  absl::StatusOr<store::Page> page =
      PageFromRequest(request.page_size(), request.page_token(), kQuery);
  if (!page.ok()) return page.status();
  MutexLock lock(&mu_);
  v1::ListJobsResponse response;
  const int64_t total = static_cast<int64_t>(jobs_.size());
  for (int64_t i = page->offset; i < total && i < page->offset + page->limit; ++i) {
    *response.add_jobs() = jobs_[total - 1 - i];
  }
  response.set_next_page_token(NextPageToken(*page, response.jobs_size(), total, kQuery));
  response.set_total_size(TotalSize(total));
  return response;
}

int64_t RatingJobs::PruneEnded(absl::Time before) {
  MutexLock lock(&mu_);
  int64_t pruned = 0;
  while (!jobs_.empty() && jobs_.front().has_end_time() &&
         FromTimestamp(jobs_.front().end_time()) < before) {
    jobs_.pop_front();
    ++pruned_;
    ++pruned;
  }
  return pruned;
}

bool RatingJobs::WaitIdle(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  MutexLock lock(&mu_);
  while (!(queue_.empty() && !busy_) && !changed_.WaitWithDeadline(&mu_, deadline)) {
  }
  return queue_.empty() && !busy_;
}

void RatingJobs::Run() {
  while (true) {
    Work work;
    {
      MutexLock lock(&mu_);
      while (!stopping_ && queue_.empty()) changed_.Wait(&mu_);
      if (stopping_) return;
      work = std::move(queue_.front());
      queue_.pop_front();
      PendingGauge().Set({}, static_cast<double>(queue_.size()));
      busy_ = true;
      JobNumbered(work.number).set_state(v1::Job::STATE_RUNNING);
      RecordChange(v1::CHANGE_TYPE_UPDATED, JobNumbered(work.number), work.plans);
    }
    bool failed = false;
    for (const std::string& plan : work.plans) {
      absl::Status status = ratings_.ReratePlan(plan, work.trigger);
      MutexLock lock(&mu_);
      v1::Job& job = JobNumbered(work.number);
      if (!status.ok()) {
        failed = true;
        job.add_errors(absl::StrCat(plan, ": ", status.ToString()));
        log::Error(absl::StrCat(job.name(), ": re-rating ", plan, " failed: ", status.ToString()));
      }
      job.set_done(job.done() + 1);
    }
    MutexLock lock(&mu_);
    v1::Job& job = JobNumbered(work.number);
    job.set_state(failed ? v1::Job::STATE_FAILED : v1::Job::STATE_SUCCEEDED);
    *job.mutable_end_time() = NowTimestamp();
    metrics::Counter("torikumi_jobs_total", "Re-rating jobs ended, by their final state.")
        .Add({{"state", failed ? "failed" : "succeeded"}});
    log::Info(absl::StrCat(job.name(), " (", job.description(), ") ended: ", job.done(), "/",
                           job.total(), " plans re-rated", failed ? " with errors" : ""));
    RecordChange(v1::CHANGE_TYPE_UPDATED, job, work.plans);
    busy_ = false;
    changed_.SignalAll();
  }
}

}  // namespace torikumi::domain
