// The server's flags for where and how evaluator plugins run (--plugin_isolation and the
// worker's limits), read into the plugin host's options.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/evaluators/evaluator_host.h"

namespace torikumi::server {

// INVALID_ARGUMENT naming the flag when one is wrong.
absl::StatusOr<evaluators::EvaluatorHost::Options> PluginHostOptionsFromFlags(
    std::string plugins_dir, absl::Duration call_limit);

}  // namespace torikumi::server
