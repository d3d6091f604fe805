#include "services/server/web/round_routes.h"

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "services/server/http/status_json.h"
#include "services/server/web/html.h"
#include "services/server/web/page_response.h"
#include "services/server/web/round_data.h"
#include "services/server/web/round_page.h"

namespace torikumi::server::web {

namespace {

using Channel = std::shared_ptr<grpc::Channel>;

grpc::Status CrossSiteRefusal() {
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                      "a rating round can be changed only from this server's own pages (the "
                      "form came from another site)");
}

std::string RoundName(const httplib::Request& request) {
  return absl::StrCat(PlanName(request), "/ratingRounds/", request.matches[3].str());
}

std::string Title(const v1::Plan& plan, absl::string_view heading) {
  return absl::StrCat(heading, "（", plan.title().empty() ? plan.name() : plan.title(), "）");
}

void ServeRoundList(const Channel& channel, const httplib::Request& request,
                    httplib::Response& response, const RoundForm& form) {
  v1::Plan plan;
  std::vector<v1::RatingRound> rounds;
  grpc::Status status =
      LoadRoundList(channel, MetadataOf(request), PlanName(request), &plan, &rounds);
  if (!status.ok()) return AnswerError(response, status);
  Answer(response, Title(plan, "年度末評価"), PlanNav(plan.name(), OrganizationName(request)),
         RenderRoundList(plan, rounds, form));
}

void ServeOpen(const Channel& channel, const httplib::Request& request,
               httplib::Response& response) {
  if (CrossSite(request)) return AnswerError(response, CrossSiteRefusal());
  std::string round_name;
  grpc::Status status = OpenRound(channel, MetadataOf(request), PlanName(request),
                                  FormValue(request, "fiscal_year"), &round_name);
  if (status.ok()) return response.set_redirect(WebPath(round_name), 303);
  response.status = http::HttpStatusOf(status.error_code());
  ServeRoundList(channel, request, response,
                 {.grade = "", .reason = "", .error = status.error_message()});
}

void ServeRound(const Channel& channel, const httplib::Request& request,
                httplib::Response& response, const std::string& area, const RoundForm& form) {
  RoundView view;
  grpc::Status status =
      LoadRoundView(channel, MetadataOf(request), RoundName(request), area, &view);
  if (!status.ok()) return AnswerError(response, status);
  Answer(response, Title(view.plan, RoundTitle(view.round)),
         PlanNav(view.plan.name(), OrganizationName(request)), RenderRound(view, form));
}

// A review or a change of state; back to the round's page (of the same area) when taken.
void ServeRoundForm(const Channel& channel, const httplib::Request& request,
                    httplib::Response& response) {
  if (CrossSite(request)) return AnswerError(response, CrossSiteRefusal());
  const RoundAction action{.action = FormValue(request, "action"),
                           .initiative = FormValue(request, "initiative"),
                           .grade = FormValue(request, "grade"),
                           .reason = FormValue(request, "reason"),
                           .etag = FormValue(request, "etag")};
  const std::string area = FormValue(request, "area");
  grpc::Status status = SubmitRoundAction(channel, MetadataOf(request), RoundName(request), action);
  if (status.ok()) {
    const std::string query = area.empty() ? "" : absl::StrCat("?area=", UrlEncode(area));
    return response.set_redirect(absl::StrCat(WebPath(RoundName(request)), query), 303);
  }
  // The refusal's status, unless loading the page fails too and answers its own.
  response.status = http::HttpStatusOf(status.error_code());
  ServeRound(channel, request, response, area,
             {.grade = action.grade, .reason = action.reason, .error = status.error_message()});
}

}  // namespace

void InstallRoundPages(httplib::Server& server, std::shared_ptr<grpc::Channel> channel,
                       const std::string& plan_pattern) {
  const std::string rounds = plan_pattern + "/ratingRounds";
  const std::string round = rounds + "/([0-9]+)";
  server.Get(rounds, [channel](const httplib::Request& request, httplib::Response& response) {
    ServeRoundList(channel, request, response, {});
  });
  server.Post(rounds, [channel](const httplib::Request& request, httplib::Response& response) {
    ServeOpen(channel, request, response);
  });
  server.Get(round, [channel](const httplib::Request& request, httplib::Response& response) {
    ServeRound(channel, request, response, request.get_param_value("area"), {});
  });
  server.Post(round, [channel](const httplib::Request& request, httplib::Response& response) {
    ServeRoundForm(channel, request, response);
  });
}

}  // namespace torikumi::server::web
