// Read-modify-write with optimistic concurrency. An Update reads the resource, merges the
// change and writes it back expecting the etag it read. When the caller sent no etag of
// its own and someone else wrote in between, the write fails with ABORTED through no fault
// of the caller's, so the whole read-modify-write runs again (a few times). When the caller
// did send an etag, ABORTED is their answer: the resource changed since they read it.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace torikumi::domain {

inline constexpr int kMaxReadModifyWriteAttempts = 3;

// ABORTED for an etag the caller sent that no longer matches the stored resource `name`.
inline absl::Status StaleEtagError(absl::string_view name, absl::string_view etag) {
  return absl::AbortedError(absl::StrCat("etag '", etag, "' is stale: ", name,
                                         " changed since it was read; read it again"));
}

// `attempt` performs one read-modify-write and returns an absl::StatusOr.
template <typename Attempt>
auto RetryOnStaleEtag(bool caller_sent_etag, Attempt attempt) -> decltype(attempt()) {
  for (int i = 1;; ++i) {
    auto result = attempt();
    if (result.ok() || caller_sent_etag || !absl::IsAborted(result.status()) ||
        i == kMaxReadModifyWriteAttempts) {
      return result;
    }
  }
}

// The read-modify-write of the resource `name`, retried as above: `load()` reads it (an
// absl::StatusOr of a message with an etag); an etag the caller sent must match what was
// read; then `write(current, expected_etag)` merges, checks and stores, expecting the
// caller's etag, or the one just read when the caller sent none.
template <typename Load, typename Write>
auto ReadModifyWrite(absl::string_view name, absl::string_view caller_etag, Load load, Write write)
    -> decltype(load()) {
  const bool caller_sent_etag = !caller_etag.empty();
  return RetryOnStaleEtag(caller_sent_etag, [&]() -> decltype(load()) {
    auto current = load();
    if (!current.ok()) return current.status();
    if (caller_sent_etag && current->etag() != caller_etag) {
      return StaleEtagError(name, caller_etag);
    }
    return write(*current, caller_sent_etag ? caller_etag : absl::string_view(current->etag()));
  });
}

}  // namespace torikumi::domain
