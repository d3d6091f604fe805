#include "tests/server/test_support.h"

#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"

extern char** environ;

namespace torikumi::server_test {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(base != nullptr && *base != '\0' ? base : "/tmp",
                                     "/torikumi-server-test-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    std::fprintf(stderr, "mkdtemp %s: %s\n", pattern.c_str(), std::strerror(errno));
    std::abort();
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::File(absl::string_view name) const { return absl::StrCat(path_, "/", name); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::string& path, absl::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

bool PollUntil(absl::Duration timeout, const std::function<bool()>& condition) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (condition()) return true;
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
}

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(const std::vector<std::string>& argv,
                                                              const std::string& stdout_path,
                                                              const std::string& stderr_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // The child starts with an empty signal mask and default dispositions whatever the test
  // runner did, so SIGTERM reaches it as it would in production.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attributes, &empty);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int error = posix_spawn(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    return absl::InternalError(absl::StrCat("cannot start ", argv[0], ": ", std::strerror(error)));
  }
  return std::unique_ptr<Subprocess>(new Subprocess(pid, stdout_path, stderr_path));
}

Subprocess::~Subprocess() {
  if (Running()) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void Subprocess::Signal(int signal_number) {
  if (!wait_status_.has_value()) kill(pid_, signal_number);
}

bool Subprocess::Running() {
  if (wait_status_.has_value()) return false;
  int status = 0;
  pid_t done = waitpid(pid_, &status, WNOHANG);
  if (done == pid_) wait_status_ = status;
  return !wait_status_.has_value();
}

std::optional<int> Subprocess::WaitForExit(absl::Duration timeout) {
  PollUntil(timeout, [this] { return !Running(); });
  return wait_status_;
}

RunResult RunProgram(const std::vector<std::string>& argv, const TempDir& scratch,
                     absl::Duration timeout) {
  static std::atomic<int> counter{0};
  const int n = counter++;
  const std::string out_path = scratch.File(absl::StrCat("run-", n, ".out"));
  const std::string err_path = scratch.File(absl::StrCat("run-", n, ".err"));
  RunResult result;
  absl::StatusOr<std::unique_ptr<Subprocess>> child = Subprocess::Start(argv, out_path, err_path);
  if (!child.ok()) {
    result.err = std::string(child.status().message());
    return result;
  }
  std::optional<int> status = (*child)->WaitForExit(timeout);
  if (status.has_value() && WIFEXITED(*status)) result.exit_code = WEXITSTATUS(*status);
  child->reset();  // kills it if it timed out, so the files are complete below
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  if (!status.has_value())
    absl::StrAppend(&result.err, "\n[timed out after ", absl::FormatDuration(timeout), "]");
  return result;
}

bool WaitForServing(const std::string& address, absl::Duration timeout, const std::string& service,
                    std::shared_ptr<grpc::ChannelCredentials> credentials) {
  auto channel = grpc::CreateChannel(
      address, credentials != nullptr ? credentials : grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  return PollUntil(timeout, [&] {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = stub->Check(&context, request, &response);
    return status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  });
}

std::string ServerProcess::Start() {
  const int n = starts_++;
  std::vector<std::string> argv = {binary_};
  argv.insert(argv.end(), flags_.begin(), flags_.end());
  absl::StatusOr<std::unique_ptr<Subprocess>> child =
      Subprocess::Start(argv, dir_.File(absl::StrCat(name_, "-", n, ".out")),
                        dir_.File(absl::StrCat(name_, "-", n, ".err")));
  if (!child.ok()) return std::string(child.status().message());
  child_ = *std::move(child);
  address_.clear();
  return "";
}

std::string ServerProcess::WaitUntilServing() {
  const std::string marker = " listening on ";
  bool logged = PollUntil(kWaitBound, [&] {
    std::string err = child_->Stderr();
    size_t at = err.find(marker);
    if (at == std::string::npos) return !child_->Running();
    size_t begin = at + marker.size();
    size_t end = err.find(' ', begin);
    if (end == std::string::npos) return false;
    address_ = err.substr(begin, end - begin);
    return true;
  });
  if (!logged || address_.empty())
    return absl::StrCat("no startup line; stderr:\n", child_->Stderr());
  if (!WaitForServing(address_, kWaitBound, "", credentials_)) {
    return absl::StrCat("not SERVING on ", address_, "; stderr:\n", child_->Stderr());
  }
  return "";
}

std::string ServerProcess::Launch() {
  std::string error = Start();
  return error.empty() ? WaitUntilServing() : error;
}

std::shared_ptr<grpc::Channel> ServerProcess::Channel() const {
  return grpc::CreateChannel(
      address_, credentials_ != nullptr ? credentials_ : grpc::InsecureChannelCredentials());
}

bool ServerProcess::Stop() {
  child_->Signal(SIGTERM);
  std::optional<int> status = child_->WaitForExit(kWaitBound);
  return status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) == 0;
}

}  // namespace torikumi::server_test
