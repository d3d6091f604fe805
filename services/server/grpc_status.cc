#include "services/server/grpc_status.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/errors.h"

namespace torikumi::server {

namespace {

// The BadRequest once more as a google.protobuf.Struct holding its own JSON
// ({"fieldViolations": [...]}). Clients built on connect-go, buf curl among them, print a
// detail as JSON only when its type is compiled into them: google.rpc.BadRequest is not,
// whatever reflection offers, while the well-known Struct always is. Adds nothing when the
// payload does not convert: the BadRequest itself is still sent.
void AddReadableCopy(const std::string& bad_request_bytes, google::rpc::Status* details) {
  google::rpc::BadRequest bad_request;
  std::string json;
  google::protobuf::Struct readable;
  if (!bad_request.ParseFromString(bad_request_bytes) ||
      !google::protobuf::util::MessageToJsonString(bad_request, &json).ok() ||
      !google::protobuf::util::JsonStringToMessage(json, &readable).ok()) {
    return;
  }
  details->add_details()->PackFrom(readable);
}

}  // namespace

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
    AddReadableCopy(any->value(), &details);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(code), std::move(message),
                      details.SerializeAsString());
}

}  // namespace torikumi::server
