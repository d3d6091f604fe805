// Domain logic of the change feed: checks what a watch asks for, reads the feed one page at a
// time from a cursor, prunes what is past retention, and records the changes of background
// jobs (which live in memory, not in the store).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/store/store.h"
#include "torikumi/v1/change_service.pb.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::domain {

// The cursor text of a feed sequence number, and back (INVALID_ARGUMENT naming `field`).
std::string FormatCursor(int64_t seq);
absl::StatusOr<int64_t> ParseCursor(absl::string_view text, absl::string_view field);

// Which changes a parent ("organizations/{o}" or ".../plans/{p}") and kinds select; the
// query's `after` is left 0. INVALID_ARGUMENT naming `field` for a malformed parent or kind.
absl::StatusOr<store::ChangeQuery> ChangeScope(absl::string_view parent,
                                               const std::vector<v1::ResourceKind>& kinds,
                                               absl::string_view field);

class ChangeFeed {
 public:
  explicit ChangeFeed(store::Store& store) : store_(store) {}

  // The query a watch runs, starting after the request's cursor (or the newest change when it
  // has none). FAILED_PRECONDITION when the cursor is older than the feed keeps.
  absl::StatusOr<store::ChangeQuery> StartWatch(const v1::WatchChangesRequest& request);
  // The next page of `query`.
  absl::StatusOr<store::ChangePage> NextPage(const store::ChangeQuery& query);
  // Drops the changes committed more than `retention` ago.
  absl::StatusOr<int64_t> Prune(absl::Duration retention);

 private:
  store::Store& store_;
};

// Records a job's change once below each plan it re-rates (a job is not below any one plan).
absl::Status RecordJobChange(store::Store& store, v1::ChangeType type, const v1::Job& job,
                             const std::vector<std::string>& plans);

}  // namespace torikumi::domain
