#include "services/common/bounded_executor.h"

#include <atomic>
#include <memory>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/common/mutex.h"

namespace torikumi {
namespace {

// Work that waits until the test opens the gate, counting how many pieces have started.
class Gate {
 public:
  void Enter() {
    MutexLock lock(&mu_);
    ++entered_;
    changed_.SignalAll();
    while (!open_) changed_.Wait(&mu_);
  }
  bool WaitEntered(int count) {
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    MutexLock lock(&mu_);
    while (entered_ < count && !changed_.WaitWithDeadline(&mu_, deadline)) {
    }
    return entered_ >= count;
  }
  void Open() {
    MutexLock lock(&mu_);
    open_ = true;
    changed_.SignalAll();
  }

 private:
  Mutex mu_;
  CondVar changed_;
  int entered_ ABSL_GUARDED_BY(mu_) = 0;
  bool open_ ABSL_GUARDED_BY(mu_) = false;
};

TEST(CommonBoundedExecutorTest, RefusesWithResourceExhaustedWhenThreadsAndQueueAreFull) {
  Gate gate;
  std::atomic<int> done{0};
  {
    BoundedExecutor executor("test", /*threads=*/2, /*queue_capacity=*/3);
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(executor
                      .TrySubmit([&] {
                        gate.Enter();
                        ++done;
                      })
                      .ok());
    }
    ASSERT_TRUE(gate.WaitEntered(2));  // both threads busy
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(executor.TrySubmit([&] { ++done; }).ok());
    absl::Status full = executor.TrySubmit([&] { ++done; });
    EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted);
    EXPECT_TRUE(absl::StrContains(full.message(), "2 test calls are running and 3 waiting"))
        << full;
    gate.Open();
    // The destructor runs what was queued before it joins.
  }
  EXPECT_EQ(done.load(), 5);
}

TEST(CommonBoundedExecutorTest, RunsEveryPieceOnItsThreads) {
  std::atomic<int> done{0};
  {
    BoundedExecutor executor("test", 3, 1000);
    for (int i = 0; i < 500; ++i) ASSERT_TRUE(executor.TrySubmit([&] { ++done; }).ok());
  }
  EXPECT_EQ(done.load(), 500);
}

}  // namespace
}  // namespace torikumi
