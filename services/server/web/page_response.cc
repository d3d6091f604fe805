#include "services/server/web/page_response.h"

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "services/server/http/status_json.h"
#include "services/server/web/html.h"
#include "services/server/web/round_page.h"

namespace torikumi::server::web {

namespace {

constexpr char kHtml[] = "text/html; charset=utf-8";

// The pages need no script and load nothing from elsewhere: the policy says so, so that a
// browser refuses any script even if some markup slipped past the escaping.
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

}  // namespace

http::CallMetadata MetadataOf(const httplib::Request& request) {
  return http::CallMetadata{.authorization = request.get_header_value("Authorization")};
}

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
          {RoundsPath(plan_name), "年度末評価"},
          {absl::StrCat(WebPath(organization_name), "/import"), "取り込み"}};
}

std::string FormValue(const httplib::Request& request, const char* name) {
  if (request.has_file(name)) return request.get_file_value(name).content;
  return request.get_param_value(name);
}

bool CrossSite(const httplib::Request& request) {
  const std::string site = request.get_header_value("Sec-Fetch-Site");
  if (!site.empty() && site != "same-origin" && site != "none") return true;
  const std::string origin = request.get_header_value("Origin");
  if (origin.empty()) return false;
  const size_t scheme_end = origin.find("://");
  return scheme_end == std::string::npos ||
         origin.substr(scheme_end + 3) != request.get_header_value("Host");
}

}  // namespace torikumi::server::web
