// The single writer of the SQLite store, committing in groups. SQLite in WAL mode with
// synchronous=FULL pays one fsync per COMMIT, whatever the transaction holds; so writes that
// arrive while a commit is under way wait and are then committed together, in one
// transaction with one fsync. Each write's body runs inside its own SAVEPOINT: a body that
// fails rolls back only its own work, and every write is acknowledged (Write returns) only
// once the COMMIT that holds it has returned, i.e. once it is durable.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/mutex.h"
#include "services/store/sqlite/connection.h"

namespace torikumi::store::sqlite {

// What a write's body gets: the writer connection and the write's clock.
class WriteContext {
 public:
  WriteContext(Connection& db, absl::Time now) : db(db), now(now) {}
  // The version stamped on every row this write makes. Taken from the store-wide sequence
  // on first use, so a write that changes nothing does not consume one.
  absl::StatusOr<int64_t> Version();

  Connection& db;
  // create_time / update_time of everything this write makes.
  const absl::Time now;
  // The sequence of the newest change this write recorded (change_log.cc); 0: none.
  int64_t last_change = 0;

 private:
  int64_t version_ = 0;
};

using WriteBody = absl::FunctionRef<absl::Status(WriteContext&)>;

class GroupCommitWriter {
 public:
  explicit GroupCommitWriter(std::unique_ptr<Connection> writer) : writer_(std::move(writer)) {}

  // Runs `body` on the writer inside a transaction, possibly shared with other writes: its
  // changes are committed when it returns OK and undone otherwise (the others' stand).
  // Returns the body's status, or the commit's when the commit fails.
  absl::Status Write(WriteBody body);

 private:
  // One write waiting for, or in, a group.
  struct Pending {
    explicit Pending(WriteBody body) : body(body) {}
    WriteBody body;
    // Set by the thread that commits the group, read by the writer once `done`.
    absl::Status status;
    bool done = false;
  };

  // Runs every body of `group` in one transaction and commits it; sets each status.
  void CommitGroup(const std::vector<Pending*>& group) ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_);
  // Runs one body inside a SAVEPOINT, rolling back to it when the body fails.
  absl::Status RunInSavepoint(Pending& write) ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_);

  Mutex queue_mu_;
  CondVar group_done_;
  // Writes waiting for the next group.
  std::vector<Pending*> queue_ ABSL_GUARDED_BY(queue_mu_);
  // True while some thread is committing a group (and so is the leader of the next one).
  bool committing_ ABSL_GUARDED_BY(queue_mu_) = false;

  // Held by the committing thread only; the flag above already keeps others away, the
  // mutex says so to the thread-safety analysis and orders the connection's use.
  Mutex writer_mu_;
  std::unique_ptr<Connection> writer_ ABSL_PT_GUARDED_BY(writer_mu_);
};

}  // namespace torikumi::store::sqlite
