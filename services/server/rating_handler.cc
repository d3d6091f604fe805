#include "services/server/rating_handler.h"

#include "services/domain/evaluator_reload.h"
#include "services/server/offloaded_unary.h"
#include "services/server/unary.h"

namespace torikumi::server {

grpc::ServerUnaryReactor* RatingHandler::ListEvaluators(grpc::CallbackServerContext* context,
                                                        const v1::ListEvaluatorsRequest* request,
                                                        v1::ListEvaluatorsResponse* response) {
  return ServeUnary(gate_, context, "ListEvaluators", *request, response,
                    [&] { return domain::ListEvaluators(host_); });
}

grpc::ServerUnaryReactor* RatingHandler::ReloadEvaluators(
    grpc::CallbackServerContext* context, const v1::ReloadEvaluatorsRequest* request,
    v1::ReloadEvaluatorsResponse* response) {
  return ServeUnaryOffThread(gate_, context, executor_, "ReloadEvaluators", *request, response,
                             [this](const domain::CancelToken&) {
                               return domain::ReloadAndRerate(host_, ratings_, jobs_);
                             });
}

grpc::ServerUnaryReactor* RatingHandler::Evaluate(grpc::CallbackServerContext* context,
                                                  const v1::RatingServiceEvaluateRequest* request,
                                                  v1::RatingServiceEvaluateResponse* response) {
  return ServeUnaryOffThread(gate_, context, executor_, "Evaluate", *request, response,
                             [this, request](const domain::CancelToken& cancel) {
                               return ratings_.Evaluate(*request, domain::kTriggerEvaluate, cancel);
                             });
}

grpc::ServerUnaryReactor* RatingHandler::ListRatings(grpc::CallbackServerContext* context,
                                                     const v1::ListRatingsRequest* request,
                                                     v1::ListRatingsResponse* response) {
  return ServeUnary(gate_, context, "ListRatings", *request, response,
                    [&] { return ratings_.List(*request); });
}

grpc::ServerUnaryReactor* RatingHandler::ExplainRating(grpc::CallbackServerContext* context,
                                                       const v1::ExplainRatingRequest* request,
                                                       v1::ExplainRatingResponse* response) {
  return ServeUnary(gate_, context, "ExplainRating", *request, response,
                    [&] { return ratings_.Explain(*request); });
}

grpc::ServerUnaryReactor* RatingHandler::CompareRatings(grpc::CallbackServerContext* context,
                                                        const v1::CompareRatingsRequest* request,
                                                        v1::CompareRatingsResponse* response) {
  return ServeUnary(gate_, context, "CompareRatings", *request, response,
                    [&] { return ratings_.Compare(*request); });
}

grpc::ServerUnaryReactor* RatingHandler::ListJobs(grpc::CallbackServerContext* context,
                                                  const v1::ListJobsRequest* request,
                                                  v1::ListJobsResponse* response) {
  return ServeUnary(gate_, context, "ListJobs", *request, response,
                    [&] { return jobs_.List(*request); });
}

}  // namespace torikumi::server
