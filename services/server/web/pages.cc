#include "services/server/web/pages.h"

#include <httplib.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/server/http/table_transfer.h"
#include "services/server/web/assets.h"
#include "services/server/web/html.h"
#include "services/server/web/import_page.h"
#include "services/server/web/layout.h"
#include "services/server/web/page_response.h"
#include "services/server/web/pictures_page.h"
#include "services/server/web/plan_data.h"
#include "services/server/web/plans_page.h"
#include "services/server/web/round_routes.h"
#include "services/server/web/table_page.h"
#include "services/table/layout.h"
#include "services/table/title_line.h"

namespace torikumi::server::web {

namespace {

using Channel = std::shared_ptr<grpc::Channel>;

void ServeOrganizations(const Channel& channel, const httplib::Request& request,
                        httplib::Response& response) {
  std::vector<v1::Organization> organizations;
  grpc::Status status = ListAllOrganizations(channel, MetadataOf(request), &organizations);
  if (!status.ok()) return AnswerError(response, status);
  Answer(response, "組織", {}, RenderOrganizations(organizations));
}

void ServePlans(const Channel& channel, const httplib::Request& request,
                httplib::Response& response) {
  const std::string organization = OrganizationName(request);
  v1::GetOrganizationRequest get;
  get.set_name(organization);
  v1::GetOrganizationResponse got;
  grpc::Status status = http::CallUnary(channel, "/torikumi.v1.OrganizationService/GetOrganization",
                                        MetadataOf(request), get, &got);
  std::vector<v1::Plan> plans;
  if (status.ok()) status = ListAllPlans(channel, MetadataOf(request), organization, &plans);
  std::vector<std::vector<v1::Initiative>> initiatives(plans.size());
  for (size_t p = 0; p < plans.size() && status.ok(); ++p) {
    status = ListAllInitiatives(channel, MetadataOf(request), plans[p].name(), &initiatives[p]);
  }
  if (!status.ok()) return AnswerError(response, status);
  const std::string& display_name = got.organization().display_name();
  Answer(response, absl::StrCat(display_name.empty() ? organization : display_name, " の計画"),
         {{absl::StrCat(WebPath(organization), "/import"), "取り込み"}},
         RenderPlans(organization, plans, initiatives));
}

// The plan table (`charts` false) or its pictures.
void ServePlan(const Channel& channel, const httplib::Request& request, httplib::Response& response,
               bool charts) {
  PlanView view;
  grpc::Status status = LoadPlanView(channel, MetadataOf(request), PlanName(request), &view);
  if (!status.ok()) return AnswerError(response, status);
  const std::string title = view.plan.title().empty() ? view.plan.name() : view.plan.title();
  const auto nav = PlanNav(view.plan.name(), OrganizationName(request));
  if (charts) return Answer(response, absl::StrCat(title, "（グラフ）"), nav, RenderPictures(view));
  // The published table's title line: 人材育成推進プラン（平成30年度～令和4年度）の取組状況.
  const v1::TableLayout layout = table::EffectiveLayout(view.plan.table_layout());
  Answer(response,
         table::FormatTitleLine(title, view.plan.period(), layout.caption(), layout.period_text()),
         nav, RenderPlanTable(view, FilterFromQuery(request.params)));
}

void ServeImport(const Channel& channel, const httplib::Request& request,
                 httplib::Response& response) {
  if (CrossSite(request)) {
    return AnswerError(response, grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                              "a table can be imported only from this server's "
                                              "own import page (the form came from another site)"));
  }
  const std::string organization = OrganizationName(request);
  const bool confirm = FormValue(request, "step") == "confirm";
  std::string file = FormValue(request, confirm ? "data" : "file");
  std::string decoded;
  if (confirm && !absl::Base64Unescape(file, &decoded)) {
    return AnswerError(response, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                              "the confirmed file (data) is not base64"));
  }
  if (confirm) file = std::move(decoded);
  v1::ImportTableRequest first;
  first.mutable_options()->set_parent(organization);
  first.mutable_options()->set_plan_id(FormValue(request, "plan_id"));
  first.mutable_options()->set_dry_run(!confirm);
  v1::ImportTableResponse report;
  grpc::Status status = http::ImportTable(channel, MetadataOf(request), first, file, &report);
  if (!status.ok()) return AnswerError(response, status);
  const std::vector<NavLink> nav = {{WebPath(organization), "計画一覧"}};
  if (confirm) return Answer(response, "表の取り込み", nav, RenderImported(report));
  Answer(response, "表の取り込み", nav,
         RenderDryRun(organization, FormValue(request, "plan_id"), file, report));
}

}  // namespace

void InstallPages(httplib::Server& server, std::shared_ptr<grpc::Channel> channel) {
  const std::string org = R"(/web/organizations/([^/]+))";
  const std::string plan = org + R"(/plans/([^/]+))";
  server.Get(R"(/|/web)", [](const httplib::Request&, httplib::Response& response) {
    response.set_redirect("/web/");
  });
  server.Get(kStyleSheetPath, [](const httplib::Request&, httplib::Response& response) {
    response.set_content(std::string(StyleSheet()), "text/css; charset=utf-8");
  });
  server.Get("/web/", [channel](const httplib::Request& request, httplib::Response& response) {
    ServeOrganizations(channel, request, response);
  });
  server.Get(org, [channel](const httplib::Request& request, httplib::Response& response) {
    ServePlans(channel, request, response);
  });
  server.Get(plan, [channel](const httplib::Request& request, httplib::Response& response) {
    ServePlan(channel, request, response, /*charts=*/false);
  });
  server.Get(plan + "/charts",
             [channel](const httplib::Request& request, httplib::Response& response) {
               ServePlan(channel, request, response, /*charts=*/true);
             });
  InstallRoundPages(server, channel, plan);
  server.Get(org + "/import", [](const httplib::Request& request, httplib::Response& response) {
    Answer(response, "表の取り込み", {{WebPath(OrganizationName(request)), "計画一覧"}},
           RenderImportForm(OrganizationName(request)));
  });
  server.Post(org + "/import",
              [channel](const httplib::Request& request, httplib::Response& response) {
                ServeImport(channel, request, response);
              });
}

}  // namespace torikumi::server::web
