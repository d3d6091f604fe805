// One evaluator worker process (worker/worker_main.cc) seen from the host: started with
// posix_spawn in a process group of its own, its channel a socket pair, its stdout and
// stderr the server's stderr (so a plugin's prints never reach the channel). The object
// owns the process: destroying it kills the group with SIGKILL and reaps it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/evaluators/frame_channel.h"
#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::evaluators {

// How workers are started.
struct WorkerOptions {
  std::string worker_path = {};     // the torikumi-evaluator-worker executable
  uint64_t memory_limit_mb = 1024;  // address space; 0: none
  int64_t cpu_limit_s = 60;         // CPU seconds per call; 0: none
  bool syscall_filter = true;
};

class WorkerProcess {
 public:
  // Starts a worker for `plugin_path` and waits until `deadline` for its hello: the
  // plugin's EvaluatorInfo in *info, or FAILED_PRECONDITION with why the plugin (or the
  // worker) could not start.
  static absl::StatusOr<std::unique_ptr<WorkerProcess>> Start(const WorkerOptions& options,
                                                              const std::string& plugin_path,
                                                              absl::Time deadline,
                                                              v1::EvaluatorInfo* info);
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;
  ~WorkerProcess();

  // One call: sends a frame and reads the reply until `deadline`. Errors of the channel are
  // UNAVAILABLE or DEADLINE_EXCEEDED (see Stop for what ended the process).
  absl::Status Call(uint8_t kind, absl::string_view prefix, absl::string_view body,
                    absl::Time deadline, wire::Frame* reply);
  // Sends a frame that gets no reply.
  absl::Status Send(uint8_t kind, absl::string_view payload);

  // Ends the process: waits up to `grace` for it to end by itself (after its channel broke,
  // it is usually dead already), then kills its group with SIGKILL; reaps it and describes
  // how it ended, e.g. "was killed by signal SIGSEGV (Segmentation fault)", "exited with
  // code 3", "ran out of its memory limit (1024 MiB)".
  std::string Stop(absl::Duration grace);

  pid_t pid() const { return pid_; }

 private:
  WorkerProcess(pid_t pid, int fd, uint64_t memory_limit_mb)
      : pid_(pid), fd_(fd), memory_limit_mb_(memory_limit_mb) {}
  std::string Describe(int wait_status) const;

  pid_t pid_;
  int fd_;
  uint64_t memory_limit_mb_;
  bool reaped_ = false;
};

}  // namespace torikumi::evaluators
