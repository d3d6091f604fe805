// A plugin loaded into the server's own process (--plugin_isolation=none): calls are
// direct, on a pooled thread under the time limit (time_limit.h). A plugin that crashes
// takes the server down with it; one that hangs keeps its thread.
#pragma once

#include <memory>
#include <string>

#include "services/evaluators/evaluator_instance.h"
#include "services/evaluators/plugin_library.h"
#include "services/evaluators/time_limit.h"

namespace torikumi::evaluators {

class InProcessPlugin : public Plugin {
 public:
  // Loads `path` (PluginLibrary::Open); calls run on `runner`.
  static absl::StatusOr<std::shared_ptr<const InProcessPlugin>> Open(
      const std::string& path, std::string file_key, std::shared_ptr<TimedCallRunner> runner);

  InProcessPlugin(std::shared_ptr<const PluginLibrary> library, std::string file_key,
                  std::shared_ptr<TimedCallRunner> runner)
      : library_(std::move(library)), file_key_(std::move(file_key)), runner_(std::move(runner)) {}

  const v1::EvaluatorInfo& info() const override { return library_->info(); }
  const std::string& file_key() const override { return file_key_; }
  absl::StatusOr<std::string> Validate(std::string request, absl::Duration limit) const override;
  absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> Create(
      std::string body, absl::Duration limit) const override;

  const std::shared_ptr<const PluginLibrary>& library() const { return library_; }
  TimedCallRunner& runner() const { return *runner_; }

 private:
  std::shared_ptr<const PluginLibrary> library_;
  std::string file_key_;
  std::shared_ptr<TimedCallRunner> runner_;
};

}  // namespace torikumi::evaluators
