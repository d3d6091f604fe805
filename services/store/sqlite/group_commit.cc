#include "services/store/sqlite/group_commit.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"

namespace torikumi::store::sqlite {
namespace {

// The writer's thread, so that a Write made from a `done` on it commits at once instead of
// waiting for the thread that is making it.
thread_local const GroupCommitWriter* committing_writer = nullptr;

}  // namespace

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<Connection> writer)
    : writer_(std::move(writer)) {
  thread_ = std::thread([this] { CommitLoop(); });
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  queued_.SignalAll();
  thread_.join();
}

void GroupCommitWriter::CommitLoop() {
  committing_writer = this;
  for (;;) {
    Group group;
    {
      MutexLock lock(&queue_mu_);
      while (queue_.empty() && !stopping_) queued_.Wait(&queue_mu_);
      if (queue_.empty()) return;
      group.swap(queue_);
    }
    {
      MutexLock writer_lock(&writer_mu_);
      CommitGroup(group);
    }
    for (std::unique_ptr<Pending>& write : group) write->done(std::move(write->status));
  }
}

void GroupCommitWriter::Submit(OwnedWriteBody body, WriteDone done) {
  auto pending = std::make_unique<Pending>();
  pending->body = std::move(body);
  pending->done = std::move(done);
  {
    MutexLock lock(&queue_mu_);
    queue_.push_back(std::move(pending));
  }
  queued_.Signal();
}

absl::Status GroupCommitWriter::Write(WriteBody body) {
  if (committing_writer == this) {
    // On the writer's thread, between groups: nobody else can commit this one.
    Group alone;
    alone.push_back(std::make_unique<Pending>());
    alone.front()->body = body;
    MutexLock writer_lock(&writer_mu_);
    CommitGroup(alone);
    return std::move(alone.front()->status);
  }
  Mutex mu;
  CondVar answered;
  bool done = false;
  absl::Status status;
  Submit(body, [&](absl::Status committed) {
    MutexLock lock(&mu);
    status = std::move(committed);
    done = true;
    answered.Signal();
  });
  MutexLock lock(&mu);
  while (!done) answered.Wait(&mu);
  return status;
}

absl::Status GroupCommitWriter::RunInSavepoint(Pending& write) {
  Connection& db = *writer_;
  if (absl::Status s = db.Run("SAVEPOINT write"); !s.ok()) return s;
  WriteContext context(db, absl::Now(), groups_);
  absl::Status status = write.body(context);
  // Some errors (an I/O error, a full disk) make SQLite roll back the whole transaction
  // itself; then there is no savepoint left to go back to.
  if (!db.InTransaction()) return status.ok() ? absl::InternalError("transaction lost") : status;
  if (!status.ok()) {
    if (absl::Status undo = db.Exec("ROLLBACK TO write"); !undo.ok()) return undo;
  }
  if (absl::Status release = db.Run("RELEASE write"); !release.ok()) return release;
  return status;
}

void GroupCommitWriter::CommitGroup(const Group& group) {
  Connection& db = *writer_;
  std::vector<Pending*> applied;
  ++groups_;
  // IMMEDIATE takes the write lock now, so no body fails half-way for want of it.
  absl::Status begun = db.Run("BEGIN IMMEDIATE");
  for (const std::unique_ptr<Pending>& write : group) {
    if (!begun.ok()) {
      write->status = begun;
      continue;
    }
    write->status = RunInSavepoint(*write);
    if (write->status.ok()) applied.push_back(write.get());
    if (db.InTransaction()) continue;
    // The transaction was rolled back whole: the writes applied before are gone too.
    for (Pending* lost : applied) {
      lost->status = absl::UnavailableError(absl::StrCat(
          "sqlite: rolled back with a write that failed beside it: ", write->status.message()));
    }
    applied.clear();
    begun = db.Run("BEGIN IMMEDIATE");
  }
  if (!begun.ok()) return;
  absl::Status committed = db.Run("COMMIT");
  if (committed.ok()) return;
  for (Pending* write : applied) write->status = committed;
  if (db.InTransaction()) {
    if (absl::Status rollback = db.Exec("ROLLBACK"); !rollback.ok()) {
      log::Error("database ", db.path(), ": rollback failed: ", rollback.ToString());
    }
  }
}

absl::StatusOr<int64_t> WriteContext::Version() {
  if (version_ != 0) return version_;
  absl::StatusOr<Statement> next = db.Prepare(
      "UPDATE store_state SET last_version = last_version + 1 WHERE id = 1 RETURNING last_version");
  if (!next.ok()) return next.status();
  absl::StatusOr<bool> row = next->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("sqlite: the store_state row is missing");
  version_ = next->ColumnInt(0);
  // Finish the statement: an UPDATE … RETURNING applies its change when it runs to the end.
  if (absl::Status s = next->Run(); !s.ok()) return s;
  return version_;
}

}  // namespace torikumi::store::sqlite
