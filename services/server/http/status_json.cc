#include "services/server/http/status_json.h"

#include <google/protobuf/util/json_util.h>

#include "google/rpc/status.pb.h"

namespace torikumi::server::http {

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    default:  // UNKNOWN, INTERNAL, DATA_LOSS
      return 500;
  }
}

std::string StatusJson(const grpc::Status& status) {
  google::rpc::Status rpc_status;
  if (status.error_details().empty() || !rpc_status.ParseFromString(status.error_details())) {
    rpc_status.Clear();
    rpc_status.set_code(static_cast<int>(status.error_code()));
    rpc_status.set_message(status.error_message());
  }
  std::string json;
  if (google::protobuf::util::MessageToJsonString(rpc_status, &json).ok()) return json;
  // A detail whose type this binary does not know cannot be printed: send the rest.
  rpc_status.clear_details();
  json.clear();
  (void)google::protobuf::util::MessageToJsonString(rpc_status, &json);
  return json;
}

}  // namespace torikumi::server::http
