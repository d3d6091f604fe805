// gRPC handlers of torikumi.v1.RatingService.
#pragma once

#include "services/common/bounded_executor.h"
#include "services/domain/rating_jobs.h"
#include "services/domain/ratings.h"
#include "services/evaluators/evaluator_host.h"
#include "services/server/auth/gate.h"
#include "torikumi/v1/rating_service.grpc.pb.h"

namespace torikumi::server {

class RatingHandler final : public v1::RatingService::CallbackService {
 public:
  // Evaluate and ReloadEvaluators, which can block for long, run on `executor`.
  RatingHandler(const auth::Gate& gate, evaluators::EvaluatorHost& host, domain::Ratings& ratings,
                domain::RatingJobs& jobs, BoundedExecutor& executor)
      : gate_(gate), host_(host), ratings_(ratings), jobs_(jobs), executor_(executor) {}

  grpc::ServerUnaryReactor* ListEvaluators(grpc::CallbackServerContext* context,
                                           const v1::ListEvaluatorsRequest* request,
                                           v1::ListEvaluatorsResponse* response) override;
  grpc::ServerUnaryReactor* ReloadEvaluators(grpc::CallbackServerContext* context,
                                             const v1::ReloadEvaluatorsRequest* request,
                                             v1::ReloadEvaluatorsResponse* response) override;
  grpc::ServerUnaryReactor* Evaluate(grpc::CallbackServerContext* context,
                                     const v1::RatingServiceEvaluateRequest* request,
                                     v1::RatingServiceEvaluateResponse* response) override;
  grpc::ServerUnaryReactor* ListRatings(grpc::CallbackServerContext* context,
                                        const v1::ListRatingsRequest* request,
                                        v1::ListRatingsResponse* response) override;
  grpc::ServerUnaryReactor* ExplainRating(grpc::CallbackServerContext* context,
                                          const v1::ExplainRatingRequest* request,
                                          v1::ExplainRatingResponse* response) override;
  grpc::ServerUnaryReactor* CompareRatings(grpc::CallbackServerContext* context,
                                           const v1::CompareRatingsRequest* request,
                                           v1::CompareRatingsResponse* response) override;
  grpc::ServerUnaryReactor* ListJobs(grpc::CallbackServerContext* context,
                                     const v1::ListJobsRequest* request,
                                     v1::ListJobsResponse* response) override;

 private:
  const auth::Gate& gate_;
  evaluators::EvaluatorHost& host_;
  domain::Ratings& ratings_;
  domain::RatingJobs& jobs_;
  BoundedExecutor& executor_;
};

}  // namespace torikumi::server
