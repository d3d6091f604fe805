// Re-rating jobs in the PostgreSQL store, shared by every server on the database: a server
// claims the oldest claimable job with FOR UPDATE SKIP LOCKED (two servers claiming at once
// get different jobs) and holds it by a lease on the database's clock, so servers whose
// clocks differ still agree when it has expired.
#include "absl/strings/str_cat.h"
#include "services/store/job_records.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {
namespace {

// Any constant: the key of the advisory lock that makes enqueues one at a time, so that two
// servers queueing the same work make one job.
constexpr int64_t kEnqueueLock = 0x6a6f62732d717565;  // "jobs-que"

constexpr char kLeaseUntil[] = "clock_timestamp() + $3::bigint * interval '1 microsecond'";

std::string Micros(absl::Duration lease) { return absl::StrCat(absl::ToInt64Microseconds(lease)); }

// The job `name` while `holder` runs it, its row locked until the transaction ends.
absl::StatusOr<v1::Job> LockHeld(Tx& tx, absl::string_view name, absl::string_view holder) {
  absl::StatusOr<int64_t> id = ParseJobName(name);
  if (!id.ok()) return id.status();
  pqxx::result rows =
      tx.exec_params("SELECT body, state, holder FROM jobs WHERE id = $1 FOR UPDATE", *id);
  if (rows.empty()) return absl::NotFoundError(absl::StrCat("job '", name, "' not found"));
  if (rows[0][1].as<int>() != v1::Job::STATE_RUNNING || rows[0][2].as<std::string>() != holder) {
    return LostJobLease(name, holder);
  }
  return ParseBody<v1::Job>(rows[0][0], name);
}

void StoreBody(Tx& tx, const v1::Job& job) {
  tx.exec_params("UPDATE jobs SET body = $1, state = $2 WHERE id = $3", Bytes(job),
                 static_cast<int>(job.state()), *ParseJobName(job.name()));
}

void RenewLease(Tx& tx, const v1::Job& job, absl::string_view holder, absl::Duration lease) {
  tx.exec_params(
      absl::StrCat("UPDATE jobs SET lease_until = ", kLeaseUntil, " WHERE id = $1 AND holder = $2"),
      *ParseJobName(job.name()), std::string(holder), Micros(lease));
}

std::optional<v1::Job> FindPending(Tx& tx, const std::string& plans, const std::string& trigger) {
  pqxx::result rows = tx.exec_params(
      "SELECT body, 'jobs/' || id FROM jobs WHERE state = $1 AND plans = $2 AND "
      "rerate_trigger = $3 ORDER BY id LIMIT 1",
      static_cast<int>(v1::Job::STATE_PENDING), plans, trigger);
  if (rows.empty()) return std::nullopt;
  return ParseBody<v1::Job>(rows[0][0], rows[0][1].c_str());
}

v1::Job InsertJob(Tx& tx, const JobWork& work, const std::string& plans) {
  const int64_t id =
      tx.exec1("SELECT nextval(pg_get_serial_sequence('jobs', 'id'))")[0].as<int64_t>();
  v1::Job job = work.job;
  job.set_name(JobName(id));
  job.set_state(v1::Job::STATE_PENDING);
  job.set_done(0);
  job.clear_errors();
  job.clear_end_time();
  *job.mutable_create_time() = NowTimestamp();
  tx.exec_params(
      "INSERT INTO jobs (id, state, plans, rerate_trigger, body) VALUES ($1, $2, $3, $4, $5)", id,
      static_cast<int>(job.state()), plans, work.trigger, Bytes(job));
  return job;
}

}  // namespace

