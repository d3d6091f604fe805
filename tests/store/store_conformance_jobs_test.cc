// Re-rating jobs at the storage boundary: queued once per distinct piece of work, claimed by
// one holder at a time under a lease, taken over once the lease has expired, and ended only
// by the holder that runs them.
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

JobWork Work(std::vector<std::string> plans, absl::string_view trigger = "reload") {
  JobWork work;
  work.job.set_description(absl::StrCat(trigger, " of ", plans.size()));
  work.job.set_total(static_cast<int32_t>(plans.size()));
  work.plans = std::move(plans);
  work.trigger = std::string(trigger);
  return work;
}

TEST_P(StoreConformance, JobsAreQueuedOncePerWorkAndBounded) {
  absl::StatusOr<EnqueueJobResult> first = store().EnqueueJob(Work({"p/a", "p/b"}), 3);
  ASSERT_OK(first.status());
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->job.name(), "jobs/1");
  EXPECT_EQ(first->job.state(), v1::Job::STATE_PENDING);
  EXPECT_EQ(first->job.total(), 2);
  EXPECT_TRUE(first->job.has_create_time());

  absl::StatusOr<EnqueueJobResult> same = store().EnqueueJob(Work({"p/a", "p/b"}), 3);
  ASSERT_OK(same.status());
  EXPECT_FALSE(same->created);
  EXPECT_EQ(same->job.name(), first->job.name());
  // Other plans, another order or another trigger is other work.
  ASSERT_TRUE(store().EnqueueJob(Work({"p/b", "p/a"}), 3)->created);
  ASSERT_TRUE(store().EnqueueJob(Work({"p/a", "p/b"}, "rule-set"), 3)->created);
  absl::StatusOr<EnqueueJobResult> full = store().EnqueueJob(Work({"p/c"}), 3);
  EXPECT_EQ(full.status().code(), absl::StatusCode::kResourceExhausted) << full.status();
  EXPECT_TRUE(absl::StrContains(full.status().message(), "3 jobs are waiting")) << full.status();

  absl::StatusOr<ListResult<v1::Job>> listed = store().ListJobs(Page{.offset = 0, .limit = 10});
  ASSERT_OK(listed.status());
  EXPECT_EQ(Names(listed->items), (std::vector<std::string>{"jobs/3", "jobs/2", "jobs/1"}));
  EXPECT_EQ(listed->total, 3);
  listed = store().ListJobs(Page{.offset = 1, .limit = 1});
  ASSERT_OK(listed.status());
  EXPECT_EQ(Names(listed->items), (std::vector<std::string>{"jobs/2"}));
  EXPECT_EQ(listed->total, 3);
}

