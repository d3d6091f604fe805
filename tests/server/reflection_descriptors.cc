#include "tests/server/reflection_descriptors.h"

#include <utility>

namespace torikumi::reflection_client {

namespace pb = google::protobuf;
namespace reflection = grpc::reflection::v1alpha;

namespace {

bool Fail(std::string* error, std::string message) {
  *error = std::move(message);
  return false;
}

}  // namespace

ReflectionSession::ReflectionSession(const std::shared_ptr<grpc::Channel>& channel)
    : stub_(reflection::ServerReflection::NewStub(channel)),
      stream_(stub_->ServerReflectionInfo(&context_)) {}

ReflectionSession::~ReflectionSession() {
  stream_->WritesDone();
  grpc::Status ignored = stream_->Finish();
}

bool ReflectionSession::Ask(const reflection::ServerReflectionRequest& request,
                            reflection::ServerReflectionResponse* response, std::string* error) {
  if (!stream_->Write(request) || !stream_->Read(response)) {
    return Fail(error, "the reflection stream closed (is reflection enabled on the server?)");
  }
  if (response->has_error_response()) {
    return Fail(error, response->error_response().error_message());
  }
  return true;
}

bool ReflectionSession::ListServices(std::vector<std::string>* services, std::string* error) {
  reflection::ServerReflectionRequest request;
  request.set_list_services("");
  reflection::ServerReflectionResponse response;
  if (!Ask(request, &response, error)) return false;
  for (const auto& service : response.list_services_response().service()) {
    services->push_back(service.name());
  }
  return true;
}

bool DescriptorFetcher::LoadSymbol(const std::string& symbol, std::string* error) {
  reflection::ServerReflectionRequest request;
  request.set_file_containing_symbol(symbol);
  return Load(request, error);
}

bool DescriptorFetcher::Load(const reflection::ServerReflectionRequest& request,
                             std::string* error) {
  reflection::ServerReflectionResponse response;
  if (!session_.Ask(request, &response, error)) return false;
  std::vector<std::string> received;
  for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
    pb::FileDescriptorProto file;
    if (!file.ParseFromString(bytes)) {
      return Fail(error, "the server sent a file descriptor that does not parse");
    }
    received.push_back(file.name());
    files_.emplace(file.name(), std::move(file));
  }
  for (const std::string& name : received) {
    if (!Build(name, error)) return false;
  }
  return true;
}

bool DescriptorFetcher::Build(const std::string& name, std::string* error) {
  if (pool_.FindFileByName(name) != nullptr) return true;
  auto it = files_.find(name);
  if (it == files_.end()) {
    reflection::ServerReflectionRequest request;
    request.set_file_by_filename(name);
    if (!Load(request, error)) return false;
    return pool_.FindFileByName(name) != nullptr || Fail(error, "the server did not send " + name);
  }
  if (!building_.insert(name).second) return Fail(error, "import cycle through " + name);
  for (const std::string& dependency : it->second.dependency()) {
    if (!Build(dependency, error)) return false;
  }
  building_.erase(name);
  if (pool_.BuildFile(it->second) == nullptr) return Fail(error, "cannot build " + name);
  return true;
}

}  // namespace torikumi::reflection_client
