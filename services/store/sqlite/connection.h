// A thin RAII layer over one sqlite3 connection: statements prepared once and cached by their
// SQL text, parameters bound in order, and SQLite result codes turned into absl::Status.
// A Connection is used by one thread at a time; the store's mutexes guarantee that.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct sqlite3;
struct sqlite3_stmt;

namespace torikumi::store::sqlite {

// An SQLite result code as absl::Status. Busy, locked, I/O, disk-full and cannot-open errors are
// UNAVAILABLE (trying again later may work); a UNIQUE or PRIMARY KEY violation is ALREADY_EXISTS;
// anything else is INTERNAL. The message holds `context` and SQLite's own message.
absl::Status SqliteStatus(int rc, absl::string_view sqlite_message, absl::string_view context);

class Connection;

// One execution of a prepared statement. Parameters are bound in the order of the Bind calls
// (the first binding goes to "?1"). When destroyed it resets the statement and clears its
// bindings, so the connection's cache can hand it out again.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int64_t value);
  Statement& Bind(absl::string_view text);
  Statement& BindBlob(absl::string_view bytes);
  Statement& BindNull();
  // Text, or NULL when `text` is empty (for optional references such as initiatives.relists).
  Statement& BindTextOrNull(absl::string_view text);

  // Advances to the next row: true when a row is ready, false when the statement is done.
  absl::StatusOr<bool> Step();
  // Runs the statement to completion, ignoring any rows.
  absl::Status Run();
  // Runs a statement that returns one row (an INSERT or UPDATE … RETURNING id) and gives
  // that row's first column; INTERNAL when no row came back.
  absl::StatusOr<int64_t> RunReturningInt();

  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  // Valid until the next Step or the end of this Statement.
  absl::string_view ColumnBlob(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class Connection;
  Statement(Connection* connection, sqlite3_stmt* stmt, bool* in_use);
  void NoteBind(int rc);

  Connection* connection_;
  sqlite3_stmt* stmt_;
  // The cache entry's busy flag, or nullptr for a one-off statement that is finalized at the end.
  bool* in_use_;
  int next_parameter_ = 1;
  absl::Status bind_status_;
};

class Connection {
 public:
  enum class Role {
    // Creates the file if missing and may write.
    kWriter,
    // Never writes (PRAGMA query_only); the file must already exist.
    kReader,
  };

  // Opens `path` and configures the connection (see connection.cc for the PRAGMAs and why).
  // Fails with a message naming the path, e.g. when the file is not an SQLite database.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path, Role role);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement for `sql` (one statement, parameters as "?"), from the cache when possible.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);
  // Switches the database file to WAL journal mode (the writer does this once at open);
  // FAILED_PRECONDITION naming the path when SQLite cannot use WAL there.
  absl::Status EnableWal();
  // Runs SQL without parameters; it may hold several statements (migrations do).
  absl::Status Exec(absl::string_view sql);
  // Runs one statement without parameters or rows through the statement cache: for what
  // runs around every write (BEGIN, SAVEPOINT, RELEASE, COMMIT), which Exec parses anew.
  absl::Status Run(absl::string_view sql);
  // True while a transaction is open on this connection.
  bool InTransaction() const;
  // Rows the last INSERT, UPDATE or DELETE on this connection changed.
  int64_t ChangedRows() const;

  const std::string& path() const { return path_; }
  // The status for result code `rc` of the last call on this connection.
  absl::Status Error(int rc, absl::string_view context) const;

 private:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  sqlite3* db_;
  std::string path_;
  // Keyed by SQL text. The store builds its SQL from a fixed set of fragments, so the number
  // of distinct texts (and so the cache) stays small; nothing needs evicting.
  std::unordered_map<std::string, Cached> cache_;
};

}  // namespace torikumi::store::sqlite
