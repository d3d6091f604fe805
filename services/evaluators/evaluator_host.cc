#include "services/evaluators/evaluator_host.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/evaluators/content_hash.h"
#include "services/evaluators/in_process_plugin.h"
#include "services/evaluators/process_plugin.h"
#include "services/evaluators/request_wire.h"
#include "services/evaluators/response_check.h"

namespace torikumi::evaluators {

absl::StatusOr<Isolation> ParseIsolation(absl::string_view text) {
  if (text == "process") return Isolation::kProcess;
  if (text == "none") return Isolation::kInProcess;
  return absl::InvalidArgumentError(
      absl::StrCat("plugin isolation \"", text, "\" is neither \"process\" nor \"none\""));
}

absl::string_view IsolationName(Isolation isolation) {
  return isolation == Isolation::kProcess ? "process" : "none";
}

std::string DefaultWorkerPath() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (self.parent_path() / "torikumi-evaluator-worker").string();
}

namespace {

EvaluatorHost::Options WithWorkerPath(EvaluatorHost::Options options) {
  if (options.worker.worker_path.empty()) options.worker.worker_path = DefaultWorkerPath();
  return options;
}

}  // namespace

EvaluatorHost::EvaluatorHost(Options options) : options_(WithWorkerPath(std::move(options))) {}

absl::StatusOr<std::shared_ptr<const Plugin>> EvaluatorHost::Load(
    const std::string& path, const std::string& file_key) const {
  {
    MutexLock lock(&mu_);
    for (const auto& [name, plugin] : current_) {
      if (plugin->info().path() == path && plugin->file_key() == file_key) return plugin;
    }
  }
  if (options_.isolation == Isolation::kProcess) {
    absl::StatusOr<std::shared_ptr<const ProcessPlugin>> started =
        ProcessPlugin::Start(options_.worker, path, file_key, options_.call_limit);
    if (!started.ok()) return started.status();
    return std::shared_ptr<const Plugin>(*std::move(started));
  }
  absl::StatusOr<std::shared_ptr<const InProcessPlugin>> opened =
      InProcessPlugin::Open(path, file_key, runner_);
  if (!opened.ok()) return opened.status();
  return std::shared_ptr<const Plugin>(*std::move(opened));
}

absl::StatusOr<LoadReport> EvaluatorHost::Reload() {
  MutexLock reloading(&reload_mu_);
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator dir(options_.plugins_dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(absl::StrCat("cannot read the plugins directory \"",
                                                      options_.plugins_dir, "\": ", ec.message()));
  }
  std::vector<std::string> paths;
  for (const auto& entry : dir) {
    std::error_code file_ec;
    if (entry.path().extension() == ".so" && entry.is_regular_file(file_ec))
      paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());

  LoadReport report;
  std::map<std::string, std::shared_ptr<const Plugin>, std::less<>> loaded;
  for (const auto& path : paths) {
    // Files are told apart by content (content_hash.h): an unchanged file keeps its plugin
    // (and worker), a changed one is loaded anew even if it got the inode of the one it
    // replaced.
    absl::StatusOr<std::string> key = PluginFileKey(path);
    absl::StatusOr<std::shared_ptr<const Plugin>> library =
        key.ok() ? Load(path, *key) : key.status();
    std::string reason;
    if (!library.ok()) {
      reason = std::string(library.status().message());
    } else if (auto same = loaded.find((*library)->name()); same != loaded.end()) {
      reason = absl::StrCat("evaluator name \"", (*library)->name(), "\" is already taken by ",
                            same->second->info().path());
    }
    if (!reason.empty()) {
      log::Warning("evaluator plugin ", path, " refused: ", reason);
      report.refused.push_back({path, std::move(reason)});
      continue;
    }
    const v1::EvaluatorInfo& info = (*library)->info();
    log::Info("evaluator plugin ", path, " loaded: ", info.name(), " ", info.version(), " (ABI ",
              info.abi_major(), ".", info.abi_minor(), ")");
    report.loaded.push_back(info);
    loaded.emplace((*library)->name(), *std::move(library));
  }
  std::sort(
      report.loaded.begin(), report.loaded.end(),
      [](const v1::EvaluatorInfo& a, const v1::EvaluatorInfo& b) { return a.name() < b.name(); });
  log::Info("evaluator plugins in ", options_.plugins_dir, ": ", report.loaded.size(), " loaded, ",
            report.refused.size(), " refused");

  // Swapped in one step; the old set is released after the lock, so unloading (dlclose
  // of libraries nothing else holds) never blocks lookups.
  std::map<std::string, std::shared_ptr<const Plugin>, std::less<>> old;
  std::map<std::string, CacheEntry, std::less<>> old_cache;
  {
    MutexLock lock(&mu_);
    old.swap(current_);
    old_cache.swap(cache_);
    current_ = loaded;
    report_ = report;
    ever_loaded_.erase(std::remove_if(ever_loaded_.begin(), ever_loaded_.end(),
                                      [](const auto& weak) { return weak.expired(); }),
                       ever_loaded_.end());
    for (const auto& [name, library] : loaded) ever_loaded_.push_back(library);
  }
  return report;
}

std::vector<v1::EvaluatorInfo> EvaluatorHost::List() const {
  MutexLock lock(&mu_);
  std::vector<v1::EvaluatorInfo> out;
  for (const auto& [name, plugin] : current_) {
    v1::EvaluatorInfo info = plugin->info();
    const PluginHealth health = plugin->health();
    info.set_unhealthy(!health.healthy);
    info.set_last_error(health.last_error);
    out.push_back(std::move(info));
  }
  return out;
}

