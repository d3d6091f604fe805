// Server reflection answers from protobuf's process-wide generated pool, which holds a
// .proto file only when its generated code is linked in. Two kinds of type that reflection
// must describe are used by no handler, so nothing would link them: the health service
// (gRPC's built-in one runs without protobuf types) and the error details, which travel as
// serialized Any values.
#pragma once

namespace torikumi::server {

// Links and registers grpc/health/v1/health.proto, google/rpc/status.proto,
// google/rpc/error_details.proto and google/protobuf/struct.proto, so that reflection can
// describe every service it lists and every detail type an error carries. Cheap; call
// before the server starts.
void RegisterReflectedTypes();

}  // namespace torikumi::server
