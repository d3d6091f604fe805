// The database's size in the state the storage target is stated for: every seeded initiative
// with its five outcomes and one computed rating, before the load rows add writes, change-feed
// entries and rating history.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "bench/load/seed.h"

namespace torikumi::bench {

// Records one evaluation of every seeded plan in process (through `plugins_dir`), closes the
// store and returns the bytes of the SQLite file at `db` and its WAL.
absl::StatusOr<int64_t> RatedDatabaseBytes(const std::string& db, const Seeded& seeded,
                                           const std::string& plugins_dir);

}  // namespace torikumi::bench
