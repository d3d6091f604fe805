#include "services/server/rating_round_handler.h"

#include <string>

#include "services/server/offloaded_unary.h"
#include "services/server/unary.h"
#include "services/store/write_origin.h"

namespace torikumi::server {
namespace {

// Off the gRPC thread the admitted principal travels as the write origin.
std::string OriginPrincipal() {
  const store::WriteOrigin* origin = store::CurrentWriteOrigin();
  return origin == nullptr ? std::string(auth::kLocalPrincipal) : origin->principal;
}

}  // namespace

grpc::ServerUnaryReactor* RatingRoundHandler::GetRatingRound(
    grpc::CallbackServerContext* context, const v1::GetRatingRoundRequest* request,
    v1::GetRatingRoundResponse* response) {
  return ServeUnary(gate_, context, "GetRatingRound", *request, response,
                    [&] { return rounds_.Get(*request); });
}

grpc::ServerUnaryReactor* RatingRoundHandler::ListRatingRounds(
    grpc::CallbackServerContext* context, const v1::ListRatingRoundsRequest* request,
    v1::ListRatingRoundsResponse* response) {
  return ServeUnary(gate_, context, "ListRatingRounds", *request, response,
                    [&] { return rounds_.List(*request); });
}

grpc::ServerUnaryReactor* RatingRoundHandler::OpenRatingRound(
    grpc::CallbackServerContext* context, const v1::OpenRatingRoundRequest* request,
    v1::OpenRatingRoundResponse* response) {
  return ServeUnaryOffThread(gate_, context, executor_, "OpenRatingRound", *request, response,
                             [this, request](const domain::CancelToken&) {
                               return rounds_.Open(*request, OriginPrincipal());
                             });
}

grpc::ServerUnaryReactor* RatingRoundHandler::NextRatingRoundEntry(
    grpc::CallbackServerContext* context, const v1::NextRatingRoundEntryRequest* request,
    v1::NextRatingRoundEntryResponse* response) {
  return ServeUnary(gate_, context, "NextRatingRoundEntry", *request, response,
                    [&] { return rounds_.Next(*request); });
}

grpc::ServerUnaryReactor* RatingRoundHandler::AcceptRating(grpc::CallbackServerContext* context,
                                                           const v1::AcceptRatingRequest* request,
                                                           v1::AcceptRatingResponse* response) {
  return ServeUnary(
      gate_, context, "AcceptRating", *request, response,
      [&](const auth::Principal& principal) { return rounds_.Accept(*request, principal.name); });
}

grpc::ServerUnaryReactor* RatingRoundHandler::OverrideRating(
    grpc::CallbackServerContext* context, const v1::OverrideRatingRequest* request,
    v1::OverrideRatingResponse* response) {
  return ServeUnary(
      gate_, context, "OverrideRating", *request, response,
      [&](const auth::Principal& principal) { return rounds_.Override(*request, principal.name); });
}

grpc::ServerUnaryReactor* RatingRoundHandler::CloseRatingRound(
    grpc::CallbackServerContext* context, const v1::CloseRatingRoundRequest* request,
    v1::CloseRatingRoundResponse* response) {
  return ServeUnary(
      gate_, context, "CloseRatingRound", *request, response,
      [&](const auth::Principal& principal) { return rounds_.Close(*request, principal.name); });
}

grpc::ServerUnaryReactor* RatingRoundHandler::ReopenRatingRound(
    grpc::CallbackServerContext* context, const v1::ReopenRatingRoundRequest* request,
    v1::ReopenRatingRoundResponse* response) {
  return ServeUnary(
      gate_, context, "ReopenRatingRound", *request, response,
      [&](const auth::Principal& principal) { return rounds_.Reopen(*request, principal.name); });
}

}  // namespace torikumi::server
