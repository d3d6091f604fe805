// The PostgreSQL Store: for a database server an IT department already runs and backs up,
// with several torikumi-server processes in front of it.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/store/store.h"

namespace torikumi::store {

struct PostgresOptions {
  // Connections kept open to the database; each request holds one for its transaction.
  int pool_size = 8;
  // How often the store looks for changes other servers committed, to tell this process's
  // change watchers (a write of this process tells them at once).
  absl::Duration change_poll_interval = absl::Milliseconds(200);
};

// True for a libpq connection URI: "postgresql://…" or "postgres://…". Anything else given as
// a database is a SQLite file path.
bool IsPostgresUri(absl::string_view db);

// `uri` with its password (if any) replaced by "***", for logs and messages.
std::string RedactedUri(absl::string_view uri);

// Connects to `uri` and applies pending schema migrations (one server at a time: the
// migration holds an advisory lock). Fails with a message naming the database (without its
// password) when it cannot connect.
absl::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(absl::string_view uri,
                                                         const PostgresOptions& options = {});

}  // namespace torikumi::store
