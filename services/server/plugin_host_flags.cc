#include "services/server/plugin_host_flags.h"

#include <cstdint>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, plugin_isolation, "process",
          "where evaluator plugins run: \"process\" (each in a worker process of its own, so a "
          "plugin that crashes, hangs or eats memory fails only its calls) or \"none\" (in the "
          "server's process: a little faster, but a crashing plugin takes the server down)");
ABSL_FLAG(std::string, plugin_worker, "",
          "the torikumi-evaluator-worker executable for --plugin_isolation=process; default: "
          "the one beside torikumi-server");
ABSL_FLAG(int64_t, plugin_memory_limit_mb, 1024,
          "address space a plugin worker process may use, in MiB (0: no limit); past it the "
          "call fails with UNAVAILABLE naming the memory limit");
ABSL_FLAG(int64_t, plugin_cpu_limit_s, 60,
          "CPU seconds one plugin call may use in a worker process (0: no limit); a backstop "
          "behind --plugin_call_limit, which kills the worker at the wall-clock limit");
ABSL_FLAG(bool, plugin_syscall_filter, true,
          "a seccomp filter in plugin worker processes that denies sockets, writing files and "
          "starting programs");

namespace torikumi::server {

absl::StatusOr<evaluators::EvaluatorHost::Options> PluginHostOptionsFromFlags(
    std::string plugins_dir, absl::Duration call_limit) {
  absl::StatusOr<evaluators::Isolation> isolation =
      evaluators::ParseIsolation(absl::GetFlag(FLAGS_plugin_isolation));
  if (!isolation.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--plugin_isolation: ", isolation.status().message()));
  }
  const int64_t memory = absl::GetFlag(FLAGS_plugin_memory_limit_mb);
  const int64_t cpu = absl::GetFlag(FLAGS_plugin_cpu_limit_s);
  if (memory < 0) return absl::InvalidArgumentError("--plugin_memory_limit_mb must be 0 or more");
  if (cpu < 0) return absl::InvalidArgumentError("--plugin_cpu_limit_s must be 0 or more");
  evaluators::EvaluatorHost::Options options{
      .plugins_dir = std::move(plugins_dir), .call_limit = call_limit, .isolation = *isolation};
  options.worker.worker_path = absl::GetFlag(FLAGS_plugin_worker);
  options.worker.memory_limit_mb = static_cast<uint64_t>(memory);
  options.worker.cpu_limit_s = cpu;
  options.worker.syscall_filter = absl::GetFlag(FLAGS_plugin_syscall_filter);
  return options;
}

}  // namespace torikumi::server
