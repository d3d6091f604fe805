#include "services/evaluators/process_plugin.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/log.h"
#include "services/evaluators/time_limit.h"

namespace torikumi::evaluators {
namespace {

// Failures in a row that make a plugin unhealthy, and the waits between restarts.
constexpr int kUnhealthyAfter = 3;
constexpr absl::Duration kFirstBackoff = absl::Milliseconds(50);
constexpr absl::Duration kLongestBackoff = absl::Seconds(5);

// A rule set compiled on the plugin's worker, known there by its id.
class ProcessInstance : public EvaluatorInstance {
 public:
  ProcessInstance(std::shared_ptr<const ProcessPlugin> plugin, uint64_t id, std::string body)
      : plugin_(std::move(plugin)), id_(id), body_(std::move(body)) {}
  ~ProcessInstance() override { plugin_->Forget(id_); }

  absl::Status Evaluate(std::string request, absl::Duration limit,
                        absl::FunctionRef<absl::Status(absl::string_view)> consume) const override {
    wire::Frame reply;
    if (absl::Status s = plugin_->EvaluateOn(id_, body_, request, limit, &reply); !s.ok()) return s;
    return consume(reply.payload);
  }
  const Plugin& plugin() const override { return *plugin_; }
  const std::string& body() const override { return body_; }

