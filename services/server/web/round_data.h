// The year-end rating round's calls for the web view, through the server's own gRPC methods
// on the in-process channel with the caller's credentials (RatingRoundService, PlanService).
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <string>
#include <vector>

#include "services/server/http/grpc_call.h"
#include "services/server/web/round_page.h"

namespace torikumi::server::web {

// A posted round form: accept, override, close or reopen, with the fields they take.
struct RoundAction {
  std::string action;
  std::string initiative;
  std::string grade;
  std::string reason;
  std::string etag;
};

// The plan of the round `round_name` (organizations/o/plans/p/ratingRounds/2022), the round,
// and its next entry not reviewed yet (of `area` when not empty).
grpc::Status LoadRoundView(const std::shared_ptr<grpc::Channel>& channel,
                           const http::CallMetadata& metadata, const std::string& round_name,
                           const std::string& area, RoundView* view);

// The plan `plan_name` and every round of it.
grpc::Status LoadRoundList(const std::shared_ptr<grpc::Channel>& channel,
                           const http::CallMetadata& metadata, const std::string& plan_name,
                           v1::Plan* plan, std::vector<v1::RatingRound>* rounds);

// OpenRatingRound for `fiscal_year` (as posted: a number, checked here); the round's name.
grpc::Status OpenRound(const std::shared_ptr<grpc::Channel>& channel,
                       const http::CallMetadata& metadata, const std::string& plan_name,
                       const std::string& fiscal_year, std::string* round_name);

// AcceptRating, OverrideRating, CloseRatingRound or ReopenRatingRound, as `action` names.
grpc::Status SubmitRoundAction(const std::shared_ptr<grpc::Channel>& channel,
                               const http::CallMetadata& metadata, const std::string& round_name,
                               const RoundAction& action);

}  // namespace torikumi::server::web
