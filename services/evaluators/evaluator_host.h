// The evaluator plugin host: the evaluators found in a plugins directory, and the way
// to run them. Knows nothing of storage or gRPC; the server wraps it.
//
//   EvaluatorHost host({.plugins_dir = "/usr/lib/torikumi/plugins"});
//   host.Reload();                                   // at start, on request, on SIGHUP
//   auto rules = host.CompileCached("rules", "ruleSets/abc-implementation@1", body);
//   auto response = host.Evaluate(*rules, request);  // DEADLINE_EXCEEDED past the limit
//
// Each plugin runs in a worker process of its own (Isolation::kProcess, process_plugin.h):
// a plugin that crashes, hangs or runs out of memory fails only its calls in flight.
// With Isolation::kInProcess (in_process_plugin.h) plugins run in this process: a crash
// takes the process down, and only a plugin that hangs, fails or returns garbage is
// contained, as an error of that call.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/mutex.h"
#include "services/evaluators/evaluator_instance.h"
#include "services/evaluators/time_limit.h"
#include "services/evaluators/worker_process.h"
#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::evaluators {

// A file of the plugins directory that was not loaded, and why.
struct RefusedPlugin {
  std::string path;
  std::string reason;
};

// What one (re)load of the directory found.
struct LoadReport {
  std::vector<v1::EvaluatorInfo> loaded;  // sorted by name
  std::vector<RefusedPlugin> refused;     // sorted by path
};

// Where plugins run.
enum class Isolation {
  kInProcess,  // in this process (--plugin_isolation=none)
  kProcess,    // each in a worker process of its own (--plugin_isolation=process)
};

// "process" or "none", and back.
absl::StatusOr<Isolation> ParseIsolation(absl::string_view text);
absl::string_view IsolationName(Isolation isolation);

// The torikumi-evaluator-worker beside the running executable.
std::string DefaultWorkerPath();

class EvaluatorHost {
 public:
  struct Options {
    std::string plugins_dir;
    // Longest a plugin call (create, validate, evaluate) may take.
    absl::Duration call_limit = absl::Seconds(10);
    // The server's flag defaults to kProcess; a host made in code, e.g. by tests of other
    // parts, runs plugins in process unless it asks.
    Isolation isolation = Isolation::kInProcess;
    // For kProcess; an empty worker_path means DefaultWorkerPath().
    WorkerOptions worker = {};
  };

  explicit EvaluatorHost(Options options);
  EvaluatorHost(const EvaluatorHost&) = delete;
  EvaluatorHost& operator=(const EvaluatorHost&) = delete;

  // Loads every *.so of the plugins directory and then replaces the current evaluators
  // with them in one step; logs one line per file (loaded, or refused and why). Calls in
  // flight and compiled instances keep the plugin they started with. Forgets compiled
  // instances cached by CompileCached. Fails, keeping the current evaluators, only if
  // the directory cannot be read.
  absl::StatusOr<LoadReport> Reload();

  // The current evaluators, sorted by name, with their health (unhealthy, last_error);
  // and what the last Reload found.
  std::vector<v1::EvaluatorInfo> List() const;
  LoadReport last_report() const;

  // OK, or INVALID_ARGUMENT with one field violation per mistake, each naming the rule
  // (field = field_prefix + the path inside the body); NOT_FOUND for an unknown evaluator.
  absl::Status ValidateRuleSet(absl::string_view evaluator, absl::string_view body,
                               const v1::RatingScale& scale,
                               absl::string_view field_prefix = "") const;

  // Compiles a rule set with the named evaluator (its create()).
  absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> Compile(absl::string_view evaluator,
                                                                   absl::string_view body) const;
  // The same, compiled once per `key` (e.g. a rule-set name and version) until the next
  // Reload; a key seen again with another body is compiled again.
  absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> CompileCached(
      absl::string_view evaluator, absl::string_view key, absl::string_view body);

  // Evaluates a batch through the plugin boundary within the call limit (or `limit`;
  // InfiniteDuration runs on the calling thread). Errors: INVALID_ARGUMENT for a bad
  // request, DEADLINE_EXCEEDED past the limit, the plugin's own code for its failures,
  // INTERNAL for output that does not parse or does not answer every subject.
  absl::StatusOr<v1::EvaluateResponse> Evaluate(std::shared_ptr<const EvaluatorInstance> instance,
                                                const v1::EvaluateRequest& request) const;
  absl::StatusOr<v1::EvaluateResponse> Evaluate(std::shared_ptr<const EvaluatorInstance> instance,
                                                const v1::EvaluateRequest& request,
                                                absl::Duration limit) const;
  // The same into *response (cleared first), which may live on the caller's arena: for
  // large batches most of the cost of a result is allocating its strings.
  absl::Status Evaluate(std::shared_ptr<const EvaluatorInstance> instance,
                        const v1::EvaluateRequest& request, absl::Duration limit,
                        v1::EvaluateResponse* response) const;

  // In-process calls past their limit that are still running (see time_limit.h); a
  // worker process past its limit is killed instead, so with kProcess this stays 0.
  int abandoned_calls() const { return runner_->abandoned(); }
  bool WaitForAbandonedCalls(absl::Duration timeout) const {
    return runner_->WaitForNoAbandoned(timeout);
  }
  // Plugins loaded now (libraries, or worker plugins): the current ones and old ones
  // still held by an instance or a call.
  int loaded_libraries() const;
  // The current plugin named `evaluator`, or null.
  std::shared_ptr<const Plugin> Find(absl::string_view evaluator) const;
  Isolation isolation() const { return options_.isolation; }
  absl::Duration call_limit() const { return options_.call_limit; }

 private:
  absl::StatusOr<std::shared_ptr<const Plugin>> FindOrError(absl::string_view evaluator) const;
  // The plugin of `path` whose file has `file_key` (content_hash.h): the current one if
  // its file is unchanged, else a newly loaded one.
  absl::StatusOr<std::shared_ptr<const Plugin>> Load(const std::string& path,
                                                     const std::string& file_key) const;

  const Options options_;
  // Thread-safe; shared with the in-process plugins, which run their calls on it.
  std::shared_ptr<TimedCallRunner> runner_ = std::make_shared<TimedCallRunner>();

  // Serialises reloads; lookups and calls go on meanwhile (they take only mu_).
  Mutex reload_mu_;
  mutable Mutex mu_;
  std::map<std::string, std::shared_ptr<const Plugin>, std::less<>> current_ ABSL_GUARDED_BY(mu_);
  LoadReport report_ ABSL_GUARDED_BY(mu_);
  std::vector<std::weak_ptr<const Plugin>> ever_loaded_ ABSL_GUARDED_BY(mu_);
  struct CacheEntry {
    std::string body;
    std::shared_ptr<const EvaluatorInstance> instance;
  };
  std::map<std::string, CacheEntry, std::less<>> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace torikumi::evaluators
