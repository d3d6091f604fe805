// One HTTP request served through the gRPC API, independent of the HTTP library: find the
// route, build the request message, call the method, and answer with its JSON (or, for a
// table export, the file), or with the error as google.rpc.Status JSON.
#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "services/server/http/grpc_call.h"
#include "services/server/http/http_routes.h"
#include "services/server/http/request_builder.h"

namespace torikumi::server::http {

struct HttpRequestParts {
  std::string method;  // "GET", …
  std::string path;    // percent-decoded, without the query
  QueryParameters query;
  std::string body;
  CallMetadata metadata;
};

struct HttpAnswer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string content_disposition;  // set for a file download
};

HttpAnswer Serve(const RouteTable& routes, const std::shared_ptr<grpc::Channel>& channel,
                 const HttpRequestParts& request);

}  // namespace torikumi::server::http
