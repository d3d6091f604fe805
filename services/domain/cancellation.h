// Whether the caller of a long piece of domain work still wants its answer. The gRPC edge
// makes one from the call (its cancellation and deadline); the domain checks it between
// steps (batches of a whole-plan evaluation), so work whose caller is gone stops instead of
// holding a thread and the store. The domain sees no gRPC: only this.
#pragma once

#include <functional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace torikumi::domain {

class CancelToken {
 public:
  // Never cancelled, no deadline: background work and tests.
  CancelToken() = default;
  // `cancelled` answers whether the caller has gone (it may be called from any thread);
  // past `deadline` the work is no longer wanted either.
  CancelToken(std::function<bool()> cancelled, absl::Time deadline)
      : cancelled_(std::move(cancelled)), deadline_(deadline) {}

  // OK while the answer is wanted; CANCELLED or DEADLINE_EXCEEDED naming `what` otherwise.
  absl::Status Check(absl::string_view what) const {
    if (cancelled_ && cancelled_()) {
      return absl::CancelledError(absl::StrCat(what, ": stopped, the caller cancelled the call"));
    }
    if (absl::Now() > deadline_) {
      return absl::DeadlineExceededError(
          absl::StrCat(what, ": stopped, the caller's deadline has passed"));
    }
    return absl::OkStatus();
  }

 private:
  std::function<bool()> cancelled_;
  absl::Time deadline_ = absl::InfiniteFuture();
};

}  // namespace torikumi::domain
