// The floor of a write: one-row transactions on a bare SQLite file opened exactly as the
// store opens its writer (WAL, synchronous=FULL, the same PRAGMAs, through the store's own
// Connection), one after the other for a while.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace torikumi::bench {

struct SqliteFloor {
  double transactions_per_second = 0;
  int64_t transactions = 0;
};

// Writes rows of `row_bytes` bytes into a new database at `path`, each in its own
// BEGIN IMMEDIATE … COMMIT, for `duration`.
absl::StatusOr<SqliteFloor> RunSqliteFloor(const std::string& path, int64_t row_bytes,
                                           absl::Duration duration);

}  // namespace torikumi::bench
