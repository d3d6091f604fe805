#include "services/store/sqlite/connection.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/text.h"
#include "services/store/sqlite/outcome_functions.h"
#include "services/store/sqlite/stored_body.h"
#include "services/store/sqlite/stored_rating.h"

namespace torikumi::store::sqlite {
namespace {

// The SQL function nfkc(text): the NFKC form the store's matching columns hold, so that a
// migration can fill them for rows already written. NULL stays NULL; text that is not
// UTF-8 is an error.
void NfkcFunction(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  const unsigned char* text = sqlite3_value_text(argv[0]);
  const int size = sqlite3_value_bytes(argv[0]);
  absl::StatusOr<std::string> normalized = NormalizeNfkc(
      absl::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(size)));
  if (!normalized.ok()) {
    const std::string message(normalized.status().message());
    sqlite3_result_error(context, message.c_str(), static_cast<int>(message.size()));
    return;
  }
  sqlite3_result_text(context, normalized->data(), static_cast<int>(normalized->size()),
                      SQLITE_TRANSIENT);
}

// How long a connection waits for a lock held by another connection (in this or another
// process, e.g. a checkpoint or a backup tool) before giving up with SQLITE_BUSY.
constexpr int kBusyTimeoutMs = 5000;

// Enough of a statement's SQL to recognise it in an error message.
std::string Excerpt(const char* sql) {
  if (sql == nullptr) return "";
  absl::string_view text(sql);
  constexpr size_t kMax = 80;
  if (text.size() <= kMax) return std::string(text);
  return absl::StrCat(text.substr(0, kMax), "…");
}

}  // namespace

