#include "services/server/grpc_status.h"

#include <string>

#include "google/rpc/status.pb.h"
#include "services/common/errors.h"

namespace torikumi::server {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;

  // absl::StatusCode and grpc::StatusCode share the canonical numbering 0..16.
  int code = static_cast<int>(status.code());
  if (code < 0 || code > static_cast<int>(grpc::StatusCode::UNAUTHENTICATED)) {
    code = static_cast<int>(grpc::StatusCode::UNKNOWN);
  }
  std::string message(status.message());

  google::rpc::Status details;
  details.set_code(code);
  details.set_message(message);
  // The payload already is a serialized google.rpc.BadRequest, and its key is the Any type URL.
  if (auto bad_request = status.GetPayload(kBadRequestPayloadUrl); bad_request.has_value()) {
    auto* any = details.add_details();
    any->set_type_url(std::string(kBadRequestPayloadUrl));
    any->set_value(std::string(*bad_request));
  }
  return grpc::Status(static_cast<grpc::StatusCode>(code), std::move(message),
                      details.SerializeAsString());
}

}  // namespace torikumi::server
