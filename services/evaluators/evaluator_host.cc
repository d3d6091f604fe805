#include "services/evaluators/evaluator_host.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/evaluators/request_wire.h"
#include "services/evaluators/response_check.h"

namespace torikumi::evaluators {
EvaluatorHost::EvaluatorHost(Options options) : options_(std::move(options)) {}

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
  std::map<std::string, std::shared_ptr<const PluginLibrary>, std::less<>> loaded;
  for (const auto& path : paths) {
    absl::StatusOr<std::shared_ptr<PluginLibrary>> library = PluginLibrary::Open(path);
    std::string reason;
    if (!library.ok()) {
      reason = std::string(library.status().message());
    } else if (auto same = loaded.find((*library)->name()); same != loaded.end()) {
      reason = absl::StrCat("evaluator name \"", (*library)->name(), "\" is already taken by ",
                            same->second->path());
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
  std::map<std::string, std::shared_ptr<const PluginLibrary>, std::less<>> old;
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
  for (const auto& [name, library] : current_) out.push_back(library->info());
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
  std::vector<const PluginLibrary*> live;
  for (const auto& weak : ever_loaded_) {
    if (auto library = weak.lock()) live.push_back(library.get());
  }
  std::sort(live.begin(), live.end());
  return static_cast<int>(std::unique(live.begin(), live.end()) - live.begin());
}

std::shared_ptr<const PluginLibrary> EvaluatorHost::Find(absl::string_view evaluator) const {
  MutexLock lock(&mu_);
  auto it = current_.find(evaluator);
  return it == current_.end() ? nullptr : it->second;
}

absl::StatusOr<std::shared_ptr<const PluginLibrary>> EvaluatorHost::FindOrError(
    absl::string_view evaluator) const {
  std::shared_ptr<const PluginLibrary> library = Find(evaluator);
  if (library == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("no evaluator \"", evaluator, "\" is loaded from ", options_.plugins_dir));
  }
  return library;
}

absl::Status EvaluatorHost::ValidateRuleSet(absl::string_view evaluator, absl::string_view body,
                                            const v1::RatingScale& scale,
                                            absl::string_view field_prefix) const {
  absl::StatusOr<std::shared_ptr<const PluginLibrary>> library = FindOrError(evaluator);
  if (!library.ok()) return library.status();
  v1::ValidateRuleSetRequest request;
  request.set_rule_set_body(std::string(body));
  *request.mutable_rating_scale() = scale;
  const std::string label = (*library)->Label();
  absl::StatusOr<std::string> bytes = runner_.Run<std::string>(
      [library = *library, request = request.SerializeAsString()] {
        return library->Validate(request);
      },
      options_.call_limit, absl::StrCat("validate() of evaluator ", label));
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
  absl::StatusOr<std::shared_ptr<const PluginLibrary>> library = FindOrError(evaluator);
  if (!library.ok()) return library.status();
  const std::string label = (*library)->Label();
  // Built on the worker, so an abandoned create() still ends in destroy() when it returns.
  return runner_.Run<std::shared_ptr<const EvaluatorInstance>>(
      [library = *library,
       body = std::string(body)]() -> absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> {
        absl::StatusOr<TorikumiEvaluator*> handle = library->Create(body);
        if (!handle.ok()) return handle.status();
        return std::make_shared<const EvaluatorInstance>(library, *handle, body);
      },
      options_.call_limit, absl::StrCat("create() of evaluator ", label));
}

absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> EvaluatorHost::CompileCached(
    absl::string_view evaluator, absl::string_view key, absl::string_view body) {
  const std::string cache_key = absl::StrCat(evaluator, "\n", key);
  std::shared_ptr<const PluginLibrary> library = Find(evaluator);
  {
    MutexLock lock(&mu_);
    auto it = cache_.find(cache_key);
    if (it != cache_.end() && it->second.body == body &&
        &it->second.instance->library() == library.get()) {
      return it->second.instance;
    }
  }
  absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> compiled = Compile(evaluator, body);
  if (!compiled.ok()) return compiled.status();
  MutexLock lock(&mu_);
  // Cache only what was compiled by a plugin that is still current (a Reload may have
  // happened meanwhile).
  auto current = current_.find(evaluator);
  if (current != current_.end() && current->second.get() == &(*compiled)->library()) {
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
  const std::string label = instance->library().Label();
  absl::StatusOr<PluginBytes> bytes = runner_.Run<PluginBytes>(
      [instance, request = SerializeRequestSkippingUtf8Check(request)] {
        return instance->Evaluate(request);
      },
      limit, absl::StrCat("evaluate() of evaluator ", label));
  if (!bytes.ok()) return bytes.status();
  // Parsed here, on the caller's thread, straight from the plugin's buffer: the messages
  // are then allocated where they will be used and freed.
  if (!response->ParseFromArray(bytes->view().data(), static_cast<int>(bytes->view().size()))) {
    response->Clear();
    return absl::InternalError(absl::StrCat("evaluator ", label,
                                            " returned malformed output: the bytes do not parse as "
                                            "torikumi.v1.EvaluateResponse"));
  }
  if (absl::Status s = CheckEvaluateResponse(request, *response); !s.ok()) {
    response->Clear();
    return absl::InternalError(
        absl::StrCat("evaluator ", label, " returned malformed output: ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace torikumi::evaluators
