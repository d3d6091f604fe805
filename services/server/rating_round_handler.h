// gRPC handlers of torikumi.v1.RatingRoundService. The reviewer of an accept or override and
// the actor of an open, close or reopen is the caller's principal.
#pragma once

#include "services/common/bounded_executor.h"
#include "services/domain/rating_rounds.h"
#include "services/server/auth/gate.h"
#include "torikumi/v1/rating_round_service.grpc.pb.h"

namespace torikumi::server {

class RatingRoundHandler final : public v1::RatingRoundService::CallbackService {
 public:
  RatingRoundHandler(const auth::Gate& gate, domain::RatingRounds& rounds,
                     BoundedExecutor& executor)
      : gate_(gate), rounds_(rounds), executor_(executor) {}

  grpc::ServerUnaryReactor* GetRatingRound(grpc::CallbackServerContext* context,
                                           const v1::GetRatingRoundRequest* request,
                                           v1::GetRatingRoundResponse* response) override;
  grpc::ServerUnaryReactor* ListRatingRounds(grpc::CallbackServerContext* context,
                                             const v1::ListRatingRoundsRequest* request,
                                             v1::ListRatingRoundsResponse* response) override;
  grpc::ServerUnaryReactor* OpenRatingRound(grpc::CallbackServerContext* context,
                                            const v1::OpenRatingRoundRequest* request,
                                            v1::OpenRatingRoundResponse* response) override;
  grpc::ServerUnaryReactor* NextRatingRoundEntry(
      grpc::CallbackServerContext* context, const v1::NextRatingRoundEntryRequest* request,
      v1::NextRatingRoundEntryResponse* response) override;
  grpc::ServerUnaryReactor* AcceptRating(grpc::CallbackServerContext* context,
                                         const v1::AcceptRatingRequest* request,
                                         v1::AcceptRatingResponse* response) override;
  grpc::ServerUnaryReactor* OverrideRating(grpc::CallbackServerContext* context,
                                           const v1::OverrideRatingRequest* request,
                                           v1::OverrideRatingResponse* response) override;
  grpc::ServerUnaryReactor* CloseRatingRound(grpc::CallbackServerContext* context,
                                             const v1::CloseRatingRoundRequest* request,
                                             v1::CloseRatingRoundResponse* response) override;
  grpc::ServerUnaryReactor* ReopenRatingRound(grpc::CallbackServerContext* context,
                                              const v1::ReopenRatingRoundRequest* request,
                                              v1::ReopenRatingRoundResponse* response) override;

 private:
  const auth::Gate& gate_;
  domain::RatingRounds& rounds_;
  // Opening may rate initiatives through the plugins: that runs off the gRPC threads.
  BoundedExecutor& executor_;
};

}  // namespace torikumi::server
