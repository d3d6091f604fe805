#include "services/domain/rating_jobs.h"

#include <unistd.h>

#include <algorithm>
#include <limits>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/domain/change_feed.h"
#include "services/domain/page_token.h"

namespace torikumi::domain {
namespace {

metrics::Family& PendingGauge() {
  return metrics::Gauge("torikumi_jobs_pending", "Re-rating jobs waiting for a worker.");
}

// Unique among the servers of one database, and readable in ListJobs' logs.
std::string DefaultHolder() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::random_device random;
  return absl::StrCat(host, ":", getpid(), ":", absl::Hex(random()));
}

bool Ended(const v1::Job& job) {
  return job.state() == v1::Job::STATE_SUCCEEDED || job.state() == v1::Job::STATE_FAILED;
}

}  // namespace

RatingJobs::RatingJobs(Ratings& ratings, store::Store& store, RatingJobsOptions options)
    : ratings_(ratings), store_(store), options_(std::move(options)) {
  if (options_.holder.empty()) options_.holder = DefaultHolder();
  worker_ = std::thread([this] { Run(); });
  heartbeat_ = std::thread([this] { Heartbeat(); });
}

void RatingJobs::RecordChange(v1::ChangeType type, const v1::Job& job,
                              const std::vector<std::string>& plans) {
  if (!options_.record_changes) return;
  // The job goes on whether or not the feed hears of it.
  if (absl::Status s = RecordJobChange(store_, type, job, plans); !s.ok()) {
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
  heartbeat_.join();
}

absl::StatusOr<std::string> RatingJobs::Start(std::string description,
                                              std::vector<std::string> plans,
                                              absl::string_view trigger) {
  store::JobWork work;
  work.job.set_description(std::move(description));
  work.job.set_total(static_cast<int32_t>(plans.size()));
  work.plans = std::move(plans);
  work.trigger = std::string(trigger);
  absl::StatusOr<store::EnqueueJobResult> queued = store_.EnqueueJob(work, kMaxPendingJobs);
  if (absl::IsResourceExhausted(queued.status())) {
    metrics::Counter("torikumi_jobs_refused_total",
                     "Re-rating jobs refused because kMaxPendingJobs were waiting.")
        .Add({});
  }
  if (!queued.ok()) return queued.status();
  if (queued->created) {
    MutexLock lock(&mu_);
    RecordChange(v1::CHANGE_TYPE_CREATED, queued->job, work.plans);
    queued_ = true;
    changed_.SignalAll();
  }
  return queued->job.name();
}

absl::StatusOr<std::vector<v1::Job>> RatingJobs::List() const {
  absl::StatusOr<store::ListResult<v1::Job>> jobs =
      store_.ListJobs({.offset = 0, .limit = std::numeric_limits<int32_t>::max()});
  if (!jobs.ok()) return jobs.status();
  return std::move(jobs->items);
}

absl::StatusOr<v1::ListJobsResponse> RatingJobs::List(const v1::ListJobsRequest& request) const {
  constexpr absl::string_view kQuery = "jobs";
  absl::StatusOr<store::Page> page =
      PageFromRequest(request.page_size(), request.page_token(), kQuery);
  if (!page.ok()) return page.status();
  absl::StatusOr<store::ListResult<v1::Job>> jobs = store_.ListJobs(*page);
  if (!jobs.ok()) return jobs.status();
  v1::ListJobsResponse response;
  for (v1::Job& job : jobs->items) *response.add_jobs() = std::move(job);
  response.set_next_page_token(NextPageToken(*page, response.jobs_size(), jobs->total, kQuery));
  response.set_total_size(TotalSize(jobs->total));
  return response;
}

bool RatingJobs::Unfinished() const {
  absl::StatusOr<std::vector<v1::Job>> jobs = List();
  return !jobs.ok() ||
         std::any_of(jobs->begin(), jobs->end(), [](const v1::Job& job) { return !Ended(job); });
}

bool RatingJobs::WaitIdle(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    // The store first: a job it shows ended was claimed here before, so running_ tells
    // whether its last change is recorded yet.
    const bool unfinished = Unfinished();
    MutexLock lock(&mu_);
    if (!unfinished && running_.empty()) return true;
    if (changed_.WaitWithDeadline(&mu_, std::min(deadline, absl::Now() + absl::Milliseconds(20))) &&
        absl::Now() >= deadline) {
      return false;
    }
  }
}

