// Re-rating jobs in the SQLite store: one row each, the body holding the job as listed. One
// process writes the file, so the lease matters only when a server restarts on it.
#include "absl/strings/str_cat.h"
#include "services/common/timestamp.h"
#include "services/store/job_records.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {
namespace {

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }

// The job `name` while `holder` runs it.
absl::StatusOr<v1::Job> LoadHeld(Connection& db, absl::string_view name, absl::string_view holder) {
  absl::StatusOr<int64_t> id = ParseJobName(name);
  if (!id.ok()) return id.status();
  absl::StatusOr<Statement> query = db.Prepare("SELECT body, state, holder FROM jobs WHERE id = ?");
  if (!query.ok()) return query.status();
  query->Bind(*id);
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(absl::StrCat("job '", name, "' not found"));
  if (query->ColumnInt(1) != v1::Job::STATE_RUNNING || query->ColumnText(2) != holder) {
    return LostJobLease(name, holder);
  }
  return ParseBody<v1::Job>(query->ColumnBlob(0), name);
}

absl::Status StoreHeld(Connection& db, const v1::Job& job, int64_t lease_until) {
  absl::StatusOr<Statement> update =
      db.Prepare("UPDATE jobs SET body = ?, state = ?, lease_until = ? WHERE id = ?");
  if (!update.ok()) return update.status();
  update->BindBlob(job.SerializeAsString())
      .Bind(static_cast<int64_t>(job.state()))
      .Bind(lease_until)
      .Bind(*ParseJobName(job.name()));
  return update->Run();
}

// An identical pending job, or nullopt.
absl::StatusOr<std::optional<v1::Job>> FindPending(Connection& db, const std::string& plans,
                                                   absl::string_view trigger) {
  absl::StatusOr<Statement> query = db.Prepare(
      "SELECT body, id FROM jobs WHERE state = ? AND plans = ? AND rerate_trigger = ? "
      "ORDER BY id LIMIT 1");
  if (!query.ok()) return query.status();
  query->Bind(static_cast<int64_t>(v1::Job::STATE_PENDING)).Bind(plans).Bind(trigger);
  std::vector<v1::Job> found;
  if (absl::Status s = AppendBodies(*query, &found); !s.ok()) return s;
  if (found.empty()) return std::optional<v1::Job>();
  return std::optional<v1::Job>(std::move(found.front()));
}

absl::StatusOr<int64_t> CountPending(Connection& db) {
  absl::StatusOr<Statement> query = db.Prepare("SELECT COUNT(*) FROM jobs WHERE state = ?");
  if (!query.ok()) return query.status();
  query->Bind(static_cast<int64_t>(v1::Job::STATE_PENDING));
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  return query->ColumnInt(0);
}

absl::StatusOr<v1::Job> InsertJob(WriteContext& w, const JobWork& work, const std::string& plans) {
  absl::StatusOr<Statement> insert =
      w.db.Prepare("INSERT INTO jobs (state, plans, rerate_trigger, body) VALUES (?, ?, ?, x'')");
  if (!insert.ok()) return insert.status();
  insert->Bind(static_cast<int64_t>(v1::Job::STATE_PENDING)).Bind(plans).Bind(work.trigger);
  if (absl::Status s = insert->Run(); !s.ok()) return s;
  absl::StatusOr<Statement> id = w.db.Prepare("SELECT last_insert_rowid()");
  if (!id.ok()) return id.status();
  if (absl::StatusOr<bool> row = id->Step(); !row.ok()) return row.status();
  v1::Job job = work.job;
  job.set_name(JobName(id->ColumnInt(0)));
  job.set_state(v1::Job::STATE_PENDING);
  job.set_done(0);
  job.clear_errors();
  job.clear_end_time();
  *job.mutable_create_time() = ToTimestamp(w.now);
  if (absl::Status s = StoreHeld(w.db, job, 0); !s.ok()) return s;
  return job;
}

}  // namespace

