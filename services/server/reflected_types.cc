#include "services/server/reflected_types.h"

#include <google/protobuf/struct.pb.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.pb.h"

namespace torikumi::server {

void RegisterReflectedTypes() {
  // Asking for a descriptor is what makes the linker keep the generated code (its file is
  // registered with the pool as the program starts); the results themselves are not needed.
  grpc::health::v1::HealthCheckRequest::descriptor();
  google::rpc::Status::descriptor();
  // Every detail type of error_details.proto lives in one file: one descriptor covers all.
  google::rpc::BadRequest::descriptor();
  // The readable copy of a BadRequest (grpc_status.cc).
  google::protobuf::Struct::descriptor();
}

}  // namespace torikumi::server
