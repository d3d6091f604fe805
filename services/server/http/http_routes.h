// The HTTP routes of the API, read once at start from the google.api.http options of every
// method in the torikumi .proto files compiled into the binary: no per-method code, so a
// method gets its HTTP/JSON form by its annotation alone.
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/server/http/path_template.h"

namespace torikumi::server::http {

// One HTTP binding of one gRPC method.
struct Route {
  std::string http_method;  // "GET", "POST", "PUT", "PATCH" or "DELETE"
  PathTemplate path;
  // The rule's body: "" (none), "*" (the whole request) or a top-level field name.
  std::string body;
  const google::protobuf::MethodDescriptor* method = nullptr;
  // The gRPC method path, "/torikumi.v1.PlanService/GetPlan".
  std::string grpc_method;
};

// What a request line finds.
struct RouteMatch {
  const Route* route = nullptr;  // nullptr: see path_known
  std::vector<PathBinding> bindings;
  // With no route: true when the path matches a route of another HTTP method (405, not 404).
  bool path_known = false;
};

class RouteTable {
 public:
  // The routes of every service in the generated descriptor pool's files whose names start
  // with `file_prefix` (e.g. "torikumi/"), with their additional_bindings. INVALID_ARGUMENT
  // naming the method when an annotation cannot be read (a bad template, a body field the
  // request does not have).
  static absl::StatusOr<RouteTable> FromGeneratedPool(absl::string_view file_prefix);

  RouteMatch Find(absl::string_view http_method, absl::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;  // most literal segments first
};

}  // namespace torikumi::server::http