LoadReport EvaluatorHost::last_report() const {
  MutexLock lock(&mu_);
  return report_;
}

int EvaluatorHost::loaded_libraries() const {
  MutexLock lock(&mu_);
  // The same file loaded twice is one library (the loader shares it), so count distinct
  // live objects by address.
  std::vector<const Plugin*> live;
  for (const auto& weak : ever_loaded_) {
    if (auto library = weak.lock()) live.push_back(library.get());
  }
  std::sort(live.begin(), live.end());
  return static_cast<int>(std::unique(live.begin(), live.end()) - live.begin());
}

std::shared_ptr<const Plugin> EvaluatorHost::Find(absl::string_view evaluator) const {
  MutexLock lock(&mu_);
  auto it = current_.find(evaluator);
  return it == current_.end() ? nullptr : it->second;
}

absl::StatusOr<std::shared_ptr<const Plugin>> EvaluatorHost::FindOrError(
    absl::string_view evaluator) const {
  std::shared_ptr<const Plugin> library = Find(evaluator);
  if (library == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("no evaluator \"", evaluator, "\" is loaded from ", options_.plugins_dir));
  }
  return library;
}

absl::Status EvaluatorHost::ValidateRuleSet(absl::string_view evaluator, absl::string_view body,
                                            const v1::RatingScale& scale,
                                            absl::string_view field_prefix) const {
  absl::StatusOr<std::shared_ptr<const Plugin>> library = FindOrError(evaluator);
  if (!library.ok()) return library.status();
  v1::ValidateRuleSetRequest request;
  request.set_rule_set_body(std::string(body));
  *request.mutable_rating_scale() = scale;
  const std::string label = (*library)->Label();
  absl::StatusOr<std::string> bytes =
      (*library)->Validate(request.SerializeAsString(), options_.call_limit);
  if (!bytes.ok()) return bytes.status();
  v1::ValidateRuleSetResponse response;
  if (!response.ParseFromString(*bytes)) {
    return absl::InternalError(
        absl::StrCat("evaluator ", label,
                     " returned malformed output: validate() bytes do not parse as "
                     "torikumi.v1.ValidateRuleSetResponse"));
  }
  FieldViolations violations;
  for (const auto& v : response.violations()) {
    violations.Add(v.field().empty() ? std::string(absl::StripSuffix(field_prefix, "."))
                                     : absl::StrCat(field_prefix, v.field()),
                   v.description());
  }
  return violations.ToStatus();
}

absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> EvaluatorHost::Compile(
    absl::string_view evaluator, absl::string_view body) const {
  absl::StatusOr<std::shared_ptr<const Plugin>> library = FindOrError(evaluator);
  if (!library.ok()) return library.status();
  return (*library)->Create(std::string(body), options_.call_limit);
}

absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> EvaluatorHost::CompileCached(
    absl::string_view evaluator, absl::string_view key, absl::string_view body) {
  const std::string cache_key = absl::StrCat(evaluator, "\n", key);
  std::shared_ptr<const Plugin> library = Find(evaluator);
  {
    MutexLock lock(&mu_);
    auto it = cache_.find(cache_key);
    if (it != cache_.end() && it->second.body == body &&
        &it->second.instance->plugin() == library.get()) {
      return it->second.instance;
    }
  }
  absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> compiled = Compile(evaluator, body);
  if (!compiled.ok()) return compiled.status();
  MutexLock lock(&mu_);
  // Cache only what was compiled by a plugin that is still current (a Reload may have
  // happened meanwhile).
  auto current = current_.find(evaluator);
  if (current != current_.end() && current->second.get() == &(*compiled)->plugin()) {
    cache_[cache_key] = CacheEntry{std::string(body), *compiled};
  }
  return compiled;
}

absl::StatusOr<v1::EvaluateResponse> EvaluatorHost::Evaluate(
    std::shared_ptr<const EvaluatorInstance> instance, const v1::EvaluateRequest& request) const {
  return Evaluate(std::move(instance), request, options_.call_limit);
}

absl::StatusOr<v1::EvaluateResponse> EvaluatorHost::Evaluate(
    std::shared_ptr<const EvaluatorInstance> instance, const v1::EvaluateRequest& request,
    absl::Duration limit) const {
  v1::EvaluateResponse response;
  if (absl::Status s = Evaluate(std::move(instance), request, limit, &response); !s.ok()) return s;
  return response;
}

absl::Status EvaluatorHost::Evaluate(std::shared_ptr<const EvaluatorInstance> instance,
                                     const v1::EvaluateRequest& request, absl::Duration limit,
                                     v1::EvaluateResponse* response) const {
  response->Clear();
  if (instance == nullptr)
    return absl::InvalidArgumentError("no compiled rule set to evaluate with");
  if (absl::Status s = CheckEvaluateRequest(request); !s.ok()) return s;
  const std::string label = instance->plugin().Label();
  // Parsed here, on the caller's thread, straight from the bytes where the plugin (or the
  // channel) left them: the messages are then allocated where they will be used and freed.
  absl::Status evaluated = instance->Evaluate(
      SerializeRequestSkippingUtf8Check(request), limit, [&](absl::string_view bytes) {
        if (response->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
          return absl::OkStatus();
        return absl::InternalError(absl::StrCat(
            "evaluator ", label,
            " returned malformed output: the bytes do not parse as torikumi.v1.EvaluateResponse"));
      });
  if (!evaluated.ok()) {
    response->Clear();
    return evaluated;
  }
  if (absl::Status s = CheckEvaluateResponse(request, *response); !s.ok()) {
    response->Clear();
    return absl::InternalError(
        absl::StrCat("evaluator ", label, " returned malformed output: ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace torikumi::evaluators
