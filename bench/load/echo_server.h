// The floor of a read: a bare gRPC server that answers every call of every method with the
// same number of bytes, doing nothing else. Built on the generic callback API.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace grpc {
class Server;
class CallbackGenericService;
}  // namespace grpc

namespace torikumi::bench {

class EchoServer {
 public:
  // Listens on 127.0.0.1 on a free port and answers with `response_bytes` bytes.
  explicit EchoServer(int64_t response_bytes);
  ~EchoServer();
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

  std::string address() const;

 private:
  std::unique_ptr<grpc::CallbackGenericService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace torikumi::bench