void RatingJobs::Run() {
  const absl::Duration poll = options_.lease / 3;
  while (true) {
    {
      MutexLock lock(&mu_);
      if (stopping_) return;
      queued_ = false;
    }
    absl::StatusOr<std::optional<store::JobWork>> claimed =
        store_.ClaimJob(options_.holder, options_.lease);
    if (!claimed.ok()) log::Error("cannot claim a re-rating job: ", claimed.status().ToString());
    if (claimed.ok() && claimed->has_value()) {
      RunJob(**std::move(claimed));
      continue;
    }
    if (claimed.ok()) PendingGauge().Set({}, 0);
    MutexLock lock(&mu_);
    const absl::Time next = absl::Now() + poll;
    while (!stopping_ && !queued_ && !changed_.WaitWithDeadline(&mu_, next)) {
    }
  }
}

void RatingJobs::RunJob(store::JobWork work) {
  v1::Job& job = work.job;
  {
    MutexLock lock(&mu_);
    running_ = job.name();
    lost_ = false;
    log::Info(job.name(), " (", job.description(), ") claimed by ", options_.holder, " at plan ",
              job.done() + 1, " of ", job.total());
    RecordChange(v1::CHANGE_TYPE_UPDATED, job, work.plans);
    changed_.SignalAll();
  }
  bool failed = job.errors_size() > 0;
  bool lost = false;
  for (size_t i = static_cast<size_t>(job.done()); i < work.plans.size() && !lost; ++i) {
    const std::string& plan = work.plans[i];
    if (absl::Status status = ratings_.ReratePlan(plan, work.trigger); !status.ok()) {
      failed = true;
      job.add_errors(absl::StrCat(plan, ": ", status.ToString()));
      log::Error(absl::StrCat(job.name(), ": re-rating ", plan, " failed: ", status.ToString()));
    }
    job.set_done(static_cast<int32_t>(i + 1));
    absl::Status recorded = store_.RecordJobProgress(job, options_.holder, options_.lease);
    if (!recorded.ok())
      log::Error(job.name(), ": cannot record its progress: ", recorded.ToString());
    MutexLock lock(&mu_);
    lost = lost_ || absl::IsFailedPrecondition(recorded);
  }
  absl::StatusOr<v1::Job> ended = absl::FailedPreconditionError("lease lost");
  if (!lost) {
    job.set_state(failed ? v1::Job::STATE_FAILED : v1::Job::STATE_SUCCEEDED);
    ended = store_.FinishJob(job, options_.holder);
  }
  MutexLock lock(&mu_);
  if (ended.ok()) {
    metrics::Counter("torikumi_jobs_total", "Re-rating jobs ended, by their final state.")
        .Add({{"state", failed ? "failed" : "succeeded"}});
    log::Info(absl::StrCat(job.name(), " (", job.description(), ") ended: ", job.done(), "/",
                           job.total(), " plans re-rated", failed ? " with errors" : ""));
    RecordChange(v1::CHANGE_TYPE_UPDATED, *ended, work.plans);
  } else {
    log::Warning(job.name(), ": left to another server: ", ended.status().ToString());
  }
  running_.clear();
  changed_.SignalAll();
}

void RatingJobs::Heartbeat() {
  MutexLock lock(&mu_);
  while (!stopping_ || !running_.empty()) {
    changed_.WaitWithDeadline(&mu_, absl::Now() + options_.lease / 3);
    if (running_.empty()) continue;
    const std::string job = running_;
    absl::Status renewed;
    {
      mu_.Unlock();
      renewed = store_.RenewJobLease(job, options_.holder, options_.lease);
      mu_.Lock();
    }
    if (!renewed.ok()) log::Error(job, ": cannot renew its lease: ", renewed.ToString());
    if (absl::IsFailedPrecondition(renewed) && running_ == job) lost_ = true;
  }
}

}  // namespace torikumi::domain
