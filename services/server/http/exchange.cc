#include "services/server/http/exchange.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "services/common/text.h"
#include "services/server/grpc_status.h"
#include "services/server/http/status_json.h"
#include "services/server/http/table_transfer.h"
#include "torikumi/v1/table_service.pb.h"

namespace torikumi::server::http {

namespace {

using google::protobuf::Message;

HttpAnswer ErrorAnswer(const grpc::Status& status, int http_status = 0) {
  return HttpAnswer{.status = http_status != 0 ? http_status : HttpStatusOf(status.error_code()),
                    .body = StatusJson(status)};
}

HttpAnswer ErrorAnswer(const absl::Status& status) { return ErrorAnswer(ToGrpcStatus(status)); }

HttpAnswer JsonAnswer(const Message& response) {
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(response, &json).ok()) {
    return ErrorAnswer(absl::InternalError(
        absl::StrCat("the ", response.GetDescriptor()->full_name(), " cannot be written as JSON")));
  }
  return HttpAnswer{.body = std::move(json)};
}

// The two streaming methods, by name (table_transfer.h); UNIMPLEMENTED for any other.
HttpAnswer ServeStreaming(const Route& route, const std::shared_ptr<grpc::Channel>& channel,
                          const HttpRequestParts& request,
                          const std::vector<PathBinding>& bindings) {
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  if (route.method == pool->FindMethodByName("torikumi.v1.TableService.ImportTable")) {
    v1::ImportTableRequest first;
    if (absl::Status built = MergePathAndQuery(bindings, request.query, &first); !built.ok()) {
      return ErrorAnswer(built);
    }
    v1::ImportTableResponse response;
    grpc::Status status =
        ImportTable(channel, request.metadata, std::move(first), request.body, &response);
    return status.ok() ? JsonAnswer(response) : ErrorAnswer(status);
  }
  if (route.method == pool->FindMethodByName("torikumi.v1.TableService.ExportTable")) {
    v1::ExportTableRequest export_request;
    if (absl::Status built = MergePathAndQuery(bindings, request.query, &export_request);
        !built.ok()) {
      return ErrorAnswer(built);
    }
    ExportedFile file;
    grpc::Status status = ExportTable(channel, request.metadata, export_request, &file);
    if (!status.ok()) return ErrorAnswer(status);
    return HttpAnswer{.content_type = file.content_type,
                      .body = std::move(file.bytes),
                      .content_disposition = AttachmentHeader(file.file_name)};
  }
  return ErrorAnswer(grpc::Status(
      grpc::StatusCode::UNIMPLEMENTED,
      absl::StrCat(route.method->full_name(), " streams: call it over gRPC, not HTTP")));
}

}  // namespace

HttpAnswer Serve(const RouteTable& routes, const std::shared_ptr<grpc::Channel>& channel,
                 const HttpRequestParts& request) {
  if (!IsValidUtf8(request.path)) {
    return ErrorAnswer(absl::InvalidArgumentError("the path is not valid UTF-8"));
  }
  RouteMatch match = routes.Find(request.method, request.path);
  if (match.route == nullptr) {
    if (match.path_known) {
      return ErrorAnswer(
          grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                       absl::StrCat(request.path, " does not take ", request.method)),
          405);
    }
    return ErrorAnswer(
        grpc::Status(grpc::StatusCode::NOT_FOUND,
                     absl::StrCat("no API method at ", request.method, " ", request.path)));
  }
  const Route& route = *match.route;
  if (route.method->client_streaming() || route.method->server_streaming()) {
    return ServeStreaming(route, channel, request, match.bindings);
  }
  const Message* prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(
      route.method->input_type());
  const Message* response_prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          route.method->output_type());
  std::unique_ptr<Message> call_request(prototype->New());
  std::unique_ptr<Message> response(response_prototype->New());
  absl::Status built = MergeBody(request.body, route.body, call_request.get());
  if (built.ok()) built = MergePathAndQuery(match.bindings, request.query, call_request.get());
  if (!built.ok()) return ErrorAnswer(built);
  grpc::Status status =
      CallUnary(channel, route.grpc_method, request.metadata, *call_request, response.get());
  return status.ok() ? JsonAnswer(*response) : ErrorAnswer(status);
}

}  // namespace torikumi::server::http
