// Numbered schema migrations of the SQLite store. The schema version of a database file is its
// PRAGMA user_version: 0 for a new file, N after migration N was applied.
#pragma once

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/store/sqlite/connection.h"

namespace torikumi::store::sqlite {

struct Migration {
  // 1, 2, 3, … in order; migration N takes the schema from version N-1 to N.
  int version;
  absl::string_view description;
  // One or more SQL statements.
  absl::string_view sql;
};

// Every migration, oldest first. Append only: a released migration never changes.
const std::vector<Migration>& Migrations();

// FAILED_PRECONDITION naming the path when the file is not ours to use: its schema is newer
// than this code knows (a newer torikumi wrote it), or it is another program's database
// (tables, but no schema version). Runs before anything is changed in the file.
absl::Status CheckSchemaIsOurs(Connection& writer);

// Brings the database of `writer` to the newest version, each migration in its own
// transaction. Call CheckSchemaIsOurs first.
absl::Status ApplyMigrations(Connection& writer);

}  // namespace torikumi::store::sqlite
