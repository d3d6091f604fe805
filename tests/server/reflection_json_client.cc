// A gRPC client that has no copy of torikumi's .proto files, to prove that any client can
// use the server through reflection and JSON alone. It learns every type at run time from
// grpc.reflection.v1alpha.ServerReflection and calls methods with grpc::GenericStub.
//
//   reflection_json_client ADDRESS list
//       prints each service the server offers, one per line
//   reflection_json_client ADDRESS call package.Service/Method 'JSON request'
//       prints the response as JSON; on an RPC error prints "CODE: message" to stderr, exits 1
//
// Exit codes: 0 success, 1 the call failed, 2 usage or reflection problems.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace {

namespace reflection = grpc::reflection::v1alpha;
namespace pb = google::protobuf;

// One ServerReflectionInfo stream, used for request/response pairs.
class ReflectionSession {
 public:
  explicit ReflectionSession(const std::shared_ptr<grpc::Channel>& channel)
      : stub_(reflection::ServerReflection::NewStub(channel)),
        stream_(stub_->ServerReflectionInfo(&context_)) {}

  ~ReflectionSession() {
    stream_->WritesDone();
    grpc::Status ignored = stream_->Finish();
  }

  // False with `error` set when the stream broke or the server answered with an error.
  bool Ask(const reflection::ServerReflectionRequest& request,
           reflection::ServerReflectionResponse* response, std::string* error) {
    if (!stream_->Write(request) || !stream_->Read(response)) {
      *error = "the reflection stream closed (is reflection enabled on the server?)";
      return false;
    }
    if (response->has_error_response()) {
      *error = response->error_response().error_message();
      return false;
    }
    return true;
  }

 private:
  std::unique_ptr<reflection::ServerReflection::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<reflection::ServerReflectionRequest,
                                           reflection::ServerReflectionResponse>>
      stream_;
};

// Collects the file descriptors the server sends, fetching missing dependencies by name,
// and builds them into `pool` dependencies first.
class DescriptorFetcher {
 public:
  DescriptorFetcher(ReflectionSession& session, pb::DescriptorPool& pool)
      : session_(session), pool_(pool) {}

  bool LoadSymbol(const std::string& symbol, std::string* error) {
    reflection::ServerReflectionRequest request;
    request.set_file_containing_symbol(symbol);
    return Load(request, error);
  }

 private:
  bool Load(const reflection::ServerReflectionRequest& request, std::string* error) {
    reflection::ServerReflectionResponse response;
    if (!session_.Ask(request, &response, error)) return false;
    std::vector<std::string> received;
    for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
      pb::FileDescriptorProto file;
      if (!file.ParseFromString(bytes)) {
        *error = "the server sent a file descriptor that does not parse";
        return false;
      }
      received.push_back(file.name());
      files_.emplace(file.name(), std::move(file));
    }
    for (const std::string& name : received) {
      if (!Build(name, error)) return false;
    }
    return true;
  }

  bool Build(const std::string& name, std::string* error) {
    if (pool_.FindFileByName(name) != nullptr) return true;
    auto it = files_.find(name);
    if (it == files_.end()) {
      reflection::ServerReflectionRequest request;
      request.set_file_by_filename(name);
      if (!Load(request, error)) return false;
      return pool_.FindFileByName(name) != nullptr ||
             Fail(error, "the server did not send " + name);
    }
    if (!building_.insert(name).second) return Fail(error, "import cycle through " + name);
    for (const std::string& dependency : it->second.dependency()) {
      if (!Build(dependency, error)) return false;
    }
    building_.erase(name);
    if (pool_.BuildFile(it->second) == nullptr) return Fail(error, "cannot build " + name);
    return true;
  }

  static bool Fail(std::string* error, std::string message) {
    *error = std::move(message);
    return false;
  }

  ReflectionSession& session_;
  pb::DescriptorPool& pool_;
  std::map<std::string, pb::FileDescriptorProto> files_;
  std::set<std::string> building_;
};