absl::StatusOr<EnqueueJobResult> SqliteStore::EnqueueJob(const JobWork& work, int max_pending) {
  const std::string plans = JoinJobPlans(work.plans);
  EnqueueJobResult result;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<std::optional<v1::Job>> pending = FindPending(w.db, plans, work.trigger);
    if (!pending.ok()) return pending.status();
    if (pending->has_value()) {
      result.job = **std::move(pending);
      return absl::OkStatus();
    }
    absl::StatusOr<int64_t> count = CountPending(w.db);
    if (!count.ok()) return count.status();
    if (*count >= max_pending) return PendingJobsFull(work.job.description(), *count);
    absl::StatusOr<v1::Job> inserted = InsertJob(w, work, plans);
    if (!inserted.ok()) return inserted.status();
    result.job = *std::move(inserted);
    result.created = true;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<std::optional<JobWork>> SqliteStore::ClaimJob(absl::string_view holder,
                                                             absl::Duration lease) {
  std::optional<JobWork> claimed;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<Statement> query = w.db.Prepare(
        "SELECT body, id, plans, rerate_trigger FROM jobs "
        "WHERE state = ? OR (state = ? AND lease_until < ?) ORDER BY id LIMIT 1");
    if (!query.ok()) return query.status();
    query->Bind(static_cast<int64_t>(v1::Job::STATE_PENDING))
        .Bind(static_cast<int64_t>(v1::Job::STATE_RUNNING))
        .Bind(Micros(w.now));
    absl::StatusOr<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    const int64_t id = query->ColumnInt(1);
    absl::StatusOr<v1::Job> job = ParseBody<v1::Job>(query->ColumnBlob(0), JobName(id));
    if (!job.ok()) return job.status();
    JobWork work{*std::move(job), SplitJobPlans(query->ColumnText(2)), query->ColumnText(3)};
    work.job.set_state(v1::Job::STATE_RUNNING);
    absl::StatusOr<Statement> hold = w.db.Prepare("UPDATE jobs SET holder = ? WHERE id = ?");
    if (!hold.ok()) return hold.status();
    hold->Bind(holder).Bind(id);
    if (absl::Status s = hold->Run(); !s.ok()) return s;
    if (absl::Status s = StoreHeld(w.db, work.job, Micros(w.now + lease)); !s.ok()) return s;
    claimed = std::move(work);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return claimed;
}

absl::Status SqliteStore::RenewJobLease(absl::string_view name, absl::string_view holder,
                                        absl::Duration lease) {
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Job> job = LoadHeld(w.db, name, holder);
    if (!job.ok()) return job.status();
    return StoreHeld(w.db, *job, Micros(w.now + lease));
  });
}

absl::Status SqliteStore::RecordJobProgress(const v1::Job& progress, absl::string_view holder,
                                            absl::Duration lease) {
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Job> job = LoadHeld(w.db, progress.name(), holder);
    if (!job.ok()) return job.status();
    job->set_done(progress.done());
    *job->mutable_errors() = progress.errors();
    return StoreHeld(w.db, *job, Micros(w.now + lease));
  });
}

absl::StatusOr<v1::Job> SqliteStore::FinishJob(const v1::Job& result, absl::string_view holder) {
  if (absl::Status s = CheckFinalJobState(result.state()); !s.ok()) return s;
  v1::Job ended;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Job> job = LoadHeld(w.db, result.name(), holder);
    if (!job.ok()) return job.status();
    job->set_state(result.state());
    job->set_done(result.done());
    *job->mutable_errors() = result.errors();
    *job->mutable_end_time() = ToTimestamp(w.now);
    if (absl::Status s = StoreHeld(w.db, *job, 0); !s.ok()) return s;
    absl::StatusOr<Statement> ended_at = w.db.Prepare("UPDATE jobs SET end_time = ? WHERE id = ?");
    if (!ended_at.ok()) return ended_at.status();
    ended_at->Bind(Micros(w.now)).Bind(*ParseJobName(job->name()));
    if (absl::Status s = ended_at->Run(); !s.ok()) return s;
    ended = *std::move(job);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return ended;
}

absl::StatusOr<ListResult<v1::Job>> SqliteStore::ListJobs(Page page) {
  return ReadPage<v1::Job>({.select = "SELECT body, 'jobs/' || id FROM jobs ORDER BY id DESC "
                                      "LIMIT ? OFFSET ?",
                            .count = "SELECT count(*) FROM jobs"},
                           page);
}

absl::StatusOr<int64_t> SqliteStore::PruneEndedJobs(absl::Time before) {
  int64_t pruned = 0;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<Statement> count =
        w.db.Prepare("SELECT count(*) FROM jobs WHERE end_time > 0 AND end_time < ?");
    if (!count.ok()) return count.status();
    count->Bind(Micros(before));
    if (absl::StatusOr<bool> row = count->Step(); !row.ok()) return row.status();
    pruned = count->ColumnInt(0);
    absl::StatusOr<Statement> prune =
        w.db.Prepare("DELETE FROM jobs WHERE end_time > 0 AND end_time < ?");
    if (!prune.ok()) return prune.status();
    prune->Bind(Micros(before));
    return prune->Run();
  });
  if (!status.ok()) return status;
  return pruned;
}

}  // namespace torikumi::store::sqlite
