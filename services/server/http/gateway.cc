#include "services/server/http/gateway.h"

#include <httplib.h>

#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/log.h"
#include "services/server/http/exchange.h"
#include "services/server/http/status_json.h"
#include "services/server/listen_probe.h"

namespace torikumi::server::http {

namespace {

// "127.0.0.1:8080" or "[::1]:8080" into host and port.
absl::Status SplitHostPort(absl::string_view address, std::string* host, int* port) {
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(address.substr(colon + 1), port) ||
      *port < 0 || *port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http_listen \"", address, "\" is not host:port"));
  }
  absl::string_view name = address.substr(0, colon);
  if (absl::ConsumePrefix(&name, "[")) absl::ConsumeSuffix(&name, "]");
  *host = std::string(name);
  return absl::OkStatus();
}

HttpRequestParts PartsOf(const httplib::Request& request) {
  HttpRequestParts parts{.method = request.method, .path = request.path, .body = request.body};
  // From the URL alone: httplib also puts a form-encoded body into request.params, and curl
  // labels every -d body a form.
  httplib::Params query;
  if (const size_t mark = request.target.find('?'); mark != std::string::npos) {
    httplib::detail::parse_query_text(request.target.substr(mark + 1), query);
  }
  for (const auto& [name, value] : query) parts.query.emplace(name, value);
  parts.metadata.authorization = request.get_header_value("Authorization");
  return parts;
}

// An HTTPS server when `tls` has a certificate; INVALID_ARGUMENT when httplib cannot load it.
absl::StatusOr<std::unique_ptr<httplib::Server>> NewHttpServer(const TlsFiles& tls) {
  if (!tls.enabled()) return std::make_unique<httplib::Server>();
  auto https = std::make_unique<httplib::SSLServer>(
      tls.cert.c_str(), tls.key.c_str(), tls.client_ca.empty() ? nullptr : tls.client_ca.c_str());
  if (!https->is_valid()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--http_listen: cannot serve HTTPS with --tls_cert ", tls.cert, " and --tls_key ", tls.key,
        tls.client_ca.empty() ? "" : absl::StrCat(" and --client_ca ", tls.client_ca)));
  }
  return https;
}

// The errors httplib answers itself (a body too large, a request it cannot read) come with
// no body; give them one in the same google.rpc.Status JSON as every other error.
httplib::Server::HandlerResponse FillEmptyError(const httplib::Request& request,
                                                httplib::Response& response) {
  if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
  const bool too_large = response.status == 413;
  const bool no_length = request.method != "GET" && request.method != "DELETE" &&
                         !request.has_header("Content-Length") &&
                         !request.has_header("Transfer-Encoding");
  const grpc::Status status(
      too_large ? grpc::StatusCode::RESOURCE_EXHAUSTED : grpc::StatusCode::INVALID_ARGUMENT,
      too_large   ? "the request body is too large: at most --max_message_bytes, and 8 KiB when "
                    "it is labelled application/x-www-form-urlencoded (what curl -d sends: give "
                    "-H 'Content-Type: application/json')"
      : no_length ? absl::StrCat("a ", request.method,
                                 " needs a Content-Length, 0 for no body (curl: -d '')")
                  : absl::StrCat("the HTTP request was refused (HTTP ", response.status, ")"));
  response.set_content(StatusJson(status), "application/json");
  return httplib::Server::HandlerResponse::Handled;
}

}  // namespace

HttpGateway::HttpGateway(RouteTable routes, std::shared_ptr<grpc::Channel> channel,
                         std::unique_ptr<httplib::Server> http)
    : routes_(std::move(routes)), channel_(std::move(channel)), http_(std::move(http)) {}

HttpGateway::~HttpGateway() { Shutdown(); }

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(
    absl::string_view listen_address, std::shared_ptr<grpc::Channel> channel, size_t max_body_bytes,
    const TlsFiles& tls, const ExtraRoutes& extra_routes) {
  absl::StatusOr<RouteTable> routes = RouteTable::FromGeneratedPool("torikumi/");
  if (!routes.ok()) return routes.status();
  std::string host;
  int port = 0;
  if (absl::Status split = SplitHostPort(listen_address, &host, &port); !split.ok()) return split;
  // The operating system's reason for a taken port, which httplib does not report.
  if (absl::Status free = ProbeListenAddress(listen_address); !free.ok()) return free;
  absl::StatusOr<std::unique_ptr<httplib::Server>> server = NewHttpServer(tls);
  if (!server.ok()) return server.status();
  std::unique_ptr<HttpGateway> gateway(
      new HttpGateway(*std::move(routes), std::move(channel), *std::move(server)));
  gateway->InstallHandlers(max_body_bytes, extra_routes);
  gateway->port_ = port == 0 ? gateway->http_->bind_to_any_port(host)
                             : (gateway->http_->bind_to_port(host, port) ? port : -1);
  if (gateway->port_ <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen_address, " for HTTP"));
  }
  gateway->address_ =
      absl::StrCat(absl::StripSuffix(listen_address, absl::StrCat(":", port)), ":", gateway->port_);
  httplib::Server* http = gateway->http_.get();
  gateway->thread_ = std::thread([http] { http->listen_after_bind(); });
  // stop() only stops a server that is running: wait for it, so Shutdown cannot miss it.
  while (!http->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return gateway;
}

void HttpGateway::InstallHandlers(size_t max_body_bytes, const ExtraRoutes& extra_routes) {
  http_->set_payload_max_length(max_body_bytes);
  http_->set_error_handler(httplib::Server::HandlerWithResponse(FillEmptyError));
  // httplib tries routes in the order given: the extra ones before the catch-all below.
  if (extra_routes) extra_routes(*http_, channel_);
  auto handler = [this](const httplib::Request& request, httplib::Response& response) {
    HttpAnswer answer = Serve(routes_, channel_, PartsOf(request));
    response.status = answer.status;
    if (!answer.content_disposition.empty()) {
      response.set_header("Content-Disposition", answer.content_disposition);
    }
    response.set_content(std::move(answer.body), answer.content_type.c_str());
  };
  // Every path goes to the route table, which knows the API's paths.
  http_->Get(".*", handler);
  http_->Post(".*", handler);
  http_->Put(".*", handler);
  http_->Patch(".*", handler);
  http_->Delete(".*", handler);
}

void HttpGateway::Shutdown() {
  if (!thread_.joinable()) return;
  http_->stop();
  thread_.join();
}

}  // namespace torikumi::server::http
