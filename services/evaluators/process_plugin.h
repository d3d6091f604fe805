// A plugin run in a worker process of its own (--plugin_isolation=process, the default):
// the host sends each call's protobuf bytes over the worker's channel and reads the reply.
//
// One worker per plugin, one call at a time (the worker is single-threaded): callers queue
// for it within their own time limit. What a fault costs:
//   - the worker crashes, aborts, exits or runs out of memory: the call in flight fails
//     with UNAVAILABLE naming the plugin and what ended the worker (signal, exit code,
//     memory limit); the next call starts a new worker, after a backoff that grows with
//     failures in a row;
//   - a call runs past its limit: DEADLINE_EXCEEDED, and the worker's process group is
//     killed with SIGKILL at once: nothing is left running;
//   - three failures in a row mark the plugin unhealthy (health()) until an evaluate()
//     succeeds.
// Instances compiled on a worker that has since died are compiled again, from their
// body, on the new one before their next evaluation.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "services/common/mutex.h"
#include "services/evaluators/evaluator_instance.h"
#include "services/evaluators/worker_process.h"

namespace torikumi::evaluators {

class ProcessPlugin : public Plugin {
 public:
  // Starts the plugin's first worker, which loads `path` and describes it; an error is
  // the reason to refuse the file (FAILED_PRECONDITION), as for an in-process load.
  static absl::StatusOr<std::shared_ptr<const ProcessPlugin>> Start(WorkerOptions options,
                                                                    const std::string& path,
                                                                    std::string file_key,
                                                                    absl::Duration start_limit);
  ProcessPlugin(WorkerOptions options, std::string path, std::string file_key,
                v1::EvaluatorInfo info, std::unique_ptr<WorkerProcess> worker);

  const v1::EvaluatorInfo& info() const override { return info_; }
  const std::string& file_key() const override { return file_key_; }
  PluginHealth health() const override;
  absl::StatusOr<std::string> Validate(std::string request, absl::Duration limit) const override;
  absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> Create(
      std::string body, absl::Duration limit) const override;

  // For the instances: evaluate() of instance `id` (compiled from `body`), and its end.
  absl::Status EvaluateOn(uint64_t id, const std::string& body, absl::string_view request,
                          absl::Duration limit, wire::Frame* reply) const;
  void Forget(uint64_t id) const;
  // The current worker's process id, or -1 when it is down (for tests and the benchmark).
  pid_t worker_pid() const;

 private:
  // A call on the worker: `kind` with the instance id (for create and evaluate) and
  // `payload`. Takes the worker for the call, starting one if it is down.
  absl::Status Call(absl::string_view function, uint8_t kind, uint64_t id,
                    absl::string_view payload, const std::string* body, absl::Duration limit,
                    wire::Frame* reply) const;
  // What the holder of the worker does, in order: make sure there is one, destroy
  // forgotten instances, compile the instance if this worker lacks it, make the call.
  absl::Status EnsureWorker(absl::string_view function, absl::Time deadline) const;
  void DestroyForgotten() const;
  absl::Status CallOnWorker(absl::string_view function, uint8_t kind, uint64_t id,
                            absl::string_view payload, absl::Time deadline, absl::Duration limit,
                            wire::Frame* reply) const;
  // Ends a worker whose channel failed with `error`; the status for the caller.
  absl::Status WorkerFailed(absl::string_view function, const absl::Status& error,
                            absl::Duration limit) const;
  void RecordFailure(const std::string& error) const;
  void RecordSuccess() const;

  const WorkerOptions options_;
  const std::string path_;
  const std::string file_key_;
  const v1::EvaluatorInfo info_;
  mutable std::atomic<uint64_t> next_id_{1};

  mutable Mutex mu_;
  mutable CondVar released_;  // busy_ went false
  // One caller at a time holds the worker (busy_); only that caller touches worker_ and
  // created_, outside mu_, so a long call does not block health() or Forget().
  mutable bool busy_ ABSL_GUARDED_BY(mu_) = false;
  mutable std::unique_ptr<WorkerProcess> worker_;
  mutable absl::flat_hash_set<uint64_t> created_;  // instances compiled on worker_
  mutable std::vector<uint64_t> forgotten_ ABSL_GUARDED_BY(mu_);
  mutable pid_t worker_pid_ ABSL_GUARDED_BY(mu_) = -1;
  mutable int failures_in_a_row_ ABSL_GUARDED_BY(mu_) = 0;
  mutable absl::Time restart_after_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  mutable std::string last_error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace torikumi::evaluators
