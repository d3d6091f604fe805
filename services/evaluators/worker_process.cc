#include "services/evaluators/worker_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/evaluators/worker/sandbox.h"

extern char** environ;

namespace torikumi::evaluators {
namespace {

// What the child gets: /dev/null for stdin, the server's stderr for stdout and stderr, the
// channel on descriptor 3 and nothing else, a process group of its own, default signal
// dispositions and no blocked signals.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& args, int channel) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, 2, 1);
  posix_spawn_file_actions_adddup2(&actions, channel, wire::kWorkerChannelFd);
  posix_spawn_file_actions_addclosefrom_np(&actions, wire::kWorkerChannelFd + 1);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0].c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot start the evaluator worker ", args[0], ": ", strerror(rc)));
  }
  return pid;
}

}  // namespace

absl::StatusOr<std::unique_ptr<WorkerProcess>> WorkerProcess::Start(const WorkerOptions& options,
                                                                    const std::string& plugin_path,
                                                                    absl::Time deadline,
                                                                    v1::EvaluatorInfo* info) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot make a channel for an evaluator worker: ", strerror(errno)));
  }
  // Large batches cross in fewer rounds with larger buffers (capped by the kernel).
  const int buffer = 4 << 20;
  for (int fd : fds) {
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  }
  // Moved above the descriptors the child keeps, so that dup2 onto 3 always clears
  // close-on-exec (a dup2 of a descriptor onto itself would not).
  const int child = ::fcntl(fds[1], F_DUPFD_CLOEXEC, 10);
  ::close(fds[1]);
  absl::StatusOr<pid_t> pid =
      child < 0 ? absl::ResourceExhaustedError("cannot duplicate the channel")
                : Spawn({options.worker_path, absl::StrCat("--plugin=", plugin_path),
                         absl::StrCat("--memory_limit_mb=", options.memory_limit_mb),
                         absl::StrCat("--cpu_limit_s=", options.cpu_limit_s),
                         absl::StrCat("--syscall_filter=", options.syscall_filter ? 1 : 0)},
                        child);
  if (child >= 0) ::close(child);
  if (!pid.ok()) {
    ::close(fds[0]);
    return pid.status();
  }
  std::unique_ptr<WorkerProcess> worker(new WorkerProcess(*pid, fds[0], options.memory_limit_mb));
  wire::Frame hello;
  if (absl::Status s = wire::ReadFrame(worker->fd_, &hello, deadline); !s.ok()) {
    const bool late = absl::IsDeadlineExceeded(s);
    const std::string ended = worker->Stop(absl::Seconds(1));
    return absl::FailedPreconditionError(
        late ? absl::StrCat("its worker process did not load it before the time limit; it ", ended)
             : absl::StrCat("its worker process ", ended, " while loading it"));
  }
  if (hello.kind != wire::kOk) {
    worker->Stop(absl::Seconds(1));
    return absl::FailedPreconditionError(hello.payload);
  }
  if (!info->ParseFromString(hello.payload)) {
    return absl::FailedPreconditionError(
        "its worker process said hello in bytes that do not parse");
  }
  return worker;
}

WorkerProcess::~WorkerProcess() {
  Stop(absl::ZeroDuration());
  ::close(fd_);
}

absl::Status WorkerProcess::Call(uint8_t kind, absl::string_view prefix, absl::string_view body,
                                 absl::Time deadline, wire::Frame* reply) {
  if (absl::Status s = wire::WriteFrame(fd_, kind, prefix, body, deadline); !s.ok()) return s;
  return wire::ReadFrame(fd_, reply, deadline);
}

absl::Status WorkerProcess::Send(uint8_t kind, absl::string_view payload) {
  return wire::WriteFrame(fd_, kind, "", payload, absl::Now() + absl::Seconds(1));
}

std::string WorkerProcess::Stop(absl::Duration grace) {
  if (reaped_) return "had stopped";
  int status = 0;
  const absl::Time deadline = absl::Now() + grace;
  pid_t done = 0;
  while ((done = ::waitpid(pid_, &status, WNOHANG)) == 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  // The whole group: whatever the plugin started goes too.
  ::kill(-pid_, SIGKILL);
  if (done == 0) {
    while ((done = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
    }
  }
  reaped_ = true;
  if (done != pid_) return "could not be reaped";
  return Describe(status);
}

std::string WorkerProcess::Describe(int wait_status) const {
  if (WIFEXITED(wait_status)) {
    const int code = WEXITSTATUS(wait_status);
    if (code == worker::kExitMemoryLimit) {
      return absl::StrCat("ran out of its memory limit (", memory_limit_mb_, " MiB)");
    }
    return absl::StrCat("exited with code ", code);
  }
  if (WIFSIGNALED(wait_status)) {
    const int signal = WTERMSIG(wait_status);
    const char* abbrev = sigabbrev_np(signal);
    std::string name = abbrev == nullptr ? absl::StrCat(signal) : absl::StrCat("SIG", abbrev);
    const char* description = sigdescr_np(signal);
    if (description != nullptr) absl::StrAppend(&name, " (", description, ")");
    if (signal == SIGXCPU) absl::StrAppend(&name, ": it used up its CPU time limit");
    return absl::StrCat("was killed by signal ", name);
  }
  return "ended";
}

}  // namespace torikumi::evaluators
