// The embedded default Store: one SQLite file in WAL mode.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/store.h"

namespace torikumi::store {

struct SqliteOptions {
  // Reader connections that run beside the single writer connection.
  int reader_connections = 4;
};

// Opens (creating if missing) the database at `path` and applies pending schema migrations.
// ":memory:" is not supported (readers and the writer must share one file); use a temp file.
// Fails with a message naming the path when the file cannot be opened or is not a database.
absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(absl::string_view path,
                                                       const SqliteOptions& options = {});

}  // namespace torikumi::store
