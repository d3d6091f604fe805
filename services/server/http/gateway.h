// The HTTP/JSON face of the server (--http_listen): every method annotated with
// google.api.http, served by cpp-httplib and called through an in-process gRPC channel, so a
// call over HTTP passes the same authentication, roles, limits and logging as one over gRPC.
#pragma once

#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/server/credentials.h"
#include "services/server/http/http_routes.h"

namespace httplib {
class Server;
}

namespace torikumi::server::http {

// Registers more routes on the listener (the web pages) before the API's catch-all ones,
// with the same in-process channel.
using ExtraRoutes = std::function<void(httplib::Server&, std::shared_ptr<grpc::Channel>)>;

class HttpGateway {
 public:
  // Listens on `listen_address` ("host:port", port 0 picks a free one) and serves in a thread
  // of its own: HTTPS with the gRPC port's certificate files when `tls` has them (client
  // certificates required when it has a client CA), else plain HTTP. UNAVAILABLE naming the
  // address when it cannot be bound; INVALID_ARGUMENT when an annotation or the TLS files
  // cannot be read. Request bodies over `max_body_bytes` are refused (413). `extra_routes`,
  // when set, adds its routes first.
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(absl::string_view listen_address,
                                                            std::shared_ptr<grpc::Channel> channel,
                                                            size_t max_body_bytes,
                                                            const TlsFiles& tls = {},
                                                            const ExtraRoutes& extra_routes = {});

  ~HttpGateway();
  HttpGateway(const HttpGateway&) = delete;
  HttpGateway& operator=(const HttpGateway&) = delete;

  // Stops accepting, lets the requests in flight finish, joins the thread. Call it before the
  // gRPC server shuts down. Safe to call more than once.
  void Shutdown();

  int port() const { return port_; }
  const std::string& address() const { return address_; }

 private:
  HttpGateway(RouteTable routes, std::shared_ptr<grpc::Channel> channel,
              std::unique_ptr<httplib::Server> http);
  void InstallHandlers(size_t max_body_bytes, const ExtraRoutes& extra_routes);

  RouteTable routes_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
  std::string address_;
};

}  // namespace torikumi::server::http