 private:
  std::shared_ptr<const ProcessPlugin> plugin_;
  const uint64_t id_;
  const std::string body_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<const ProcessPlugin>> ProcessPlugin::Start(
    WorkerOptions options, const std::string& path, std::string file_key,
    absl::Duration start_limit) {
  v1::EvaluatorInfo info;
  absl::StatusOr<std::unique_ptr<WorkerProcess>> worker =
      WorkerProcess::Start(options, path, absl::Now() + start_limit, &info);
  if (!worker.ok()) return worker.status();
  return std::make_shared<const ProcessPlugin>(std::move(options), path, std::move(file_key),
                                               std::move(info), *std::move(worker));
}

ProcessPlugin::ProcessPlugin(WorkerOptions options, std::string path, std::string file_key,
                             v1::EvaluatorInfo info, std::unique_ptr<WorkerProcess> worker)
    : options_(std::move(options)),
      path_(std::move(path)),
      file_key_(std::move(file_key)),
      info_(std::move(info)),
      worker_(std::move(worker)) {
  MutexLock lock(&mu_);
  worker_pid_ = worker_->pid();
}

PluginHealth ProcessPlugin::health() const {
  MutexLock lock(&mu_);
  return {failures_in_a_row_ < kUnhealthyAfter, last_error_};
}

pid_t ProcessPlugin::worker_pid() const {
  MutexLock lock(&mu_);
  return worker_pid_;
}

void ProcessPlugin::Forget(uint64_t id) const {
  MutexLock lock(&mu_);
  forgotten_.push_back(id);
}

absl::StatusOr<std::string> ProcessPlugin::Validate(std::string request,
                                                    absl::Duration limit) const {
  wire::Frame reply;
  if (absl::Status s = Call("validate", wire::kValidate, 0, request, nullptr, limit, &reply);
      !s.ok())
    return s;
  return std::move(reply.payload);
}

absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> ProcessPlugin::Create(
    std::string body, absl::Duration limit) const {
  const uint64_t id = next_id_++;
  wire::Frame reply;
  if (absl::Status s = Call("create", wire::kCreate, id, body, nullptr, limit, &reply); !s.ok())
    return s;
  return std::make_shared<const ProcessInstance>(
      std::static_pointer_cast<const ProcessPlugin>(shared_from_this()), id, std::move(body));
}

absl::Status ProcessPlugin::EvaluateOn(uint64_t id, const std::string& body,
                                       absl::string_view request, absl::Duration limit,
                                       wire::Frame* reply) const {
  return Call("evaluate", wire::kEvaluate, id, request, &body, limit, reply);
}

absl::Status ProcessPlugin::Call(absl::string_view function, uint8_t kind, uint64_t id,
                                 absl::string_view payload, const std::string* body,
                                 absl::Duration limit, wire::Frame* reply) const {
  // The same plugin call metric as the in-process host's (time_limit.h).
  metrics::ScopedTimer timer = PluginCallTimer(function);
  const absl::Time deadline =
      limit == absl::InfiniteDuration() ? absl::InfiniteFuture() : absl::Now() + limit;
  {
    MutexLock lock(&mu_);
    while (busy_) {
      if (released_.WaitWithDeadline(&mu_, deadline) && busy_) {
        return absl::DeadlineExceededError(
            absl::StrCat(function, "() of evaluator ", Label(), " did not start within ",
                         absl::FormatDuration(limit), ": its worker was busy with other calls"));
      }
    }
    busy_ = true;
  }
  absl::Status status = EnsureWorker(function, deadline);
  if (status.ok()) {
    DestroyForgotten();
    if (body != nullptr && !created_.contains(id)) {
      status = CallOnWorker("create", wire::kCreate, id, *body, deadline, limit, reply);
    }
  }
  if (status.ok()) status = CallOnWorker(function, kind, id, payload, deadline, limit, reply);
  MutexLock lock(&mu_);
  busy_ = false;
  released_.Signal();
  return status;
}

absl::Status ProcessPlugin::EnsureWorker(absl::string_view function, absl::Time deadline) const {
  if (worker_ != nullptr) return absl::OkStatus();
  absl::Time restart_after;
  std::string last_error;
  {
    MutexLock lock(&mu_);
    restart_after = restart_after_;
    last_error = last_error_;
  }
  if (restart_after > deadline) {
    return absl::UnavailableError(
        absl::StrCat(function, "() of evaluator ", Label(),
                     ": its worker is waiting to restart after: ", last_error));
  }
  absl::SleepFor(restart_after - absl::Now());
  v1::EvaluatorInfo info;
  absl::StatusOr<std::unique_ptr<WorkerProcess>> started =
      WorkerProcess::Start(options_, path_, deadline, &info);
  if (!started.ok()) {
    const std::string error = absl::StrCat("evaluator ", Label(),
                                           " could not be restarted: ", started.status().message());
    RecordFailure(error);
    return absl::UnavailableError(error);
  }
  worker_ = *std::move(started);
  created_.clear();
  log::Info("evaluator ", Label(), ": worker process ", worker_->pid(), " started");
  MutexLock lock(&mu_);
  worker_pid_ = worker_->pid();
  return absl::OkStatus();
}

void ProcessPlugin::DestroyForgotten() const {
  std::vector<uint64_t> forgotten;
  {
    MutexLock lock(&mu_);
    forgotten.swap(forgotten_);
  }
  for (uint64_t id : forgotten) {
    if (created_.erase(id) > 0) (void)worker_->Send(wire::kDestroy, wire::EncodeId(id));
  }
}

absl::Status ProcessPlugin::CallOnWorker(absl::string_view function, uint8_t kind, uint64_t id,
                                         absl::string_view payload, absl::Time deadline,
                                         absl::Duration limit, wire::Frame* reply) const {
  const std::string prefix = kind == wire::kValidate ? "" : wire::EncodeId(id);
  absl::Status channel = worker_->Call(kind, prefix, payload, deadline, reply);
  if (!channel.ok()) return WorkerFailed(function, channel, limit);
  // Only an evaluation that came back counts as recovery: compiling a rule set works even
  // on a plugin that crashes every time it evaluates.
  if (kind == wire::kEvaluate) RecordSuccess();
  if (reply->kind != wire::kOk) {
    // The plugin's own failure, with the message the loader made of it.
    const auto code = reply->kind <= 16 ? static_cast<absl::StatusCode>(reply->kind)
                                        : absl::StatusCode::kInternal;
    return absl::Status(code, reply->payload);
  }
  if (kind == wire::kCreate) created_.insert(id);
  return absl::OkStatus();
}

absl::Status ProcessPlugin::WorkerFailed(absl::string_view function, const absl::Status& error,
                                         absl::Duration limit) const {
  const bool late = absl::IsDeadlineExceeded(error);
  const pid_t pid = worker_->pid();
  // A worker past the limit is killed at once; one whose channel broke has ended or is
  // ending, and gets a moment to be reaped with its own cause.
  const std::string ended = worker_->Stop(late ? absl::ZeroDuration() : absl::Seconds(2));
  worker_.reset();
  created_.clear();
  std::string message =
      late
          ? absl::StrCat(function, "() of evaluator ", Label(), " did not finish within ",
                         absl::FormatDuration(limit), "; its worker process (pid ", pid,
                         ") was killed and is restarted for the next call")
          : absl::StrCat(function, "() of evaluator ", Label(), " failed: its worker process (pid ",
                         pid, ") ", ended, "; it is restarted for the next call");
  log::Warning(message);
  RecordFailure(message);
  return late ? absl::DeadlineExceededError(message) : absl::UnavailableError(message);
}

void ProcessPlugin::RecordFailure(const std::string& error) const {
  MutexLock lock(&mu_);
  ++failures_in_a_row_;
  last_error_ = error;
  worker_pid_ = -1;
  const absl::Duration backoff = std::min(
      kFirstBackoff * (int64_t{1} << std::min(failures_in_a_row_ - 1, 16)), kLongestBackoff);
  restart_after_ = absl::Now() + backoff;
}

void ProcessPlugin::RecordSuccess() const {
  MutexLock lock(&mu_);
  failures_in_a_row_ = 0;
}

}  // namespace torikumi::evaluators
