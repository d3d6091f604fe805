// The web view's routes on the HTTP gateway's listener: the HR staff's pages under /web/
// (the API keeps /v1/). Each page calls the server's gRPC methods through the in-process
// channel with the request's Authorization header, as the HTTP/JSON gateway does.
#pragma once

#include <grpcpp/channel.h>

#include <memory>

namespace httplib {
class Server;
}

namespace torikumi::server::web {

// Registers the pages; call before the gateway's catch-all routes.
void InstallPages(httplib::Server& server, std::shared_ptr<grpc::Channel> channel);

}  // namespace torikumi::server::web
