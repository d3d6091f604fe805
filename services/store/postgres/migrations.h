// The schema of the PostgreSQL store as an append-only list of numbered migrations, and
// applying the pending ones.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace torikumi::store::postgres {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

// In version order; never edit one that has shipped, add the next instead.
const std::vector<Migration>& Migrations();

// Applies every migration newer than the database's, all in one transaction, holding an
// advisory lock so that servers starting together migrate once. FAILED_PRECONDITION when the
// database is newer than this build.
absl::Status ApplyMigrations(pqxx::connection& connection);

}  // namespace torikumi::store::postgres
