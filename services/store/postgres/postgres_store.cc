// Opening the PostgreSQL store, its transactions, its connection pool and the poll that tells
// this process of changes other servers committed.
#include "services/store/postgres/postgres_store.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/store/postgres/audit.h"
#include "services/store/postgres/migrations.h"
#include "services/store/postgres/postgres_store_impl.h"
#include "services/store/postgres/records.h"
#include "services/store/write_origin.h"

namespace torikumi::store {

bool IsPostgresUri(absl::string_view db) {
  return absl::StartsWith(db, "postgresql://") || absl::StartsWith(db, "postgres://");
}

absl::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(absl::string_view uri,
                                                         const PostgresOptions& options) {
  absl::StatusOr<std::unique_ptr<postgres::PostgresStore>> store =
      postgres::PostgresStore::Open(std::string(uri), options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(*std::move(store));
}

namespace postgres {
namespace {

metrics::ScopedTimer TransactionTimer(const char* kind) {
  return metrics::ScopedTimer(
      metrics::Histogram("torikumi_store_transaction_seconds",
                         "Time of one store transaction, waiting for the writer included."),
      {{"kind", kind}});
}

}  // namespace
}  // namespace postgres

std::string RedactedUri(absl::string_view uri) {
  const size_t scheme = uri.find("://");
  const size_t at = uri.find('@');
  if (scheme == absl::string_view::npos || at == absl::string_view::npos) return std::string(uri);
  const size_t colon = uri.substr(0, at).find(':', scheme + 3);
  if (colon == absl::string_view::npos) return std::string(uri);
  return absl::StrCat(uri.substr(0, colon), ":***", uri.substr(at));
}

namespace postgres {
namespace {

// A pqxx exception as absl::Status: a lost connection is UNAVAILABLE (trying again may work),
// a unique violation ALREADY_EXISTS, anything else INTERNAL.
absl::Status StatusOfException(const std::exception& e) {
  if (const auto* status = dynamic_cast<const StatusError*>(&e)) return status->status();
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
    return absl::UnavailableError(absl::StrCat("postgresql: ", e.what()));
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string& state = sql->sqlstate();
    if (state == "23505") return absl::AlreadyExistsError(absl::StrCat("postgresql: ", e.what()));
    // Serialization failure, deadlock, too many connections, shutting down.
    if (state == "40001" || state == "40P01" || state == "53300" || absl::StartsWith(state, "57")) {
      return absl::UnavailableError(absl::StrCat("postgresql: ", e.what()));
    }
  }
  return absl::InternalError(absl::StrCat("postgresql: ", e.what()));
}

// Holds a pooled connection for one scope.
class PooledConnection {
 public:
  explicit PooledConnection(ConnectionPool& pool) : pool_(pool), connection_(pool.Acquire()) {}
  ~PooledConnection() { pool_.Release(connection_); }
  pqxx::connection& get() { return connection_; }

 private:
  ConnectionPool& pool_;
  pqxx::connection& connection_;
};

}  // namespace

int64_t WriteContext::Version() {
  if (version_ == 0) {
    version_ = tx.exec(
                     "UPDATE store_state SET last_version = last_version + 1 WHERE id = 1 "
                     "RETURNING last_version")[0][0]
                   .as<int64_t>();
  }
  return version_;
}

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& uri,
                                                                   const PostgresOptions& options) {
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("the PostgreSQL pool size must be at least 1, not ", options.pool_size));
  }
  std::vector<std::unique_ptr<pqxx::connection>> connections;
  try {
    for (int i = 0; i < options.pool_size; ++i) {
      connections.push_back(std::make_unique<pqxx::connection>(uri));
    }
    if (absl::Status s = ApplyMigrations(*connections.front()); !s.ok()) return s;
  } catch (const std::exception& e) {
    absl::Status status = StatusOfException(e);
    return absl::Status(status.code(), absl::StrCat("cannot open PostgreSQL database '",
                                                    RedactedUri(uri), "': ", status.message()));
  }
  return std::unique_ptr<PostgresStore>(new PostgresStore(
      std::make_unique<ConnectionPool>(uri, std::move(connections)), options.change_poll_interval));
}

