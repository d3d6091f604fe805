// Serves the process's metrics (services/common/metrics.h) over HTTP for Prometheus:
// GET /metrics answers in the text exposition format (--metrics_listen). Plain HTTP on its
// own port, so a scraper needs no gRPC; keep it on loopback or a cluster-internal address.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace httplib {
class Server;
}

namespace torikumi::server {

class MetricsHttpServer {
 public:
  // Listens on `listen` ("host:port"; port 0 picks a free one) and serves on a thread of its
  // own. UNAVAILABLE naming the address when it cannot be bound; INVALID_ARGUMENT when it is
  // not host:port.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(absl::string_view listen);
  // Stops listening and joins the thread.
  ~MetricsHttpServer();
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  int port() const { return port_; }

 private:
  MetricsHttpServer();

  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace torikumi::server
