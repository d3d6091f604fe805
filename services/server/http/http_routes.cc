#include "services/server/http/http_routes.h"

#include <google/protobuf/descriptor_database.h>

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/api/annotations.pb.h"

namespace torikumi::server::http {

namespace {

using google::protobuf::MethodDescriptor;

// The HTTP method and path template of one rule, e.g. {"GET", "/v1/{name=…}"}.
absl::StatusOr<std::pair<std::string, std::string>> VerbAndPath(const google::api::HttpRule& rule) {
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      return std::make_pair(std::string("GET"), rule.get());
    case google::api::HttpRule::kPut:
      return std::make_pair(std::string("PUT"), rule.put());
    case google::api::HttpRule::kPost:
      return std::make_pair(std::string("POST"), rule.post());
    case google::api::HttpRule::kDelete:
      return std::make_pair(std::string("DELETE"), rule.delete_());
    case google::api::HttpRule::kPatch:
      return std::make_pair(std::string("PATCH"), rule.patch());
    default:
      return absl::InvalidArgumentError("the rule has no get, put, post, delete or patch");
  }
}

absl::StatusOr<Route> RouteOf(const MethodDescriptor* method, const google::api::HttpRule& rule) {
  auto verb_and_path = VerbAndPath(rule);
  if (!verb_and_path.ok()) return verb_and_path.status();
  absl::StatusOr<PathTemplate> path = PathTemplate::Parse(verb_and_path->second);
  if (!path.ok()) return path.status();
  if (!rule.body().empty() && rule.body() != "*" &&
      method->input_type()->FindFieldByName(rule.body()) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("body \"", rule.body(), "\" is not a field of ",
                                                   method->input_type()->full_name()));
  }
  return Route{
      .http_method = verb_and_path->first,
      .path = *std::move(path),
      .body = rule.body(),
      .method = method,
      .grpc_method = absl::StrCat("/", method->service()->full_name(), "/", method->name())};
}

// Appends the routes of `method`'s annotation (none when it has none).
absl::Status AddRoutes(const MethodDescriptor* method, std::vector<Route>* routes) {
  if (!method->options().HasExtension(google::api::http)) return absl::OkStatus();
  const google::api::HttpRule& rule = method->options().GetExtension(google::api::http);
  std::vector<const google::api::HttpRule*> rules = {&rule};
  for (const google::api::HttpRule& more : rule.additional_bindings()) rules.push_back(&more);
  for (const google::api::HttpRule* one : rules) {
    absl::StatusOr<Route> route = RouteOf(method, *one);
    if (!route.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("google.api.http of ", method->full_name(), ": ", route.status().message()));
    }
    routes->push_back(*std::move(route));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RouteTable> RouteTable::FromGeneratedPool(absl::string_view file_prefix) {
  // The generated database knows every .proto compiled into the binary; the pool builds
  // the descriptors (with their options) of those we ask for.
  std::vector<std::string> files;
  google::protobuf::DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  RouteTable table;
  for (const std::string& name : files) {
    if (!absl::StartsWith(name, file_prefix)) continue;
    const google::protobuf::FileDescriptor* file =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name);
    if (file == nullptr) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        if (absl::Status added = AddRoutes(file->service(s)->method(m), &table.routes_);
            !added.ok()) {
          return added;
        }
      }
    }
  }
  std::stable_sort(table.routes_.begin(), table.routes_.end(), [](const Route& a, const Route& b) {
    return a.path.literal_count() > b.path.literal_count();
  });
  return table;
}

RouteMatch RouteTable::Find(absl::string_view http_method, absl::string_view path) const {
  RouteMatch match;
  std::vector<PathBinding> bindings;
  for (const Route& route : routes_) {
    if (!route.path.Match(path, &bindings)) continue;
    if (route.http_method != http_method) {
      match.path_known = true;
      continue;
    }
    match.route = &route;
    match.bindings = std::move(bindings);
    return match;
  }
  return match;
}

}  // namespace torikumi::server::http
