#include "services/store/sqlite/group_commit.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"

namespace torikumi::store::sqlite {

absl::Status GroupCommitWriter::Write(WriteBody body) {
  Pending mine(body);
  queue_mu_.Lock();
  queue_.push_back(&mine);
  // Whoever finds no commit under way takes every write queued so far (its own among them)
  // and commits them; the others wait for the group that holds theirs.
  while (!mine.done) {
    if (committing_) {
      group_done_.Wait(&queue_mu_);
      continue;
    }
    committing_ = true;
    std::vector<Pending*> group;
    group.swap(queue_);
    queue_mu_.Unlock();
    {
      MutexLock writer_lock(&writer_mu_);
      CommitGroup(group);
    }
    queue_mu_.Lock();
    for (Pending* write : group) write->done = true;
    committing_ = false;
    group_done_.SignalAll();
  }
  absl::Status status = std::move(mine.status);
  queue_mu_.Unlock();
  return status;
}

absl::Status GroupCommitWriter::RunInSavepoint(Pending& write) {
  Connection& db = *writer_;
  if (absl::Status s = db.Exec("SAVEPOINT write"); !s.ok()) return s;
  WriteContext context(db, absl::Now());
  absl::Status status = write.body(context);
  // Some errors (an I/O error, a full disk) make SQLite roll back the whole transaction
  // itself; then there is no savepoint left to go back to.
  if (!db.InTransaction()) return status.ok() ? absl::InternalError("transaction lost") : status;
  if (!status.ok()) {
    if (absl::Status undo = db.Exec("ROLLBACK TO write"); !undo.ok()) return undo;
  }
  if (absl::Status release = db.Exec("RELEASE write"); !release.ok()) return release;
  return status;
}

void GroupCommitWriter::CommitGroup(const std::vector<Pending*>& group) {
  Connection& db = *writer_;
  std::vector<Pending*> applied;
  // IMMEDIATE takes the write lock now, so no body fails half-way for want of it.
  absl::Status begun = db.Exec("BEGIN IMMEDIATE");
  for (Pending* write : group) {
    if (!begun.ok()) {
      write->status = begun;
      continue;
    }
    write->status = RunInSavepoint(*write);
    if (write->status.ok()) applied.push_back(write);
    if (db.InTransaction()) continue;
    // The transaction was rolled back whole: the writes applied before are gone too.
    for (Pending* lost : applied) {
      lost->status = absl::UnavailableError(absl::StrCat(
          "sqlite: rolled back with a write that failed beside it: ", write->status.message()));
    }
    applied.clear();
    begun = db.Exec("BEGIN IMMEDIATE");
  }
  if (!begun.ok()) return;
  absl::Status committed = db.Exec("COMMIT");
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
