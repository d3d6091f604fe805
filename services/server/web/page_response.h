// What every route of the web view shares: the caller's credentials passed on to the gRPC
// call, the answer with the pages' security headers, the resource names in the path, and the
// check that a posted form came from this server's own pages.
#pragma once

#include <grpcpp/support/status.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/server/http/grpc_call.h"
#include "services/server/web/layout.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace torikumi::server::web {

// The request's Authorization header, for the in-process gRPC call.
http::CallMetadata MetadataOf(const httplib::Request& request);

// The page as the answer, with a Content-Security-Policy that allows no script.
void Answer(httplib::Response& response, absl::string_view title, const std::vector<NavLink>& nav,
            absl::string_view body);

// A page that shows the gRPC status's message, with the HTTP status of its code.
void AnswerError(httplib::Response& response, const grpc::Status& status);

// organizations/{o} from the route's first match, organizations/{o}/plans/{p} from its first
// two.
std::string OrganizationName(const httplib::Request& request);
std::string PlanName(const httplib::Request& request);

// The navigation of a plan's pages.
std::vector<NavLink> PlanNav(const std::string& plan_name, const std::string& organization_name);

// A field of a posted form, multipart or URL-encoded; "" when absent.
std::string FormValue(const httplib::Request& request, const char* name);

// Whether a form was posted from another site (cross-site request forgery): browsers name
// the page's origin on a POST, and a proxy adding the Authorization header would otherwise
// lend it the caller's rights.
bool CrossSite(const httplib::Request& request);

}  // namespace torikumi::server::web
