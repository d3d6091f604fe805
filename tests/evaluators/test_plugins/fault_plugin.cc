// A plugin whose evaluate() misbehaves as its rule-set body says, for the tests of plugin
// isolation (process workers). Bodies:
//   ok          grades every subject with the first grade of the scale (as does any
//               body not listed here)
//   segfault    writes through a null pointer        abort   calls abort()
//   exit3       calls exit(3)                        hang    never returns
//   oom         allocates without bound              stdout  prints to stdout, then grades
//   sleep       sleeps 300 ms, then grades
//   write-file:PATH  tries to create PATH; connect  tries to open a TCP socket to
//               127.0.0.1:9: either grades on success, or fails with the error it got
// The reason of each evaluation is "fault FAULT_VERSION", so a test can tell builds apart.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "cpp/evaluator_plugin.h"
#include "grade_all.h"

#ifndef FAULT_VERSION
#define FAULT_VERSION "1.0.0"
#endif

namespace {

// What a body that names a forbidden action got from the kernel: OK if it was allowed.
absl::Status TryForbidden(absl::string_view body) {
  int fd = -1;
  if (absl::ConsumePrefix(&body, "write-file:")) {
    fd = ::open(std::string(body).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  } else {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
  }
  if (fd < 0) return absl::PermissionDeniedError(absl::StrCat("denied: ", strerror(errno)));
  ::close(fd);
  return absl::OkStatus();
}

void Misbehave(const std::string& body) {
  if (body == "segfault") {
    volatile int* nowhere = nullptr;
    *nowhere = 1;
  } else if (body == "abort") {
    std::abort();
  } else if (body == "exit3") {
    std::exit(3);
  } else if (body == "hang") {
    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
  } else if (body == "oom") {
    std::vector<char*> kept;
    while (true) {
      kept.push_back(new char[64 << 20]);
      std::memset(kept.back(), 1, 64 << 20);
    }
  } else if (body == "stdout") {
    for (int i = 0; i < 1000; ++i) std::printf("plugin output that is not a frame %d\n", i);
    std::fflush(stdout);
  } else if (body == "sleep") {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
}

class FaultEvaluator {
 public:
  static constexpr const char* kName = "fault";
  static constexpr const char* kVersion = FAULT_VERSION;

  static torikumi::v1::EvaluatorInfo Describe() {
    torikumi::v1::EvaluatorInfo info;
    info.set_description("test plugin: evaluate() misbehaves as the rule-set body says");
    return info;
  }
  static torikumi::v1::ValidateRuleSetResponse Validate(
      const torikumi::v1::ValidateRuleSetRequest&) {
    return {};
  }
  static absl::StatusOr<std::unique_ptr<FaultEvaluator>> Create(absl::string_view body) {
    return std::make_unique<FaultEvaluator>(std::string(body));
  }
  explicit FaultEvaluator(std::string body) : body_(std::move(body)) {}

  absl::Status Evaluate(const torikumi::v1::EvaluateRequest& request,
                        torikumi::v1::EvaluateResponse* response) const {
    if (absl::StartsWith(body_, "write-file:") || body_ == "connect") {
      if (absl::Status s = TryForbidden(body_); !s.ok()) return s;
    }
    Misbehave(body_);
    torikumi::test_plugins::GradeEverySubject(request, "fault", "fault " FAULT_VERSION, response);
    return absl::OkStatus();
  }

 private:
  std::string body_;
};

}  // namespace

TORIKUMI_EVALUATOR_PLUGIN(FaultEvaluator)
