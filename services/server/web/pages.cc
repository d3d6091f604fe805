#include "services/server/web/pages.h"

#include <httplib.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/server/http/status_json.h"
#include "services/server/http/table_transfer.h"
#include "services/server/web/assets.h"
#include "services/server/web/html.h"
#include "services/server/web/import_page.h"
#include "services/server/web/layout.h"
#include "services/server/web/pictures_page.h"
#include "services/server/web/plan_data.h"
#include "services/server/web/plans_page.h"
#include "services/server/web/table_page.h"
#include "services/table/layout.h"
#include "services/table/title_line.h"

namespace torikumi::server::web {

namespace {

using Channel = std::shared_ptr<grpc::Channel>;
constexpr char kHtml[] = "text/html; charset=utf-8";

CallMetadata MetadataOf(const httplib::Request& request) {
  return CallMetadata{.authorization = request.get_header_value("Authorization")};
}

// The pages need no script and load nothing from elsewhere: the policy says so, so that a
// browser refuses any script even if some markup slipped past the escaping.
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

void Answer(httplib::Response& response, absl::string_view title, const std::vector<NavLink>& nav,
            absl::string_view body) {
  response.set_header("Content-Security-Policy", kContentSecurityPolicy);
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_content(Page(title, nav, body), kHtml);
}

void AnswerError(httplib::Response& response, const grpc::Status& status) {
  response.status = http::HttpStatusOf(status.error_code());
  Answer(
      response, "エラー", {},
      absl::StrCat("<p class=\"error\" role=\"alert\">", Escape(status.error_message()), "</p>"));
}

std::string OrganizationName(const httplib::Request& request) {
  return absl::StrCat("organizations/", request.matches[1].str());
}

std::string PlanName(const httplib::Request& request) {
  return absl::StrCat(OrganizationName(request), "/plans/", request.matches[2].str());
}

std::vector<NavLink> PlanNav(const std::string& plan_name, const std::string& organization_name) {
  return {{WebPath(organization_name), "計画一覧"},
          {WebPath(plan_name), "表"},
          {absl::StrCat(WebPath(plan_name), "/charts"), "グラフ"},
          {absl::StrCat(WebPath(organization_name), "/import"), "取り込み"}};
}

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

std::string FormValue(const httplib::Request& request, const char* name) {
  return request.has_file(name) ? request.get_file_value(name).content : "";
}

// A form posted from another site (cross-site request forgery): browsers name the page's
// origin on a POST, and a proxy adding the Authorization header would otherwise lend it the
// caller's rights.
bool CrossSite(const httplib::Request& request) {
  const std::string site = request.get_header_value("Sec-Fetch-Site");
  if (!site.empty() && site != "same-origin" && site != "none") return true;
  const std::string origin = request.get_header_value("Origin");
  if (origin.empty()) return false;
  const size_t scheme_end = origin.find("://");
  return scheme_end == std::string::npos ||
         origin.substr(scheme_end + 3) != request.get_header_value("Host");
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
