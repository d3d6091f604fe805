#include "services/server/http/grpc_call.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>

#include <string>
#include <vector>

#include "absl/synchronization/notification.h"

namespace torikumi::server::http {

std::unique_ptr<grpc::ClientContext> ContextFor(const CallMetadata& metadata) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!metadata.authorization.empty()) {
    context->AddMetadata("authorization", metadata.authorization);
  }
  return context;
}

grpc::Status CallUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                       const CallMetadata& metadata, const google::protobuf::Message& request,
                       google::protobuf::Message* response) {
  grpc::Slice request_slice(request.SerializeAsString());
  grpc::ByteBuffer request_bytes(&request_slice, 1);
  // The stub shares the channel; it is cheap to make per call.
  grpc::GenericStub stub(channel);
  std::unique_ptr<grpc::ClientContext> context = ContextFor(metadata);
  grpc::ByteBuffer response_bytes;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(context.get(), method, grpc::StubOptions(), &request_bytes, &response_bytes,
                 [&](grpc::Status result) {
                   status = std::move(result);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (response_bytes.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  if (!response->ParseFromString(bytes)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "the response of " + method +
                                                        " does not parse as " +
                                                        response->GetDescriptor()->full_name());
  }
  return grpc::Status::OK;
}

}  // namespace torikumi::server::http
