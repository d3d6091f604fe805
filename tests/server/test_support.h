// Helpers shared by the server integration tests: temp folders, child processes with
// bounded waits, and waiting for a server's health check. Nothing here fakes the server.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace grpc {
class Channel;
class ChannelCredentials;
}  // namespace grpc

namespace torikumi::server_test {

// Generous bound for anything that waits on another process or on background work: the
// ASan/UBSan and TSan builds run 3-20 times slower, on a CI machine shared by parallel tests.
// Waits poll and end as soon as their condition holds, so only a failing test waits this long.
inline constexpr absl::Duration kWaitBound = absl::Seconds(60);

// A fresh folder under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(absl::string_view name) const;

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, absl::string_view bytes);

// Calls `condition` every 20 ms until it returns true (true) or `timeout` passes (false).
bool PollUntil(absl::Duration timeout, const std::function<bool()>& condition);

// A child process whose stdout and stderr go to files. The destructor SIGKILLs and reaps it
// if it still runs, so a failing test never leaves a server behind.
class Subprocess {
 public:
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(const std::vector<std::string>& argv,
                                                           const std::string& stdout_path,
                                                           const std::string& stderr_path);
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  std::string Stdout() const { return ReadFile(stdout_path_); }
  std::string Stderr() const { return ReadFile(stderr_path_); }
  void Signal(int signal_number);
  // True while the process has not exited (reaps it when it has).
  bool Running();
  // The raw wait status once it exited within `timeout`; nullopt if it still runs.
  std::optional<int> WaitForExit(absl::Duration timeout);

 private:
  Subprocess(pid_t pid, std::string stdout_path, std::string stderr_path)
      : pid_(pid), stdout_path_(std::move(stdout_path)), stderr_path_(std::move(stderr_path)) {}

  pid_t pid_;
  std::optional<int> wait_status_;
  std::string stdout_path_;
  std::string stderr_path_;
};

// Runs a program to completion (killed after `timeout`).
struct RunResult {
  // The exit code, or -1 when it was killed by a signal or timed out.
  int exit_code = -1;
  std::string out;
  std::string err;
};
RunResult RunProgram(const std::vector<std::string>& argv, const TempDir& scratch,
                     absl::Duration timeout = kWaitBound);

// Asks grpc.health.v1.Health/Check for `service` ("" = the whole server) until it answers
// SERVING or `timeout` passes.
// `credentials`: how to connect (nullptr: plain text).
bool WaitForServing(const std::string& address, absl::Duration timeout,
                    const std::string& service = "",
                    std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr);

// The real torikumi-server binary as a child: `flags` are its whole command line after the
// binary (give --listen=127.0.0.1:0 and the address is read from the startup line). Its
// output goes to files `name`-N.out/.err in `dir`, one pair per start. Every wait is
// bounded by kWaitBound.
class ServerProcess {
 public:
  ServerProcess(const TempDir& dir, std::string binary, std::vector<std::string> flags,
                std::string name = "server")
      : dir_(dir), binary_(std::move(binary)), flags_(std::move(flags)), name_(std::move(name)) {}

  // Starts the binary; empty on success, else what went wrong.
  std::string Start();
  // Waits for the startup line naming the address, then for health SERVING; empty on
  // success, else what went wrong (with the server's stderr).
  std::string WaitUntilServing();
  // Both of the above.
  std::string Launch();
  // SIGTERM; true when it then exited 0 in time.
  bool Stop();

  // How WaitUntilServing and Channel connect (a TLS server's CA and client certificate);
  // plain text unless set.
  void set_credentials(std::shared_ptr<grpc::ChannelCredentials> credentials) {
    credentials_ = std::move(credentials);
  }

  Subprocess& child() { return *child_; }
  const std::string& address() const { return address_; }
  std::shared_ptr<grpc::Channel> Channel() const;
  // What it logged so far (its stderr).
  std::string Log() const { return child_ == nullptr ? "" : child_->Stderr(); }

 private:
  const TempDir& dir_;
  std::string binary_;
  std::vector<std::string> flags_;
  std::string name_;
  int starts_ = 0;
  std::unique_ptr<Subprocess> child_;
  std::string address_;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
};

}  // namespace torikumi::server_test
