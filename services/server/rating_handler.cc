#include "services/server/rating_handler.h"

#include "services/common/log.h"
#include "services/domain/compare_ratings.h"
#include "services/server/unary.h"

namespace torikumi::server {
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

absl::StatusOr<v1::ReloadEvaluatorsResponse> ReloadAndRerate(evaluators::EvaluatorHost& host,
                                                             domain::Ratings& ratings,
                                                             domain::RatingJobs& jobs) {
  absl::StatusOr<evaluators::LoadReport> report = host.Reload();
  if (!report.ok()) return report.status();
  v1::ReloadEvaluatorsResponse response;
  for (const v1::EvaluatorInfo& info : report->loaded) *response.add_evaluators() = info;
  AddRefused(report->refused, response.mutable_refused());
  absl::StatusOr<std::vector<std::string>> plans = ratings.PlansWithRuleSet();
  if (!plans.ok()) return plans.status();
  if (!plans->empty())
    response.set_job(jobs.Start("reload", *std::move(plans), domain::kTriggerReload));
  return response;
}

grpc::ServerUnaryReactor* RatingHandler::ListEvaluators(
    grpc::CallbackServerContext* context, const v1::ListEvaluatorsRequest* /*request*/,
    v1::ListEvaluatorsResponse* response) {
  v1::ListEvaluatorsResponse listed;
  for (const v1::EvaluatorInfo& info : host_.List()) *listed.add_evaluators() = info;
  AddRefused(host_.last_report().refused, listed.mutable_refused());
  return FinishUnary(context, "ListEvaluators",
                     absl::StatusOr<v1::ListEvaluatorsResponse>(std::move(listed)), response);
}

grpc::ServerUnaryReactor* RatingHandler::ReloadEvaluators(
    grpc::CallbackServerContext* context, const v1::ReloadEvaluatorsRequest* /*request*/,
    v1::ReloadEvaluatorsResponse* response) {
  return FinishUnary(context, "ReloadEvaluators", ReloadAndRerate(host_, ratings_, jobs_),
                     response);
}

grpc::ServerUnaryReactor* RatingHandler::Evaluate(grpc::CallbackServerContext* context,
                                                  const v1::RatingServiceEvaluateRequest* request,
                                                  v1::RatingServiceEvaluateResponse* response) {
  return FinishUnary(context, "Evaluate", ratings_.Evaluate(*request), response);
}

grpc::ServerUnaryReactor* RatingHandler::ListRatings(grpc::CallbackServerContext* context,
                                                     const v1::ListRatingsRequest* request,
                                                     v1::ListRatingsResponse* response) {
  return FinishUnary(context, "ListRatings", ratings_.List(*request), response);
}

grpc::ServerUnaryReactor* RatingHandler::ExplainRating(grpc::CallbackServerContext* context,
                                                       const v1::ExplainRatingRequest* request,
                                                       v1::ExplainRatingResponse* response) {
  return FinishUnary(context, "ExplainRating", ratings_.Explain(*request), response);
}

grpc::ServerUnaryReactor* RatingHandler::CompareRatings(grpc::CallbackServerContext* context,
                                                        const v1::CompareRatingsRequest* request,
                                                        v1::CompareRatingsResponse* response) {
  return FinishUnary(context, "CompareRatings", domain::CompareRatings(store_, *request), response);
}

grpc::ServerUnaryReactor* RatingHandler::ListJobs(grpc::CallbackServerContext* context,
                                                  const v1::ListJobsRequest* /*request*/,
                                                  v1::ListJobsResponse* response) {
  v1::ListJobsResponse listed;
  for (v1::Job& job : jobs_.List()) *listed.add_jobs() = std::move(job);
  return FinishUnary(context, "ListJobs", absl::StatusOr<v1::ListJobsResponse>(std::move(listed)),
                     response);
}

}  // namespace torikumi::server
