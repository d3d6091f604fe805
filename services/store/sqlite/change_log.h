// Recording changes in the change feed, inside the write transaction that makes them. Each
// store write calls one of these beside the row it writes, so the change and its event
// commit together or not at all.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/sqlite/sqlite_store_impl.h"
#include "torikumi/v1/change_service.pb.h"

namespace torikumi::store::sqlite {

absl::Status RecordChange(WriteContext& w, v1::ChangeType type, const v1::Plan& plan);
absl::Status RecordChange(WriteContext& w, v1::ChangeType type, const v1::Outcome& outcome,
                          int64_t row_id);
// Always CREATED: both are append-only.
absl::Status RecordChange(WriteContext& w, const v1::ComputedRating& rating, int64_t row_id);
// The same for many ratings at once, `row_ids[i]` the row of ratings[i], under consecutive
// sequence numbers taken together.
absl::Status RecordRatingChanges(WriteContext& w, const std::vector<v1::ComputedRating>& ratings,
                                 const std::vector<int64_t>& row_ids);
absl::Status RecordChange(WriteContext& w, const v1::RuleSet& rule_set);
absl::Status RecordChange(WriteContext& w, v1::ChangeType type, const v1::RatingRound& round);
// An initiative written (`before` is nullptr when it was created), and its human rating when
// that was set, changed or cleared.
absl::Status RecordInitiativeWrite(WriteContext& w, const v1::Initiative* before,
                                   const v1::Initiative& after, int64_t row_id);
absl::Status RecordDeletion(WriteContext& w, v1::ResourceKind kind, absl::string_view name);

// The feed's newest sequence and how far it was pruned, as `db` sees them now.
struct FeedState {
  int64_t last_seq = 0;
  int64_t pruned_through = 0;
};
absl::StatusOr<FeedState> ReadFeedState(Connection& db);

// Store::ListChanges as `db` sees the feed now (inside a read or a write).
absl::StatusOr<ChangePage> ListChangesIn(Connection& db, const ChangeQuery& query);

}  // namespace torikumi::store::sqlite
