#include "services/domain/evaluator_reload.h"

#include <string>
#include <utility>
#include <vector>

namespace torikumi::domain {
namespace {

void AddRefused(const std::vector<evaluators::RefusedPlugin>& refused,
                google::protobuf::RepeatedPtrField<v1::RefusedPluginInfo>* out) {
  for (const evaluators::RefusedPlugin& plugin : refused) {
    v1::RefusedPluginInfo* info = out->Add();
    info->set_path(plugin.path);
    info->set_reason(plugin.reason);
  }
}

}  // namespace

v1::ListEvaluatorsResponse ListEvaluators(const evaluators::EvaluatorHost& host) {
  v1::ListEvaluatorsResponse listed;
  for (const v1::EvaluatorInfo& info : host.List()) *listed.add_evaluators() = info;
  AddRefused(host.last_report().refused, listed.mutable_refused());
  return listed;
}

absl::StatusOr<v1::ReloadEvaluatorsResponse> ReloadAndRerate(evaluators::EvaluatorHost& host,
                                                             Ratings& ratings, RatingJobs& jobs) {
  absl::StatusOr<evaluators::LoadReport> report = host.Reload();
  if (!report.ok()) return report.status();
  v1::ReloadEvaluatorsResponse response;
  for (const v1::EvaluatorInfo& info : report->loaded) *response.add_evaluators() = info;
  AddRefused(report->refused, response.mutable_refused());
  absl::StatusOr<std::vector<std::string>> plans = ratings.PlansWithRuleSet();
  if (!plans.ok()) return plans.status();
  if (!plans->empty()) {
    absl::StatusOr<std::string> job = jobs.Start("reload", *std::move(plans), kTriggerReload);
    if (!job.ok()) return job.status();
    response.set_job(*std::move(job));
  }
  return response;
}

}  // namespace torikumi::domain
