// The floor of an evaluation: the `rules` plugin evaluating a plan's request through the
// evaluator host (serialize, call the plugin under the time limit, parse and check the
// answer), with nothing of the store or gRPC around it.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::bench {

// Initiatives per second: the best of `rounds` evaluations of `request` by the `rules`
// evaluator of `plugins_dir`, with the rule set body the request carries.
absl::StatusOr<double> PluginBoundaryRate(const std::string& plugins_dir,
                                          const v1::EvaluateRequest& request, int rounds);

}  // namespace torikumi::bench