PostgresStore::PostgresStore(std::unique_ptr<ConnectionPool> pool,
                             absl::Duration change_poll_interval)
    : pool_(std::move(pool)) {
  // Where the feed is when the store opens, so that a change any server commits from now on
  // is told, however soon after (-1 when it cannot be read now: the first poll learns it).
  const int64_t seen = LastChange().value_or(-1);
  poller_ =
      std::thread([this, change_poll_interval, seen] { PollChanges(change_poll_interval, seen); });
}

PostgresStore::~PostgresStore() {
  {
    MutexLock lock(&poll_mu_);
    stopping_ = true;
    poll_wake_.SignalAll();
  }
  poller_.join();
}

void PostgresStore::PollChanges(absl::Duration interval, int64_t seen) {
  while (true) {
    {
      MutexLock lock(&poll_mu_);
      if (!stopping_) poll_wake_.WaitWithDeadline(&poll_mu_, absl::Now() + interval);
      if (stopping_) return;
    }
    absl::StatusOr<int64_t> last = LastChange();
    if (!last.ok()) continue;  // the database is away; the next poll tries again
    if (seen >= 0 && *last > seen) change_notifier_.Notify(*last);
    seen = *last;
  }
}

absl::Status PostgresStore::Write(WriteBody body) {
  const WriteOrigin* origin = CurrentWriteOrigin();
  metrics::ScopedTimer timer = TransactionTimer("write");
  int64_t last_change = 0;
  absl::Status status;
  {
    PooledConnection connection(*pool_);
    try {
      pqxx::work tx(connection.get());
      // Writes are serial across servers (postgres_store_impl.h).
      tx.exec("SELECT 1 FROM store_state WHERE id = 1 FOR UPDATE");
      WriteContext w(tx, absl::Now());
      status = body(w);
      if (status.ok()) {
        RecordAuditEvents(w, origin);
        tx.commit();
        last_change = w.last_change;
      }
    } catch (const std::exception& e) {
      status = StatusOfException(e);
    }
  }
  if (status.ok() && last_change != 0) change_notifier_.Notify(last_change);
  return status;
}

absl::Status PostgresStore::JobWrite(ReadBody body) {
  metrics::ScopedTimer timer = TransactionTimer("job");
  PooledConnection connection(*pool_);
  try {
    pqxx::work tx(connection.get());
    absl::Status status = body(tx);
    if (status.ok()) tx.commit();
    return status;
  } catch (const std::exception& e) {
    return StatusOfException(e);
  }
}

absl::Status PostgresStore::Read(ReadBody body) {
  metrics::ScopedTimer timer = TransactionTimer("read");
  PooledConnection connection(*pool_);
  try {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(connection.get());
    absl::Status status = body(tx);
    if (status.ok()) tx.commit();
    return status;
  } catch (const std::exception& e) {
    return StatusOfException(e);
  }
}

ConnectionPool::ConnectionPool(std::string uri,
                               std::vector<std::unique_ptr<pqxx::connection>> connections)
    : uri_(std::move(uri)), connections_(std::move(connections)) {
  MutexLock lock(&mu_);
  for (auto& connection : connections_) idle_.push_back(connection.get());
}

pqxx::connection& ConnectionPool::Acquire() {
  pqxx::connection* connection = nullptr;
  {
    MutexLock lock(&mu_);
    while (idle_.empty()) released_.Wait(&mu_);
    connection = idle_.back();
    idle_.pop_back();
  }
  // A connection the server dropped (a restart, a failover) is opened again here; if that
  // fails too, the caller's transaction fails with UNAVAILABLE.
  if (!connection->is_open()) {
    try {
      connection->activate();
    } catch (const std::exception& e) {
      log::Warning("postgresql: reconnecting failed: ", e.what());
    }
  }
  return *connection;
}

void ConnectionPool::Release(pqxx::connection& connection) {
  MutexLock lock(&mu_);
  idle_.push_back(&connection);
  released_.Signal();
}

}  // namespace postgres
}  // namespace torikumi::store
