#include "services/server/background_calls.h"

#include <thread>
#include <utility>

namespace torikumi::server {

BackgroundCalls::~BackgroundCalls() {
  MutexLock lock(&mu_);
  while (running_ > 0) idle_.Wait(&mu_);
}

void BackgroundCalls::Run(std::function<void()> work) {
  {
    MutexLock lock(&mu_);
    ++running_;
  }
  // Detached: the thread's last access to this object is the notify under the lock, after
  // which the destructor may proceed; joining would need a list of threads to reap.
  std::thread([this, work = std::move(work)]() mutable {
    {
      // Destroyed before the count drops, so nothing the work captured outlives the wait.
      std::function<void()> job = std::move(work);
      job();
    }
    MutexLock lock(&mu_);
    --running_;
    idle_.SignalAll();
  }).detach();
}

}  // namespace torikumi::server
