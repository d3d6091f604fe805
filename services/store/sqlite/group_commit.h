// The single writer of the SQLite store, committing in groups. SQLite in WAL mode with
// synchronous=FULL pays one fsync per COMMIT, whatever the transaction holds; so writes that
// arrive while a commit is under way wait in a queue and are then committed together, in one
// transaction with one fsync, by the writer's own thread. Each write's body runs inside its
// own SAVEPOINT: a body that fails rolls back only its own work, and every write is
// acknowledged (Write returns, Submit's `done` is called) only once the COMMIT that holds it
// has returned, i.e. once it is durable.
//
// Submit does not wait: a caller that can finish its work from `done` (a gRPC reactor) holds
// no thread while its commit is under way, so a group can hold every write in flight, not
// only as many as there are threads to wait.
#pragma once

#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
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
  WriteContext(Connection& db, absl::Time now, int64_t group = 0)
      : db(db), now(now), group(group) {}
  // The version stamped on every row this write makes. Taken from the store-wide sequence
  // on first use, so a write that changes nothing does not consume one.
  absl::StatusOr<int64_t> Version();

  Connection& db;
  // create_time / update_time of everything this write makes.
  const absl::Time now;
  // Which commit of the writer this write is in (1, 2, …): writes of one group share it.
  const int64_t group;
  // The sequence of the newest change this write recorded (change_log.cc); 0: none.
  int64_t last_change = 0;

 private:
  int64_t version_ = 0;
};

using WriteBody = absl::FunctionRef<absl::Status(WriteContext&)>;
// A body that owns what it writes, for Submit: it runs after Submit has returned.
using OwnedWriteBody = absl::AnyInvocable<absl::Status(WriteContext&)>;
// Told a submitted write's status once its commit has returned, on the writer's thread. It
// must be quick (the next group waits for it); it may call Write, which then commits at once.
using WriteDone = absl::AnyInvocable<void(absl::Status)>;

class GroupCommitWriter {
 public:
  explicit GroupCommitWriter(std::unique_ptr<Connection> writer);
  // Commits what is queued, then stops the writer's thread.
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Runs `body` on the writer inside a transaction, possibly shared with other writes: its
  // changes are committed when it returns OK and undone otherwise (the others' stand).
  // Returns the body's status, or the commit's when the commit fails.
  absl::Status Write(WriteBody body);
  // The same without waiting: `done` gets what Write would return.
  void Submit(OwnedWriteBody body, WriteDone done);

 private:
  // One write waiting for, or in, a group.
  struct Pending {
    OwnedWriteBody body;
    WriteDone done;
    // Set while its group is committed, passed to `done` after the commit.
    absl::Status status;
  };
  using Group = std::vector<std::unique_ptr<Pending>>;

  // The writer's thread: takes every write queued so far, commits them, tells each.
  void CommitLoop();
  // Runs every body of `group` in one transaction and commits it; sets each status.
  void CommitGroup(const Group& group) ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_);
  // Runs one body inside a SAVEPOINT, rolling back to it when the body fails.
  absl::Status RunInSavepoint(Pending& write) ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_);

  Mutex queue_mu_;
  CondVar queued_;
  // Writes waiting for the next group.
  Group queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;

  // Held while a group is committed: by the writer's thread, or by a Write that a `done`
  // makes on that thread (the only other user of the connection).
  Mutex writer_mu_;
  std::unique_ptr<Connection> writer_ ABSL_PT_GUARDED_BY(writer_mu_);
  // Groups committed so far, the one being committed included.
  int64_t groups_ ABSL_GUARDED_BY(writer_mu_) = 0;
  std::thread thread_;
};

}  // namespace torikumi::store::sqlite
