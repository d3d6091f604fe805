#include "bench/load/plugin_floor.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "services/evaluators/evaluator_host.h"

namespace torikumi::bench {

absl::StatusOr<double> PluginBoundaryRate(const std::string& plugins_dir,
                                          const v1::EvaluateRequest& request, int rounds) {
  evaluators::EvaluatorHost host({.plugins_dir = plugins_dir});
  if (auto report = host.Reload(); !report.ok()) return report.status();
  auto instance = host.Compile("rules", request.rule_set_body());
  if (!instance.ok()) return instance.status();
  absl::Duration best = absl::InfiniteDuration();
  for (int round = 0; round < rounds; ++round) {
    const absl::Time start = absl::Now();
    // The boundary as the server crosses it (worker thread, time limit), with a limit that a
    // slow shared machine does not reach.
    absl::StatusOr<v1::EvaluateResponse> response =
        host.Evaluate(*instance, request, absl::Minutes(10));
    if (!response.ok()) return response.status();
    best = std::min(best, absl::Now() - start);
  }
  return request.subjects_size() / absl::ToDoubleSeconds(best);
}

}  // namespace torikumi::bench
