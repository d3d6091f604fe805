// Opening the SQLite store, its transactions and its reader pool.
#include "services/store/sqlite/sqlite_store.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/store/sqlite/audit_capture.h"
#include "services/store/sqlite/migrations.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store {

absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(absl::string_view path,
                                                       const SqliteOptions& options) {
  absl::StatusOr<std::unique_ptr<sqlite::SqliteStore>> store =
      sqlite::SqliteStore::Open(std::string(path), options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(*std::move(store));
}

namespace sqlite {
namespace {

metrics::Family& WriteHistogram() {
  return metrics::Histogram("torikumi_store_transaction_seconds",
                            "Time of one store transaction, waiting for the writer included.");
}

// Times one transaction in torikumi_store_transaction_seconds{kind}.
metrics::ScopedTimer TransactionTimer(const char* kind) {
  return metrics::ScopedTimer(WriteHistogram(), {{"kind", kind}});
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                               const SqliteOptions& options) {
  if (path.empty() || path == ":memory:" || absl::StartsWith(path, "file:")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "database path '", path, "' is not supported: give the path of a file (readers and the ",
        "writer must share it)"));
  }
  if (options.reader_connections < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "SqliteOptions.reader_connections must be at least 1, not ", options.reader_connections));
  }
  // The writer first: it creates the file, makes sure it is ours, switches it to WAL and
  // migrates the schema, so the readers open a complete database.
  absl::StatusOr<std::unique_ptr<Connection>> writer =
      Connection::Open(path, Connection::Role::kWriter);
  if (!writer.ok()) return writer.status();
  if (absl::Status s = CheckSchemaIsOurs(**writer); !s.ok()) return s;
  if (absl::Status s = (*writer)->EnableWal(); !s.ok()) return s;
  if (absl::Status s = ApplyMigrations(**writer); !s.ok()) return s;
  if (absl::Status s = BackfillOutcomeAsOf(**writer); !s.ok()) return s;
  if (absl::Status s = InstallAuditCapture(**writer); !s.ok()) return s;

  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.reader_connections; ++i) {
    absl::StatusOr<std::unique_ptr<Connection>> reader =
        Connection::Open(path, Connection::Role::kReader);
    if (!reader.ok()) return reader.status();
    readers.push_back(*std::move(reader));
  }
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(*std::move(writer), std::make_unique<ReaderPool>(std::move(readers))));
}

absl::Status SqliteStore::Write(WriteBody body) {
  // Taken here, on the caller's thread: the group commit runs the body on the writer's.
  const WriteOrigin* origin = CurrentWriteOrigin();
  // Measured from before the writer is free, so the time includes waiting for it.
  metrics::ScopedTimer timer = TransactionTimer("write");
  int64_t last_change = 0;
  absl::Status status =
      writer_.Write([&](WriteContext& w) { return RunAudited(w, body, origin, &last_change); });
  Committed(status, last_change);
  return status;
}

void SqliteStore::Submit(OwnedWriteBody body, WriteDone done) {
  // What the body needs after the caller has gone on: its own copy of the origin.
  struct Submitted {
    OwnedWriteBody body;
    std::optional<WriteOrigin> origin;
    int64_t last_change = 0;
    absl::Time start = absl::Now();
  };
  auto submitted = std::make_shared<Submitted>();
  submitted->body = std::move(body);
  if (const WriteOrigin* origin = CurrentWriteOrigin(); origin != nullptr)
    submitted->origin = *origin;
  writer_.Submit(
      [submitted](WriteContext& w) {
        const WriteOrigin* origin = submitted->origin ? &*submitted->origin : nullptr;
        return RunAudited(
            w, [&](WriteContext& in) { return submitted->body(in); }, origin,
            &submitted->last_change);
      },
      [this, submitted, done = std::move(done)](absl::Status status) mutable {
        Committed(status, submitted->last_change);
        WriteHistogram().ObserveDuration({{"kind", "write"}}, absl::Now() - submitted->start);
        // A write `done` makes (a re-rating) is the caller's as much as this one was.
        std::optional<ScopedWriteOrigin> scope;
        if (submitted->origin.has_value()) scope.emplace(*submitted->origin);
        done(std::move(status));
      });
}

absl::Status SqliteStore::RunAudited(WriteContext& w, WriteBody body, const WriteOrigin* origin,
                                     int64_t* last_change) {
  // The audit events of the write are part of its savepoint: kept or undone with it.
  if (absl::Status s = ClearAuditNotes(w.db); !s.ok()) return s;
  if (absl::Status s = body(w); !s.ok()) return s;
  if (absl::Status s = RecordAuditEvents(w, origin); !s.ok()) return s;
  *last_change = w.last_change;
  return absl::OkStatus();
}

void SqliteStore::Committed(const absl::Status& status, int64_t last_change) {
  // Watchers hear of the changes only once they are durable (after COMMIT).
  if (status.ok() && last_change != 0) change_notifier_.Notify(last_change);
}

absl::Status SqliteStore::Read(absl::FunctionRef<absl::Status(Connection&)> body) {
  metrics::ScopedTimer timer = TransactionTimer("read");
  Connection* db = readers_->Acquire();
  // A read transaction pins one snapshot, so a count and the page it goes with agree even
  // while the writer commits beside them.
  absl::Status status = db->Exec("BEGIN");
  if (status.ok()) {
    status = body(*db);
    absl::Status end = db->Exec(status.ok() ? "COMMIT" : "ROLLBACK");
    if (status.ok()) status = end;
  }
  if (db->InTransaction()) db->Exec("ROLLBACK").IgnoreError();
  readers_->Release(db);
  return status;
}

ReaderPool::ReaderPool(std::vector<std::unique_ptr<Connection>> connections)
    : connections_(std::move(connections)) {
  MutexLock lock(&mu_);
  for (auto& connection : connections_) idle_.push_back(connection.get());
}

Connection* ReaderPool::Acquire() {
  MutexLock lock(&mu_);
  while (idle_.empty()) released_.Wait(&mu_);
  Connection* connection = idle_.back();
  idle_.pop_back();
  return connection;
}

void ReaderPool::Release(Connection* connection) {
  MutexLock lock(&mu_);
  idle_.push_back(connection);
  released_.Signal();
}

}  // namespace sqlite
}  // namespace torikumi::store
