// The pool of worker threads that runs plugin calls under a time limit.
#include <set>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/evaluators/time_limit.h"

namespace torikumi::evaluators {
namespace {

using ThreadId = std::thread::id;

absl::StatusOr<ThreadId> WhereItRan() { return std::this_thread::get_id(); }

// One call after another is what a rating job does: every call should find the worker
// the previous one used (a second, alternating worker would double the plugin's cold
// caches and scratch memory), and none runs on the caller.
TEST(PluginTimedCallRunner, CallsOneAfterAnotherShareOneWorker) {
  TimedCallRunner runner;
  std::set<ThreadId> workers;
  for (int i = 0; i < 200; ++i) {
    absl::StatusOr<ThreadId> ran = runner.Run<ThreadId>(&WhereItRan, absl::Seconds(10), "call");
    ASSERT_TRUE(ran.ok()) << ran.status();
    workers.insert(*ran);
  }
  EXPECT_EQ(workers.size(), 1u);
  EXPECT_EQ(workers.count(std::this_thread::get_id()), 0u);
}

// A call that hangs keeps its worker; the next call must get another one at once, not
// queue behind it.
TEST(PluginTimedCallRunner, ACallAfterAnAbandonedOneGetsAnotherWorker) {
  TimedCallRunner runner;
  absl::Notification release;
  absl::StatusOr<ThreadId> hung = runner.Run<ThreadId>(
      [&release]() -> absl::StatusOr<ThreadId> {
        release.WaitForNotification();
        return std::this_thread::get_id();
      },
      absl::Milliseconds(50), "hanging call");
  EXPECT_EQ(hung.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(runner.abandoned(), 1);
  absl::StatusOr<ThreadId> next = runner.Run<ThreadId>(&WhereItRan, absl::Seconds(10), "next call");
  EXPECT_TRUE(next.ok()) << next.status();
  release.Notify();
  EXPECT_TRUE(runner.WaitForNoAbandoned(absl::Seconds(10)));
}

TEST(PluginTimedCallRunner, AnInfiniteLimitRunsOnTheCallingThread) {
  TimedCallRunner runner;
  absl::StatusOr<ThreadId> ran =
      runner.Run<ThreadId>(&WhereItRan, absl::InfiniteDuration(), "call");
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(*ran, std::this_thread::get_id());
}

}  // namespace
}  // namespace torikumi::evaluators
