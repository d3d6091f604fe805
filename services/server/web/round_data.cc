#include "services/server/web/round_data.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/server/web/plan_data.h"
#include "torikumi/v1/plan_service.pb.h"

namespace torikumi::server::web {

namespace {

using Channel = std::shared_ptr<grpc::Channel>;

constexpr char kService[] = "/torikumi.v1.RatingRoundService/";

std::string Method(absl::string_view name) { return absl::StrCat(kService, name); }

grpc::Status GetPlan(const Channel& channel, const http::CallMetadata& metadata,
                     const std::string& plan_name, v1::Plan* plan) {
  v1::GetPlanRequest request;
  request.set_name(plan_name);
  v1::GetPlanResponse response;
  grpc::Status status =
      http::CallUnary(channel, "/torikumi.v1.PlanService/GetPlan", metadata, request, &response);
  if (status.ok()) *plan = response.plan();
  return status;
}

// organizations/o/plans/p of organizations/o/plans/p/ratingRounds/2022.
std::string PlanOfRound(const std::string& round_name) {
  return round_name.substr(0, round_name.rfind("/ratingRounds/"));
}

template <typename Request, typename Response>
grpc::Status Call(const Channel& channel, const http::CallMetadata& metadata,
                  absl::string_view method, const Request& request) {
  Response response;
  return http::CallUnary(channel, Method(method), metadata, request, &response);
}

// A review or change of state of the round `round_name`, with the posted etag, initiative
// and reason where the request has them.
template <typename Request>
Request RoundRequest(const std::string& round_name, const RoundAction& action) {
  Request request;
  request.set_name(round_name);
  request.set_etag(action.etag);
  if constexpr (requires { request.set_initiative(action.initiative); }) {
    request.set_initiative(action.initiative);
  }
  if constexpr (requires { request.set_reason(action.reason); }) {
    request.set_reason(action.reason);
  }
  return request;
}

}  // namespace

grpc::Status LoadRoundView(const Channel& channel, const http::CallMetadata& metadata,
                           const std::string& round_name, const std::string& area,
                           RoundView* view) {
  view->area = area;
  v1::GetRatingRoundRequest get;
  get.set_name(round_name);
  v1::GetRatingRoundResponse got;
  grpc::Status status = http::CallUnary(channel, Method("GetRatingRound"), metadata, get, &got);
  if (!status.ok()) return status;
  view->round = got.rating_round();
  v1::NextRatingRoundEntryRequest next;
  next.set_name(round_name);
  next.set_area(area);
  status = http::CallUnary(channel, Method("NextRatingRoundEntry"), metadata, next, &view->next);
  if (!status.ok()) return status;
  return GetPlan(channel, metadata, PlanOfRound(round_name), &view->plan);
}

grpc::Status LoadRoundList(const Channel& channel, const http::CallMetadata& metadata,
                           const std::string& plan_name, v1::Plan* plan,
                           std::vector<v1::RatingRound>* rounds) {
  grpc::Status status = GetPlan(channel, metadata, plan_name, plan);
  if (!status.ok()) return status;
  return ListAllRatingRounds(channel, metadata, plan_name, rounds);
}

grpc::Status OpenRound(const Channel& channel, const http::CallMetadata& metadata,
                       const std::string& plan_name, const std::string& fiscal_year,
                       std::string* round_name) {
  v1::OpenRatingRoundRequest request;
  request.set_parent(plan_name);
  int year = 0;
  if (!absl::SimpleAtoi(fiscal_year, &year)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat("fiscal_year: \"", fiscal_year, "\" is not a year"));
  }
  request.set_fiscal_year(year);
  v1::OpenRatingRoundResponse response;
  grpc::Status status =
      http::CallUnary(channel, Method("OpenRatingRound"), metadata, request, &response);
  if (status.ok()) *round_name = response.rating_round().name();
  return status;
}

grpc::Status SubmitRoundAction(const Channel& channel, const http::CallMetadata& metadata,
                               const std::string& round_name, const RoundAction& action) {
  if (action.action == "accept") {
    return Call<v1::AcceptRatingRequest, v1::AcceptRatingResponse>(
        channel, metadata, "AcceptRating",
        RoundRequest<v1::AcceptRatingRequest>(round_name, action));
  }
  if (action.action == "override") {
    auto request = RoundRequest<v1::OverrideRatingRequest>(round_name, action);
    request.set_grade(action.grade);
    return Call<v1::OverrideRatingRequest, v1::OverrideRatingResponse>(channel, metadata,
                                                                       "OverrideRating", request);
  }
  if (action.action == "close") {
    return Call<v1::CloseRatingRoundRequest, v1::CloseRatingRoundResponse>(
        channel, metadata, "CloseRatingRound",
        RoundRequest<v1::CloseRatingRoundRequest>(round_name, action));
  }
  if (action.action == "reopen") {
    return Call<v1::ReopenRatingRoundRequest, v1::ReopenRatingRoundResponse>(
        channel, metadata, "ReopenRatingRound",
        RoundRequest<v1::ReopenRatingRoundRequest>(round_name, action));
  }
  return grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT,
      absl::StrCat("action: \"", action.action, "\" is not accept, override, close or reopen"));
}

}  // namespace torikumi::server::web
