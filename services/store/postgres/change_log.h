// The change feed of the PostgreSQL store: each write records its events (built by
// services/store/change_events.h) in its own transaction.
#pragma once

#include <cstdint>
#include <vector>

#include "services/store/change_events.h"
#include "services/store/postgres/postgres_store_impl.h"

namespace torikumi::store::postgres {

// Files `event` under the scope of its name and takes the next sequence for it.
void RecordChange(WriteContext& w, v1::ChangeEvent event);
void RecordChanges(WriteContext& w, std::vector<v1::ChangeEvent> events);

struct FeedState {
  int64_t last_seq = 0;
  int64_t pruned_through = 0;
};
FeedState ReadFeedState(pqxx::transaction_base& tx);

// Store::ListChanges as `tx` sees the feed (inside a read or a write).
absl::StatusOr<ChangePage> ListChangesIn(pqxx::transaction_base& tx, const ChangeQuery& query);

}  // namespace torikumi::store::postgres
