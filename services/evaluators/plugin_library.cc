#include "services/evaluators/plugin_library.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/common/log.h"

namespace torikumi::evaluators {
namespace {

absl::Status Refuse(absl::string_view reason) { return absl::FailedPreconditionError(reason); }

bool IsValidEvaluatorName(absl::string_view name) {
  return !name.empty() && name.size() <= 63 && std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_islower(static_cast<unsigned char>(c)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

absl::StatusCode CodeOf(TorikumiCode code) {
  if (code <= 0 || code > 16) return absl::StatusCode::kUnknown;
  return static_cast<absl::StatusCode>(code);
}

}  // namespace

absl::StatusOr<std::shared_ptr<PluginLibrary>> PluginLibrary::Open(const std::string& path) {
  // The library is opened through /proc/self/fd/N of a descriptor held while it is
  // loaded, not by its path: the dynamic loader returns an already loaded library for a
  // path it has seen, even when the file was replaced since, so reloading a rebuilt
  // plugin whose old version is still in use would silently keep the old code. Identical
  // files (same inode) are still shared.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Refuse(absl::StrCat("cannot open the file: ", strerror(errno)));
  const std::string proc_path = absl::StrCat("/proc/self/fd/", fd);
  dlerror();
  void* handle = dlopen(proc_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = dlerror();
    ::close(fd);
    return Refuse(absl::StrCat(
        "dlopen failed: ",
        absl::StrReplaceAll(error == nullptr ? "unknown error" : error, {{proc_path, path}})));
  }
  std::shared_ptr<PluginLibrary> library(new PluginLibrary(path, fd, handle));
  if (absl::Status s = library->Check(); !s.ok()) return s;  // the destructor unloads it
  return library;
}

PluginLibrary::~PluginLibrary() {
  if (handle_ != nullptr) {
    log::Debug("evaluator plugin ", path_, " unloaded");
    dlclose(handle_);
  }
  if (fd_ >= 0) ::close(fd_);
}

std::string PluginLibrary::Label() const {
  return absl::StrCat(info_.name().empty() ? "?" : info_.name(), " ", info_.version(), " (", path_,
                      ")");
}

absl::Status PluginLibrary::Check() {
  dlerror();
  void* symbol = dlsym(handle_, TORIKUMI_EVALUATOR_ENTRY_POINT);
  if (symbol == nullptr) {
    return Refuse(
        absl::StrCat("missing entry point ", TORIKUMI_EVALUATOR_ENTRY_POINT,
                     " (not a torikumi evaluator plugin, or it does not export the symbol)"));
  }
  api_ = reinterpret_cast<TorikumiEvaluatorApiFn>(symbol)();
  if (api_ == nullptr) return Refuse("the entry point returned no function table");
  if (api_->abi_major != kHostAbiMajor) {
    return Refuse(absl::StrCat("wrong ABI ", api_->abi_major, ".", api_->abi_minor,
                               " (this host speaks ", kHostAbiMajor, ".", kHostAbiMinor,
                               "; the major version must match)"));
  }
  if (api_->abi_minor > kHostAbiMinor) {
    return Refuse(absl::StrCat("wrong ABI ", api_->abi_major, ".", api_->abi_minor,
                               " is newer than this host's ", kHostAbiMajor, ".", kHostAbiMinor));
  }
  if (api_->name == nullptr || !IsValidEvaluatorName(api_->name)) {
    return Refuse(absl::StrCat("invalid evaluator name \"", api_->name == nullptr ? "" : api_->name,
                               "\" (use 1-63 of a-z, 0-9, '_' and '-')"));
  }
  if (api_->version == nullptr || api_->version[0] == '\0')
    return Refuse("the plugin states no version");
  const std::pair<const void*, const char*> functions[] = {
      {reinterpret_cast<const void*>(api_->describe), "describe"},
      {reinterpret_cast<const void*>(api_->validate), "validate"},
      {reinterpret_cast<const void*>(api_->create), "create"},
      {reinterpret_cast<const void*>(api_->destroy), "destroy"},
      {reinterpret_cast<const void*>(api_->evaluate), "evaluate"},
      {reinterpret_cast<const void*>(api_->free_buffer), "free_buffer"},
  };
  for (const auto& [function, name] : functions) {
    if (function == nullptr) return Refuse(absl::StrCat("the function table lacks ", name, "()"));
  }
  info_.set_name(api_->name);
  info_.set_version(api_->version);

  TorikumiBuffer buffer{nullptr, 0};
  char* error = nullptr;
  const TorikumiCode code = api_->describe(&buffer, &error);
  absl::StatusOr<std::string> described = TakeBuffer(code, buffer, error, "describe");
  if (!described.ok()) return Refuse(described.status().message());
  v1::EvaluatorInfo info;
  if (!info.ParseFromString(*described)) {
    return Refuse("describe() returned bytes that do not parse as torikumi.v1.EvaluatorInfo");
  }
  // What the function table says wins over what describe() repeats.
  info.set_name(api_->name);
  info.set_version(api_->version);
  info.set_abi_major(static_cast<int32_t>(api_->abi_major));
  info.set_abi_minor(static_cast<int32_t>(api_->abi_minor));
  info.set_path(path_);
  info_ = std::move(info);
  return absl::OkStatus();
}

absl::Status PluginLibrary::TakeError(TorikumiCode code, char* error_message,
                                      absl::string_view function) const {
  std::string message = error_message == nullptr ? "no message" : error_message;
  if (error_message != nullptr) api_->free_buffer(error_message);
  return absl::Status(CodeOf(code),
                      absl::StrCat(function, "() of evaluator ", Label(), " failed: ", message));
}

absl::StatusOr<std::string> PluginLibrary::TakeBuffer(TorikumiCode code, TorikumiBuffer buffer,
                                                      char* error_message,
                                                      absl::string_view function) const {
  if (code != TORIKUMI_CODE_OK) {
    if (buffer.data != nullptr) api_->free_buffer(buffer.data);
    return TakeError(code, error_message, function);
  }
  if (error_message != nullptr) api_->free_buffer(error_message);
  if (buffer.data == nullptr && buffer.size != 0) {
    return absl::InternalError(absl::StrCat(function, "() of evaluator ", Label(), " returned ",
                                            buffer.size, " bytes at a null address"));
  }
  std::string out(reinterpret_cast<const char*>(buffer.data), buffer.size);
  if (buffer.data != nullptr) api_->free_buffer(buffer.data);
  return out;
}

absl::StatusOr<std::string> PluginLibrary::Validate(absl::string_view request) const {
  TorikumiBuffer buffer{nullptr, 0};
  char* error = nullptr;
  const TorikumiCode code = api_->validate(reinterpret_cast<const uint8_t*>(request.data()),
                                           request.size(), &buffer, &error);
  return TakeBuffer(code, buffer, error, "validate");
}

absl::StatusOr<TorikumiEvaluator*> PluginLibrary::Create(absl::string_view body) const {
  TorikumiEvaluator* evaluator = nullptr;
  char* error = nullptr;
  const TorikumiCode code = api_->create(body.data(), body.size(), &evaluator, &error);
  if (code != TORIKUMI_CODE_OK) {
    if (evaluator != nullptr) api_->destroy(evaluator);
    return TakeError(code, error, "create");
  }
  if (error != nullptr) api_->free_buffer(error);
  if (evaluator == nullptr)
    return absl::InternalError(
        absl::StrCat("create() of evaluator ", Label(), " returned no instance"));
  return evaluator;
}

void PluginLibrary::Destroy(TorikumiEvaluator* evaluator) const { api_->destroy(evaluator); }

absl::Status PluginLibrary::Evaluate(const TorikumiEvaluator* evaluator, absl::string_view request,
                                     TorikumiBuffer* out) const {
  TorikumiBuffer buffer{nullptr, 0};
  char* error = nullptr;
  const TorikumiCode code = api_->evaluate(
      evaluator, reinterpret_cast<const uint8_t*>(request.data()), request.size(), &buffer, &error);
  if (code != TORIKUMI_CODE_OK) {
    if (buffer.data != nullptr) api_->free_buffer(buffer.data);
    return TakeError(code, error, "evaluate");
  }
  if (error != nullptr) api_->free_buffer(error);
  if (buffer.data == nullptr && buffer.size != 0) {
    return absl::InternalError(absl::StrCat("evaluate() of evaluator ", Label(), " returned ",
                                            buffer.size, " bytes at a null address"));
  }
  *out = buffer;
  return absl::OkStatus();
}

void PluginLibrary::FreeBuffer(void* data) const { api_->free_buffer(data); }

}  // namespace torikumi::evaluators
