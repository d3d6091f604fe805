// Helpers for the plugin and evaluator-host tests (tests/plugins, tests/evaluators):
// temporary plugin directories and hand-built requests.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::plugin_test {

// The built-in plugins as this build made them.
inline std::string BuiltPlugin(const std::string& name) {
  return std::string(TORIKUMI_BUILT_PLUGINS_DIR) + "/" + name + ".so";
}
inline std::string RuleSetPath(const std::string& name) {
  return std::string(TORIKUMI_RULESETS_DIR) + "/" + name + ".textproto";
}

std::string ReadFile(const std::string& path);

// A tiny rule set for the real `rules` plugin: A when any outcome exists, else C.
inline constexpr char kSmallRuleSet[] = R"pb(
  rules {
    id: "has-outcome"
    grade: "A"
    when { fact { name: "outcomes" at_least: 1 } }
  }
  rules { id: "default" grade: "C" }
)pb";

// A fresh directory, removed with everything in it at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Copies `file` into the directory as `name`; returns the new path.
  std::string Add(const std::string& file, const std::string& name) const;
  // Replaces `name` with a copy of `file` by rename, as an installer does (new inode).
  std::string Replace(const std::string& file, const std::string& name) const;

 private:
  std::string path_;
};

// The seed's scale: A 実施できた, B 概ね実施できた（一部実施できなかった）, C 実施できなかった.
v1::RatingScale AbcScale();

// A subject named "organizations/o/plans/p/initiatives/<id>" with a schedule
// ("implement" from `implement_from` to 2022, "consider" before) and no outcomes.
v1::EvaluationSubject Subject(const std::string& id, int implement_from = 2018);
v1::Outcome* AddOutcome(v1::EvaluationSubject* subject, int fiscal_year, const std::string& text);
v1::Metric* AddMetric(v1::Outcome* outcome, const std::string& label, double value);

// The value of the fact `name` an evaluation reports, or "(absent)".
std::string FactOf(const v1::InitiativeEvaluation& evaluation, const std::string& name);

// A request for the plan period 2018–2022 with the ABC scale.
v1::EvaluateRequest Request(const std::vector<v1::EvaluationSubject>& subjects);

}  // namespace torikumi::plugin_test
