// Pruning the history tables of the SQLite store: superseded computed ratings and old
// request ids (the change feed has PruneChanges, change_reads.cc).
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {

absl::StatusOr<int64_t> SqliteStore::PruneHistory(absl::Time before) {
  int64_t pruned = 0;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    // Through the time index, then one lookup of the initiative's newest rating per row.
    absl::StatusOr<Statement> ratings = w.db.Prepare(
        "DELETE FROM computed_ratings WHERE record_time < ? AND id < (SELECT max(id) FROM "
        "computed_ratings newest WHERE newest.initiative = computed_ratings.initiative)");
    if (!ratings.ok()) return ratings.status();
    ratings->Bind(absl::ToUnixMicros(before));
    if (absl::Status s = ratings->Run(); !s.ok()) return s;
    pruned = w.db.ChangedRows();
    absl::StatusOr<Statement> requests =
        w.db.Prepare("DELETE FROM request_ids WHERE create_time < ?");
    if (!requests.ok()) return requests.status();
    requests->Bind(absl::ToUnixSeconds(before));
    if (absl::Status s = requests->Run(); !s.ok()) return s;
    pruned += w.db.ChangedRows();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return pruned;
}

}  // namespace torikumi::store::sqlite
