#include "services/server/rating_handler.h"

#include "services/domain/evaluator_reload.h"
#include "services/server/offloaded_unary.h"
#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerUnaryReactor* RatingHandler::ListEvaluators(
    grpc::CallbackServerContext* context, const v1::ListEvaluatorsRequest* /*request*/,
    v1::ListEvaluatorsResponse* response) {
  return FinishUnary(context, "ListEvaluators",
                     absl::StatusOr<v1::ListEvaluatorsResponse>(domain::ListEvaluators(host_)),
                     response);
}

grpc::ServerUnaryReactor* RatingHandler::ReloadEvaluators(
    grpc::CallbackServerContext* context, const v1::ReloadEvaluatorsRequest* /*request*/,
    v1::ReloadEvaluatorsResponse* response) {
  return RunUnaryOffThread(
      context, executor_, "ReloadEvaluators",
      [this](const domain::CancelToken&) {
        return domain::ReloadAndRerate(host_, ratings_, jobs_);
      },
      response);
}

grpc::ServerUnaryReactor* RatingHandler::Evaluate(grpc::CallbackServerContext* context,
                                                  const v1::RatingServiceEvaluateRequest* request,
                                                  v1::RatingServiceEvaluateResponse* response) {
  return RunUnaryOffThread(
      context, executor_, "Evaluate",
      [this, request](const domain::CancelToken& cancel) {
        return ratings_.Evaluate(*request, domain::kTriggerEvaluate, cancel);
      },
      response);
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
  return FinishUnary(context, "CompareRatings", ratings_.Compare(*request), response);
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
