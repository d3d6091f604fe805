// torikumi-server --migrate_from=FILE --db=postgresql://…: moves a city's SQLite database
// into PostgreSQL (domain/copy_store.h says what moves) and exits.
#pragma once

#include <string>

#include "absl/status/status.h"

namespace torikumi::server {

// Copies the SQLite file `from` (which must exist) into the empty PostgreSQL database `to`,
// logging what was copied. INVALID_ARGUMENT when `to` is not a PostgreSQL URI.
absl::Status MigrateSqliteToPostgres(const std::string& from, const std::string& to, int pool_size);

}  // namespace torikumi::server
