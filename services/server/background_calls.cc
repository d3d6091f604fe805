#include "services/server/background_calls.h"

#include <thread>
#include <utility>

namespace torikumi::server {

BackgroundCalls::~BackgroundCalls() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return running_ == 0; });
}

void BackgroundCalls::Run(std::function<void()> work) {
  {
    std::lock_guard<std::mutex> lock(mu_);
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
    std::lock_guard<std::mutex> lock(mu_);
    --running_;
    idle_.notify_all();
  }).detach();
}

}  // namespace torikumi::server
