// One evaluator plugin file, loaded with dlopen and checked against the ABI of
// plugins/sdk/torikumi_evaluator.h.
//
// Shared ownership is the unload rule: the host's list of evaluators, every compiled
// instance and every call in flight hold a shared_ptr; the library is dlclose()d when
// the last of them lets go, so a reload never pulls code out from under a running call.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "torikumi/v1/evaluation.pb.h"
#include "torikumi_evaluator.h"

namespace torikumi::evaluators {

// The ABI this host speaks.
inline constexpr uint32_t kHostAbiMajor = TORIKUMI_EVALUATOR_ABI_MAJOR;
inline constexpr uint32_t kHostAbiMinor = TORIKUMI_EVALUATOR_ABI_MINOR;

class PluginLibrary {
 public:
  // Loads `path` and checks it: dlopen, the entry point, the ABI version, the function
  // table, and describe(). Any failure is an error whose message is the reason to refuse
  // the file (FAILED_PRECONDITION), e.g. "wrong ABI 2.0 (this host speaks 1.0)".
  static absl::StatusOr<std::shared_ptr<PluginLibrary>> Open(const std::string& path);

  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;
  ~PluginLibrary();

  const std::string& path() const { return path_; }
  const std::string& name() const { return info_.name(); }
  const std::string& version() const { return info_.version(); }
  // name, version, ABI and path as loaded, plus what describe() said.
  const v1::EvaluatorInfo& info() const { return info_; }
  // "rules 1.0.0 (/path/rules.so)", for messages.
  std::string Label() const;

  // The calls of the function table. Bytes the plugin returns are copied and released
  // with its free_buffer; its error code and message become the status.
  absl::StatusOr<std::string> Validate(absl::string_view request) const;
  absl::StatusOr<TorikumiEvaluator*> Create(absl::string_view body) const;
  void Destroy(TorikumiEvaluator* evaluator) const;
  // Runs evaluate(); on success *out holds the plugin's bytes, to be released with
  // FreeBuffer (see PluginBytes).
  absl::Status Evaluate(const TorikumiEvaluator* evaluator, absl::string_view request,
                        TorikumiBuffer* out) const;
  void FreeBuffer(void* data) const;

 private:
  PluginLibrary(std::string path, int fd, void* handle)
      : path_(std::move(path)), fd_(fd), handle_(handle) {}

  absl::Status Check();
  absl::StatusOr<std::string> TakeBuffer(TorikumiCode code, TorikumiBuffer buffer,
                                         char* error_message, absl::string_view function) const;
  absl::Status TakeError(TorikumiCode code, char* error_message, absl::string_view function) const;

  std::string path_;
  int fd_ = -1;
  void* handle_ = nullptr;
  const TorikumiEvaluatorApi* api_ = nullptr;
  v1::EvaluatorInfo info_;
};

// Bytes a plugin returned, read in place and released with the plugin's free_buffer when
// dropped. Holds the library, so it outlives a reload.
class PluginBytes {
 public:
  PluginBytes(std::shared_ptr<const PluginLibrary> library, TorikumiBuffer buffer)
      : library_(std::move(library)), buffer_(buffer) {}
  PluginBytes(PluginBytes&& other) noexcept
      : library_(std::move(other.library_)), buffer_(other.buffer_) {
    other.buffer_ = {nullptr, 0};
  }
  PluginBytes& operator=(PluginBytes&& other) noexcept {
    if (this != &other) {
      Release();
      library_ = std::move(other.library_);
      buffer_ = other.buffer_;
      other.buffer_ = {nullptr, 0};
    }
    return *this;
  }
  PluginBytes(const PluginBytes&) = delete;
  PluginBytes& operator=(const PluginBytes&) = delete;
  ~PluginBytes() { Release(); }

  absl::string_view view() const {
    return absl::string_view(reinterpret_cast<const char*>(buffer_.data), buffer_.size);
  }

 private:
  void Release() {
    if (buffer_.data != nullptr) library_->FreeBuffer(buffer_.data);
    buffer_ = {nullptr, 0};
  }

  std::shared_ptr<const PluginLibrary> library_;
  TorikumiBuffer buffer_;
};

}  // namespace torikumi::evaluators
