// A loaded evaluator plugin, and a rule set it compiled (its create()), ready for any
// number of evaluations. Two kinds of each: in the server's process (in_process_plugin.h)
// and in a worker process of their own (process_plugin.h); the host uses only these.
//
// Shared ownership is the unload rule: the host's list of evaluators, every compiled
// instance and every call in flight hold the plugin, so a reload never pulls code (or a
// worker process) out from under a running call; it goes when the last holder lets go.
#pragma once

#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::evaluators {

class EvaluatorInstance;

// How a plugin has fared: whether its worker keeps crashing, and the last failure.
struct PluginHealth {
  bool healthy = true;
  std::string last_error;  // empty if none
};

class Plugin : public std::enable_shared_from_this<Plugin> {
 public:
  virtual ~Plugin() = default;

  // name, version, ABI and path as loaded, plus what describe() said.
  virtual const v1::EvaluatorInfo& info() const = 0;
  const std::string& name() const { return info().name(); }
  const std::string& version() const { return info().version(); }
  // "rules 1.0.0 (/path/rules.so)", for messages.
  std::string Label() const;
  // What the file was when loaded: the SHA-256 of its bytes, and its device and inode (see
  // content_hash.h). A reload keeps a plugin whose file still has the same key.
  virtual const std::string& file_key() const = 0;
  virtual PluginHealth health() const { return {}; }

  // validate() with serialized request bytes; the plugin's serialized response.
  virtual absl::StatusOr<std::string> Validate(std::string request, absl::Duration limit) const = 0;
  // create() of `body`.
  virtual absl::StatusOr<std::shared_ptr<const EvaluatorInstance>> Create(
      std::string body, absl::Duration limit) const = 0;
};

class EvaluatorInstance : public std::enable_shared_from_this<EvaluatorInstance> {
 public:
  virtual ~EvaluatorInstance() = default;

  // Serialized EvaluateRequest in; `consume` reads the plugin's serialized EvaluateResponse
  // (unchecked) where it lies, and its status is the call's.
  virtual absl::Status Evaluate(
      std::string request, absl::Duration limit,
      absl::FunctionRef<absl::Status(absl::string_view)> consume) const = 0;

  virtual const Plugin& plugin() const = 0;
  // The version of the plugin that compiled this instance and runs its evaluations: what
  // a rating computed with it was computed by, whatever a reload has loaded since.
  const std::string& evaluator_version() const { return plugin().version(); }
  virtual const std::string& body() const = 0;
};

}  // namespace torikumi::evaluators