absl::Status SqliteStatus(int rc, absl::string_view sqlite_message, absl::string_view context) {
  std::string message = absl::StrCat("sqlite: ", context, ": ", sqlite_message, " (code ", rc, ")");
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_READONLY:
      return absl::UnavailableError(message);
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return absl::AlreadyExistsError(message);
      }
      return absl::InternalError(message);
    default:
      return absl::InternalError(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Statement

Statement::Statement(Connection* connection, sqlite3_stmt* stmt, bool* in_use)
    : connection_(connection), stmt_(stmt), in_use_(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      next_parameter_(other.next_parameter_),
      bind_status_(std::move(other.bind_status_)) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (in_use_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

void Statement::NoteBind(int rc) {
  if (rc != SQLITE_OK && bind_status_.ok()) {
    bind_status_ = connection_->Error(rc, absl::StrCat("binding parameter ", next_parameter_,
                                                       " of ", Excerpt(sqlite3_sql(stmt_))));
  }
  ++next_parameter_;
}

Statement& Statement::Bind(int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_, next_parameter_, value));
  return *this;
}

Statement& Statement::Bind(absl::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the text, so the caller's buffer may go away.
  NoteBind(sqlite3_bind_text64(stmt_, next_parameter_, text.data(), text.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindBlob(absl::string_view bytes) {
  NoteBind(
      sqlite3_bind_blob64(stmt_, next_parameter_, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::BindNull() {
  NoteBind(sqlite3_bind_null(stmt_, next_parameter_));
  return *this;
}

Statement& Statement::BindTextOrNull(absl::string_view text) {
  return text.empty() ? BindNull() : Bind(text);
}

absl::StatusOr<bool> Statement::Step() {
  if (!bind_status_.ok()) return bind_status_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return connection_->Error(rc, Excerpt(sqlite3_sql(stmt_)));
}

absl::Status Statement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

absl::StatusOr<int64_t> Statement::RunReturningInt() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::InternalError(
        absl::StrCat("sqlite: no row came back from ", Excerpt(sqlite3_sql(stmt_))));
  }
  const int64_t value = ColumnInt(0);
  if (absl::Status s = Run(); !s.ok()) return s;
  return value;
}

int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
}

absl::string_view Statement::ColumnBlob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return {};
  return absl::string_view(static_cast<const char*>(data), sqlite3_column_bytes(stmt_, column));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ---------------------------------------------------------------------------------------------
// Connection

// Durability: every connection runs with synchronous=FULL. In WAL mode that makes SQLite fsync
// the write-ahead log before COMMIT returns, so a transaction the store has acknowledged is on
// stable storage and survives both a crash of the process and a power loss or OS crash.
// synchronous=NORMAL would be faster but only syncs the WAL at checkpoints: after a power loss
// the last acknowledged transactions could silently disappear (the process crash alone would
// not lose them). For a system of record where callers act on an acknowledgement, an fsync per
// write transaction is the right price; reads never wait for it.
absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& path, Role role) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (role == Role::kWriter) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  // From here the Connection owns `db` (sqlite3_open_v2 allocates it even when it fails).
  std::unique_ptr<Connection> connection(new Connection(db, path));

  auto fail = [&](int code, absl::string_view step, absl::string_view detail) {
    absl::Status status = SqliteStatus(code, detail, step);
    absl::StatusCode status_code =
        (code & 0xff) == SQLITE_NOTADB ? absl::StatusCode::kFailedPrecondition : status.code();
    return absl::Status(status_code,
                        absl::StrCat("cannot open database '", path, "': ", status.message()));
  };
  if (rc != SQLITE_OK) {
    return fail(rc, "open", db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  rc = sqlite3_create_function_v2(db, "nfkc", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                  &NfkcFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return fail(rc, "create function nfkc", sqlite3_errmsg(db));
  rc = RegisterOutcomeFunctions(db);
  if (rc != SQLITE_OK) return fail(rc, "create the outcome functions", sqlite3_errmsg(db));
  rc = RegisterInitiativeFunctions(db);
  if (rc != SQLITE_OK) return fail(rc, "create the initiative functions", sqlite3_errmsg(db));
  rc = RegisterRatingFunctions(db);
  if (rc != SQLITE_OK) return fail(rc, "create the rating functions", sqlite3_errmsg(db));

  auto exec = [&](absl::string_view sql) -> absl::Status {
    char* error = nullptr;
    int code = sqlite3_exec(db, std::string(sql).c_str(), nullptr, nullptr, &error);
    std::string detail = error != nullptr ? error : sqlite3_errstr(code);
    sqlite3_free(error);
    if (code != SQLITE_OK) return fail(code, sql, detail);
    return absl::OkStatus();
  };

  // Reading the schema makes SQLite read the file header: a file that is not a database
  // fails here (SQLITE_NOTADB) rather than at the first real query.
  if (absl::Status s = exec("SELECT count(*) FROM sqlite_schema"); !s.ok()) return s;
  if (absl::Status s = exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL"); !s.ok()) {
    return s;
  }
  if (role == Role::kReader) {
    if (absl::Status s = exec("PRAGMA query_only = ON"); !s.ok()) return s;
  }
  return connection;
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  // Every statement is finalized, so close cannot fail with SQLITE_BUSY.
  sqlite3_close(db_);
}

absl::StatusOr<Statement> Connection::Prepare(absl::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(this, it->second.stmt, &it->second.in_use);
  }
  sqlite3_stmt* stmt = nullptr;
  // A statement that goes into the cache lives long; tell SQLite so it allocates accordingly.
  unsigned int prepare_flags = it == cache_.end() ? SQLITE_PREPARE_PERSISTENT : 0;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), prepare_flags, &stmt,
                              nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(rc, absl::StrCat("preparing ", Excerpt(std::string(sql).c_str())));
  }
  if (it == cache_.end()) {
    // unordered_map never moves its elements, so the pointer to in_use stays valid.
    auto [inserted, ok] = cache_.emplace(std::string(sql), Cached{stmt, true});
    return Statement(this, stmt, &inserted->second.in_use);
  }
  // The cached copy is busy (the same SQL is running further up the stack): use a one-off.
  return Statement(this, stmt, nullptr);
}

absl::Status Connection::EnableWal() {
  // WAL lets the reader connections run beside the one writer. The mode is stored in the
  // file, so readers opened afterwards use it too. SQLite answers with the mode it chose;
  // anything but "wal" (e.g. a file system without shared memory) is refused.
  absl::StatusOr<Statement> pragma = Prepare("PRAGMA journal_mode = WAL");
  if (!pragma.ok()) return pragma.status();
  absl::StatusOr<bool> row = pragma->Step();
  if (!row.ok()) {
    return absl::Status(row.status().code(), absl::StrCat("cannot open database '", path_,
                                                          "': ", row.status().message()));
  }
  std::string mode = *row ? pragma->ColumnText(0) : "";
  if (mode != "wal") {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open database '", path_,
                     "': WAL journal mode is not available (SQLite chose '", mode, "')"));
  }
  return absl::OkStatus();
}

absl::Status Connection::Exec(absl::string_view sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return absl::OkStatus();
  std::string detail = error != nullptr ? error : sqlite3_errmsg(db_);
  sqlite3_free(error);
  return SqliteStatus(rc, detail, Excerpt(std::string(sql).c_str()));
}

absl::Status Connection::Run(absl::string_view sql) {
  absl::StatusOr<Statement> statement = Prepare(sql);
  if (!statement.ok()) return statement.status();
  return statement->Run();
}

int64_t Connection::ChangedRows() const { return sqlite3_changes64(db_); }

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

absl::Status Connection::Error(int rc, absl::string_view context) const {
  return SqliteStatus(rc, sqlite3_errmsg(db_), context);
}

}  // namespace torikumi::store::sqlite
