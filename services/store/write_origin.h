// Who is writing, for the audit log, without a parameter on every Store method.
//
// The gRPC edge sets a WriteOrigin (ScopedWriteOrigin) around the one callable that runs a
// request's domain call; every store write transaction started on that thread while the
// scope lives records it in its audit events (same transaction as the write). A write with
// no origin in scope — a background job, a start-up task — records the principal "system".
// Work moved to another thread must carry its scope with it (set it inside the callable).
#pragma once

#include <string>
#include <utility>

namespace torikumi::store {

struct WriteOrigin {
  // "organizations/{o}/tokens/{t}", "tokens/{t}", "cert:{cn}", "local", "system".
  std::string principal;
  // The full gRPC method: "torikumi.v1.PlanService/UpdatePlan".
  std::string method;
  // The request's update_mask paths, comma-separated.
  std::string field_mask;
  std::string request_id;
};

// The principal of writes made with no WriteOrigin in scope.
inline constexpr char kSystemPrincipal[] = "system";

namespace internal {
inline thread_local const WriteOrigin* current_write_origin = nullptr;
}  // namespace internal

// The origin in scope on this thread; nullptr when none.
inline const WriteOrigin* CurrentWriteOrigin() { return internal::current_write_origin; }

// Makes (a copy of) `origin` the current one on this thread for the scope's life.
class ScopedWriteOrigin {
 public:
  explicit ScopedWriteOrigin(WriteOrigin origin)
      : origin_(std::move(origin)), previous_(internal::current_write_origin) {
    internal::current_write_origin = &origin_;
  }
  ~ScopedWriteOrigin() { internal::current_write_origin = previous_; }
  ScopedWriteOrigin(const ScopedWriteOrigin&) = delete;
  ScopedWriteOrigin& operator=(const ScopedWriteOrigin&) = delete;

 private:
  const WriteOrigin origin_;
  const WriteOrigin* previous_;
};

}  // namespace torikumi::store
