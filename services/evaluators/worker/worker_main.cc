// torikumi-evaluator-worker: runs one evaluator plugin for the plugin host in a process
// of its own, so that a plugin that crashes, hangs or eats memory takes only this process
// down. The host starts it with the channel on descriptor 3 (frame_channel.h), stdout and
// stderr on the server's stderr, in a process group of its own:
//
//   torikumi-evaluator-worker --plugin=PATH [--memory_limit_mb=N] [--cpu_limit_s=N]
//                             [--syscall_filter=1|0]
//
// It limits itself (worker/sandbox.h), loads the plugin with the host's own loader, says
// hello (the plugin's EvaluatorInfo, or why it was refused) and then answers calls, one at
// a time, until the host closes the channel.
#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "services/evaluators/frame_channel.h"
#include "services/evaluators/plugin_library.h"
#include "services/evaluators/worker/sandbox.h"

namespace torikumi::evaluators::worker {
namespace {

struct Args {
  std::string plugin;
  uint64_t memory_limit_mb = 0;  // 0: no limit
  int64_t cpu_limit_s = 0;       // per call; 0: no limit
  bool syscall_filter = true;
};

bool ParseArgs(int argc, char** argv, Args* args) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    absl::string_view value = arg.substr(arg.find('=') + 1);
    if (absl::ConsumePrefix(&arg, "--plugin=")) {
      args->plugin = std::string(arg);
    } else if (absl::StartsWith(arg, "--memory_limit_mb=")) {
      if (!absl::SimpleAtoi(value, &args->memory_limit_mb)) return false;
    } else if (absl::StartsWith(arg, "--cpu_limit_s=")) {
      if (!absl::SimpleAtoi(value, &args->cpu_limit_s)) return false;
    } else if (absl::StartsWith(arg, "--syscall_filter=")) {
      args->syscall_filter = value != "0";
    } else {
      return false;
    }
  }
  return !args->plugin.empty();
}

absl::Status Reply(const absl::Status& status, absl::string_view bytes = "") {
  if (status.ok()) return wire::WriteFrame(wire::kWorkerChannelFd, wire::kOk, "", bytes);
  return wire::WriteFrame(wire::kWorkerChannelFd, static_cast<uint8_t>(status.code()), "",
                          status.message());
}

// The instances the host created, by the host's id.
using Instances = std::map<uint64_t, TorikumiEvaluator*>;

absl::Status Evaluate(const PluginLibrary& library, const Instances& instances,
                      absl::string_view payload) {
  uint64_t id = 0;
  absl::string_view request;
  if (!wire::DecodeId(payload, &id, &request)) return Reply(absl::InternalError("bad frame"));
  auto it = instances.find(id);
  if (it == instances.end()) return Reply(absl::InternalError("unknown instance"));
  TorikumiBuffer out{nullptr, 0};
  absl::Status status = library.Evaluate(it->second, request, &out);
  if (!status.ok()) return Reply(status);
  // Sent straight from the plugin's buffer, then released.
  absl::Status sent =
      Reply(absl::OkStatus(), absl::string_view(reinterpret_cast<const char*>(out.data), out.size));
  if (out.data != nullptr) library.FreeBuffer(out.data);
  return sent;
}

absl::Status Create(const PluginLibrary& library, Instances& instances, absl::string_view payload) {
  uint64_t id = 0;
  absl::string_view body;
  if (!wire::DecodeId(payload, &id, &body)) return Reply(absl::InternalError("bad frame"));
  absl::StatusOr<TorikumiEvaluator*> created = library.Create(body);
  if (!created.ok()) return Reply(created.status());
  if (auto old = instances.find(id); old != instances.end()) library.Destroy(old->second);
  instances[id] = *created;
  return Reply(absl::OkStatus());
}

void Destroy(const PluginLibrary& library, Instances& instances, absl::string_view payload) {
  uint64_t id = 0;
  absl::string_view rest;
  if (!wire::DecodeId(payload, &id, &rest)) return;
  if (auto it = instances.find(id); it != instances.end()) {
    library.Destroy(it->second);
    instances.erase(it);
  }
}

// Answers calls until the host closes the channel; returns the exit code.
int Serve(const PluginLibrary& library, const Args& args) {
  Instances instances;
  wire::Frame frame;
  while (wire::ReadFrame(wire::kWorkerChannelFd, &frame).ok()) {
    if (args.cpu_limit_s > 0) {
      if (absl::Status s = LimitCpuForNextCall(absl::Seconds(args.cpu_limit_s)); !s.ok()) {
        std::fprintf(stderr, "torikumi-evaluator-worker: %s\n", s.ToString().c_str());
      }
    }
    absl::Status sent;
    switch (frame.kind) {
      case wire::kValidate: {
        absl::StatusOr<std::string> bytes = library.Validate(frame.payload);
        sent = bytes.ok() ? Reply(absl::OkStatus(), *bytes) : Reply(bytes.status());
        break;
      }
      case wire::kCreate:
        sent = Create(library, instances, frame.payload);
        break;
      case wire::kDestroy:  // no reply: the host does not wait for it
        Destroy(library, instances, frame.payload);
        break;
      case wire::kEvaluate:
        sent = Evaluate(library, instances, frame.payload);
        break;
      default:
        sent = Reply(absl::InternalError(absl::StrCat("unknown call kind ", frame.kind)));
    }
    if (!sent.ok()) break;
  }
  for (const auto& [id, instance] : instances) library.Destroy(instance);
  return 0;
}

int Run(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, &args)) {
    std::fprintf(stderr,
                 "usage: torikumi-evaluator-worker --plugin=PATH [--memory_limit_mb=N] "
                 "[--cpu_limit_s=N] [--syscall_filter=1|0] (started by torikumi-server)\n");
    return 2;
  }
  absl::Status limited = CloseDescriptorsAbove(wire::kWorkerChannelFd);
  if (limited.ok() && args.memory_limit_mb > 0) limited = LimitMemory(args.memory_limit_mb << 20);
  if (limited.ok() && args.syscall_filter) limited = InstallSyscallFilter();
  if (!limited.ok()) {
    (void)Reply(absl::FailedPreconditionError(
        absl::StrCat("the worker could not limit itself: ", limited.message())));
    return 1;
  }
  absl::StatusOr<std::shared_ptr<PluginLibrary>> library = PluginLibrary::Open(args.plugin);
  if (!library.ok()) {
    (void)Reply(library.status());
    return 1;
  }
  if (!Reply(absl::OkStatus(), (*library)->info().SerializeAsString()).ok()) return 1;
  return Serve(**library, args);
}

}  // namespace
}  // namespace torikumi::evaluators::worker

int main(int argc, char** argv) { return torikumi::evaluators::worker::Run(argc, argv); }