TEST_P(StoreConformance, AClaimedJobIsHeldByOneHolderUntilItEnds) {
  ASSERT_OK(store().EnqueueJob(Work({"p/a", "p/b"}), 8).status());
  absl::StatusOr<std::optional<JobWork>> claimed = store().ClaimJob("one", absl::Minutes(5));
  ASSERT_OK(claimed.status());
  ASSERT_TRUE(claimed->has_value());
  EXPECT_EQ((*claimed)->job.name(), "jobs/1");
  EXPECT_EQ((*claimed)->job.state(), v1::Job::STATE_RUNNING);
  EXPECT_EQ((*claimed)->plans, (std::vector<std::string>{"p/a", "p/b"}));
  EXPECT_EQ((*claimed)->trigger, "reload");
  // Nothing else to claim: the job is held, and a running job is not identical pending work.
  EXPECT_FALSE(store().ClaimJob("two", absl::Minutes(5))->has_value());
  ASSERT_TRUE(store().EnqueueJob(Work({"p/a", "p/b"}), 8)->created);
  ASSERT_TRUE(store().ClaimJob("two", absl::Minutes(5))->has_value());

  v1::Job progress = (*claimed)->job;
  progress.set_done(1);
  progress.add_errors("p/a: failed");
  EXPECT_EQ(store().RecordJobProgress(progress, "two", absl::Minutes(5)).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_OK(store().RecordJobProgress(progress, "one", absl::Minutes(5)));
  ASSERT_OK(store().RenewJobLease("jobs/1", "one", absl::Minutes(5)));
  EXPECT_EQ(store().RenewJobLease("jobs/1", "two", absl::Minutes(5)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store().RenewJobLease("jobs/99", "one", absl::Minutes(5)).code(),
            absl::StatusCode::kNotFound);
  v1::Job listed = store().ListJobs(Page{})->items.back();
  EXPECT_EQ(listed.state(), v1::Job::STATE_RUNNING);
  EXPECT_EQ(listed.done(), 1);
  EXPECT_EQ(listed.errors_size(), 1);

  v1::Job result = progress;
  result.set_done(2);
  result.set_state(v1::Job::STATE_PENDING);
  EXPECT_EQ(store().FinishJob(result, "one").status().code(), absl::StatusCode::kInvalidArgument);
  result.set_state(v1::Job::STATE_FAILED);
  EXPECT_EQ(store().FinishJob(result, "two").status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<v1::Job> ended = store().FinishJob(result, "one");
  ASSERT_OK(ended.status());
  EXPECT_EQ(ended->state(), v1::Job::STATE_FAILED);
  EXPECT_EQ(ended->done(), 2);
  EXPECT_EQ(ended->errors(0), "p/a: failed");
  EXPECT_TRUE(ended->has_end_time());
  EXPECT_EQ(store().ListJobs(Page{})->items.back().state(), v1::Job::STATE_FAILED);
  // An ended job is nobody's any more.
  EXPECT_EQ(store().RenewJobLease("jobs/1", "one", absl::Minutes(5)).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(StoreConformance, AJobWhoseLeaseExpiredIsTakenOverWhereItWas) {
  // Long enough that the claim right after the renewal finds it held even when a sanitizer
  // build on a loaded machine takes a while between the two calls.
  const absl::Duration lease = absl::Seconds(3);
  ASSERT_OK(store().EnqueueJob(Work({"p/a", "p/b", "p/c"}), 8).status());
  absl::StatusOr<std::optional<JobWork>> claimed = store().ClaimJob("dies", lease);
  ASSERT_OK(claimed.status());
  ASSERT_TRUE(claimed->has_value());
  v1::Job progress = (*claimed)->job;
  progress.set_done(1);
  ASSERT_OK(store().RecordJobProgress(progress, "dies", lease));
  const absl::Time renewed = absl::Now();  // the lease was renewed until before renewed + lease
  EXPECT_FALSE(store().ClaimJob("takes over", absl::Minutes(5))->has_value()) << "lease holds";

  absl::SleepFor(renewed + lease + absl::Milliseconds(100) - absl::Now());
  absl::StatusOr<std::optional<JobWork>> taken = store().ClaimJob("takes over", absl::Minutes(5));
  ASSERT_OK(taken.status());
  ASSERT_TRUE(taken->has_value());
  EXPECT_EQ((*taken)->job.name(), "jobs/1");
  EXPECT_EQ((*taken)->job.done(), 1) << "resumed where the first holder was";
  EXPECT_EQ((*taken)->plans.size(), 3u);
  // The first holder lost it: its progress and its end are refused.
  EXPECT_EQ(store().RecordJobProgress(progress, "dies", absl::Minutes(5)).code(),
            absl::StatusCode::kFailedPrecondition);
  v1::Job result = (*taken)->job;
  result.set_state(v1::Job::STATE_SUCCEEDED);
  result.set_done(3);
  EXPECT_EQ(store().FinishJob(result, "dies").status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_OK(store().FinishJob(result, "takes over").status());
  EXPECT_FALSE(store().ClaimJob("dies", absl::Milliseconds(1))->has_value());
}

TEST_P(StoreConformance, OnlyJobsThatEndedBeforeTheCutAreTrimmed) {
  ASSERT_OK(store().EnqueueJob(Work({"p/a"}), 8).status());
  ASSERT_OK(store().EnqueueJob(Work({"p/b"}), 8).status());
  absl::StatusOr<std::optional<JobWork>> claimed = store().ClaimJob("one", absl::Minutes(5));
  ASSERT_OK(claimed.status());
  ASSERT_TRUE(claimed->has_value());
  v1::Job result = (*claimed)->job;
  result.set_state(v1::Job::STATE_SUCCEEDED);
  ASSERT_OK(store().FinishJob(result, "one").status());
  // Before the job ended: nothing goes. After: the ended job goes, the pending one stays.
  absl::StatusOr<int64_t> pruned = store().PruneEndedJobs(absl::Now() - absl::Hours(1));
  ASSERT_OK(pruned.status());
  EXPECT_EQ(*pruned, 0);
  pruned = store().PruneEndedJobs(absl::Now() + absl::Seconds(1));
  ASSERT_OK(pruned.status());
  EXPECT_EQ(*pruned, 1);
  EXPECT_EQ(Names(store().ListJobs(Page{})->items), (std::vector<std::string>{"jobs/2"}));
}

}  // namespace
}  // namespace torikumi::store::testing
