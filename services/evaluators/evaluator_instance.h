// A rule set compiled by a plugin (its create()), ready for any number of evaluations.
// Holds its plugin library, so an instance in use keeps even a reloaded-away plugin
// loaded; destroy() runs when the last holder (a cache entry or a call) lets go.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/evaluators/plugin_library.h"

namespace torikumi::evaluators {

class EvaluatorInstance {
 public:
  EvaluatorInstance(std::shared_ptr<const PluginLibrary> library, TorikumiEvaluator* handle,
                    std::string body)
      : library_(std::move(library)), handle_(handle), body_(std::move(body)) {}
  EvaluatorInstance(const EvaluatorInstance&) = delete;
  EvaluatorInstance& operator=(const EvaluatorInstance&) = delete;
  ~EvaluatorInstance() { library_->Destroy(handle_); }

  // Serialized EvaluateRequest in, the plugin's serialized EvaluateResponse out (unchecked).
  absl::StatusOr<PluginBytes> Evaluate(absl::string_view request) const {
    TorikumiBuffer buffer{nullptr, 0};
    if (absl::Status s = library_->Evaluate(handle_, request, &buffer); !s.ok()) return s;
    return PluginBytes(library_, buffer);
  }

  const PluginLibrary& library() const { return *library_; }
  // The version of the plugin that compiled this instance and runs its evaluations: what
  // a rating computed with it was computed by, whatever a reload has loaded since.
  const std::string& evaluator_version() const { return library_->version(); }
  const std::string& body() const { return body_; }

 private:
  std::shared_ptr<const PluginLibrary> library_;
  TorikumiEvaluator* handle_;
  std::string body_;
};

}  // namespace torikumi::evaluators
