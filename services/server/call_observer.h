// A gRPC server interceptor that sees every call of every service (those added later
// included, streaming ones too) and writes its access line and metrics through LogAccess
// (call_log.h) when the status is sent. No handler has to remember to do it.
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace torikumi::server {

// Who made a call, from its server context (a verified certificate's subject, a token's
// principal); empty when not known. The identity layer supplies it; without one the access
// line shows "-".
using PrincipalOf = std::function<std::string(grpc::ServerContextBase&)>;

class CallObserverFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallObserverFactory(PrincipalOf principal_of = nullptr)
      : principal_of_(std::move(principal_of)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  PrincipalOf principal_of_;
};

// The factories to give ServerBuilder::experimental().SetInterceptorCreators.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
CallObserverCreators(PrincipalOf principal_of);

}  // namespace torikumi::server
