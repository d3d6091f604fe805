// Calls a gRPC method of this server through a channel, the way the HTTP gateway does: with
// the caller's `authorization` header as metadata, so that authentication, roles, limits and
// logging are the gRPC ones.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <string>

namespace torikumi::server::http {

// What the HTTP request passes on to the gRPC call.
struct CallMetadata {
  std::string authorization;  // the Authorization header, "" when absent
};

// A client context carrying `metadata`.
std::unique_ptr<grpc::ClientContext> ContextFor(const CallMetadata& metadata);

// One unary call of `method` ("/torikumi.v1.PlanService/GetPlan"); waits for its end.
grpc::Status CallUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                       const CallMetadata& metadata, const google::protobuf::Message& request,
                       google::protobuf::Message* response);

}  // namespace torikumi::server::http