absl::StatusOr<EnqueueJobResult> PostgresStore::EnqueueJob(const JobWork& work, int max_pending) {
  const std::string plans = JoinJobPlans(work.plans);
  EnqueueJobResult result;
  absl::Status status = JobWrite([&](Tx& tx) -> absl::Status {
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", kEnqueueLock);
    if (std::optional<v1::Job> pending = FindPending(tx, plans, work.trigger)) {
      result.job = *std::move(pending);
      return absl::OkStatus();
    }
    const int64_t count = tx.exec_params1("SELECT count(*) FROM jobs WHERE state = $1",
                                          static_cast<int>(v1::Job::STATE_PENDING))[0]
                              .as<int64_t>();
    if (count >= max_pending) return PendingJobsFull(work.job.description(), count);
    result.job = InsertJob(tx, work, plans);
    result.created = true;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<std::optional<JobWork>> PostgresStore::ClaimJob(absl::string_view holder,
                                                               absl::Duration lease) {
  std::optional<JobWork> claimed;
  absl::Status status = JobWrite([&](Tx& tx) -> absl::Status {
    pqxx::result rows = tx.exec_params(
        "SELECT body, 'jobs/' || id, plans, rerate_trigger FROM jobs "
        "WHERE state = $1 OR (state = $2 AND lease_until < clock_timestamp()) "
        "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
        static_cast<int>(v1::Job::STATE_PENDING), static_cast<int>(v1::Job::STATE_RUNNING));
    if (rows.empty()) return absl::OkStatus();
    JobWork work{ParseBody<v1::Job>(rows[0][0], rows[0][1].c_str()),
                 SplitJobPlans(rows[0][2].as<std::string>()), rows[0][3].as<std::string>()};
    work.job.set_state(v1::Job::STATE_RUNNING);
    StoreBody(tx, work.job);
    tx.exec_params("UPDATE jobs SET holder = $2 WHERE id = $1", *ParseJobName(work.job.name()),
                   std::string(holder));
    RenewLease(tx, work.job, holder, lease);
    claimed = std::move(work);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return claimed;
}

absl::Status PostgresStore::RenewJobLease(absl::string_view name, absl::string_view holder,
                                          absl::Duration lease) {
  return JobWrite([&](Tx& tx) -> absl::Status {
    absl::StatusOr<v1::Job> job = LockHeld(tx, name, holder);
    if (!job.ok()) return job.status();
    RenewLease(tx, *job, holder, lease);
    return absl::OkStatus();
  });
}

absl::Status PostgresStore::RecordJobProgress(const v1::Job& progress, absl::string_view holder,
                                              absl::Duration lease) {
  return JobWrite([&](Tx& tx) -> absl::Status {
    absl::StatusOr<v1::Job> job = LockHeld(tx, progress.name(), holder);
    if (!job.ok()) return job.status();
    job->set_done(progress.done());
    *job->mutable_errors() = progress.errors();
    StoreBody(tx, *job);
    RenewLease(tx, *job, holder, lease);
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Job> PostgresStore::FinishJob(const v1::Job& result, absl::string_view holder) {
  if (absl::Status s = CheckFinalJobState(result.state()); !s.ok()) return s;
  v1::Job ended;
  absl::Status status = JobWrite([&](Tx& tx) -> absl::Status {
    absl::StatusOr<v1::Job> job = LockHeld(tx, result.name(), holder);
    if (!job.ok()) return job.status();
    job->set_state(result.state());
    job->set_done(result.done());
    *job->mutable_errors() = result.errors();
    *job->mutable_end_time() = NowTimestamp();
    StoreBody(tx, *job);
    tx.exec_params("UPDATE jobs SET end_time = $1 WHERE id = $2",
                   absl::ToUnixMicros(FromTimestamp(job->end_time())), *ParseJobName(job->name()));
    ended = *std::move(job);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return ended;
}

absl::StatusOr<ListResult<v1::Job>> PostgresStore::ListJobs(Page page) {
  return ReadPage<v1::Job>({.select = "SELECT body, 'jobs/' || id FROM jobs ORDER BY id DESC",
                            .count = "SELECT count(*) FROM jobs"},
                           page);
}

absl::StatusOr<int64_t> PostgresStore::PruneEndedJobs(absl::Time before) {
  int64_t pruned = 0;
  absl::Status status = JobWrite([&](Tx& tx) -> absl::Status {
    pruned = tx.exec_params("DELETE FROM jobs WHERE end_time > 0 AND end_time < $1",
                            absl::ToUnixMicros(before))
                 .affected_rows();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return pruned;
}

}  // namespace torikumi::store::postgres