int ListServices(const std::shared_ptr<grpc::Channel>& channel) {
  ReflectionSession session(channel);
  reflection::ServerReflectionRequest request;
  request.set_list_services("");
  reflection::ServerReflectionResponse response;
  std::string error;
  if (!session.Ask(request, &response, &error)) {
    std::fprintf(stderr, "list services: %s\n", error.c_str());
    return 2;
  }
  for (const auto& service : response.list_services_response().service()) {
    std::printf("%s\n", service.name().c_str());
  }
  return 0;
}

int Call(const std::shared_ptr<grpc::Channel>& channel, const std::string& full_method,
         const std::string& json) {
  const size_t slash = full_method.find('/');
  if (slash == std::string::npos) {
    std::fprintf(stderr, "method must be package.Service/Method, not \"%s\"\n",
                 full_method.c_str());
    return 2;
  }
  const std::string service_name = full_method.substr(0, slash);
  const std::string method_name = full_method.substr(slash + 1);

  pb::DescriptorPool pool;
  {
    ReflectionSession session(channel);
    DescriptorFetcher fetcher(session, pool);
    std::string error;
    if (!fetcher.LoadSymbol(service_name, &error)) {
      std::fprintf(stderr, "reflection for %s: %s\n", service_name.c_str(), error.c_str());
      return 2;
    }
  }
  const pb::ServiceDescriptor* service = pool.FindServiceByName(service_name);
  const pb::MethodDescriptor* method =
      service == nullptr ? nullptr : service->FindMethodByName(method_name);
  if (method == nullptr) {
    std::fprintf(stderr, "the server has no method %s\n", full_method.c_str());
    return 2;
  }

  pb::DynamicMessageFactory factory(&pool);
  std::unique_ptr<pb::Message> request(factory.GetPrototype(method->input_type())->New());
  std::unique_ptr<pb::Message> response(factory.GetPrototype(method->output_type())->New());
  if (auto parsed = pb::util::JsonStringToMessage(json, request.get()); !parsed.ok()) {
    std::fprintf(stderr, "request JSON for %s: %s\n", method->input_type()->full_name().c_str(),
                 parsed.ToString().c_str());
    return 2;
  }

  std::string request_bytes = request->SerializeAsString();
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  grpc::GenericStub stub(channel);
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, "/" + service_name + "/" + method_name, grpc::StubOptions(),
                 &request_buffer, &response_buffer, [&](grpc::Status result) {
                   status = std::move(result);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (!status.ok()) {
    std::fprintf(stderr, "%d: %s\n", static_cast<int>(status.error_code()),
                 status.error_message().c_str());
    return 1;
  }

  std::vector<grpc::Slice> slices;
  if (!response_buffer.Dump(&slices).ok()) {
    std::fprintf(stderr, "cannot read the response bytes\n");
    return 2;
  }
  std::string response_bytes;
  for (const grpc::Slice& part : slices) {
    response_bytes.append(reinterpret_cast<const char*>(part.begin()), part.size());
  }
  if (!response->ParseFromString(response_bytes)) {
    std::fprintf(stderr, "the response is not a %s\n", method->output_type()->full_name().c_str());
    return 2;
  }
  std::string out;
  pb::util::JsonPrintOptions options;
  options.add_whitespace = false;
  if (auto printed = pb::util::MessageToJsonString(*response, &out, options); !printed.ok()) {
    std::fprintf(stderr, "response to JSON: %s\n", printed.ToString().c_str());
    return 2;
  }
  std::printf("%s\n", out.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[1] == "list") {
    return ListServices(grpc::CreateChannel(args[0], grpc::InsecureChannelCredentials()));
  }
  if (args.size() == 4 && args[1] == "call") {
    return Call(grpc::CreateChannel(args[0], grpc::InsecureChannelCredentials()), args[2], args[3]);
  }
  std::fprintf(stderr,
               "usage: %s ADDRESS list\n"
               "       %s ADDRESS call package.Service/Method 'JSON request'\n",
               argv[0], argv[0]);
  return 2;
}
