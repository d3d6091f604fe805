#include "bench/load/echo_server.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"

namespace torikumi::bench {
namespace {

// One call: read the request, answer with the fixed payload, finish.
class EchoReactor : public grpc::ServerGenericBidiReactor {
 public:
  explicit EchoReactor(const grpc::ByteBuffer& payload) : response_(payload) {
    StartRead(&request_);
  }
  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
  }
  void OnDone() override { delete this; }

 private:
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

class EchoService : public grpc::CallbackGenericService {
 public:
  explicit EchoService(int64_t bytes) {
    grpc::Slice slice(std::string(static_cast<size_t>(bytes), 'x'));
    payload_ = grpc::ByteBuffer(&slice, 1);
  }
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    return new EchoReactor(payload_);
  }

 private:
  grpc::ByteBuffer payload_;
};

}  // namespace

EchoServer::EchoServer(int64_t response_bytes)
    : service_(std::make_unique<EchoService>(response_bytes)) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
  builder.RegisterCallbackGenericService(service_.get());
  server_ = builder.BuildAndStart();
}

EchoServer::~EchoServer() {
  if (server_ != nullptr) server_->Shutdown();
}

std::string EchoServer::address() const { return absl::StrCat("127.0.0.1:", port_); }

}  // namespace torikumi::bench
