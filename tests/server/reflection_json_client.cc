// A gRPC client that has no copy of torikumi's .proto files, to prove that any client can
// use the server through reflection and JSON alone. It learns every type at run time from
// grpc.reflection.v1alpha.ServerReflection and calls methods with grpc::GenericStub.
//
//   reflection_json_client ADDRESS list
//       prints each service the server offers, one per line
//   reflection_json_client ADDRESS methods
//       prints every method of every listed service as package.Service/Method, one per line
//   reflection_json_client ADDRESS describe SYMBOL...
//       prints the definition of each service, method (package.Service/Method) or message;
//       a method comes with its request and response messages
//   reflection_json_client ADDRESS call package.Service/Method 'JSON request'
//       prints the response as JSON; on an RPC error prints "CODE: message" to stderr, the
//       google.rpc.Status from the error details (if any) as JSON to stdout, and exits 1
//
// Exit codes: 0 success, 1 the call failed, 2 usage or reflection problems.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "tests/server/reflection_descriptors.h"

namespace {

namespace pb = google::protobuf;
using torikumi::reflection_client::DescriptorFetcher;
using torikumi::reflection_client::ReflectionSession;

int Complain(const std::string& what, const std::string& error) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), error.c_str());
  return 2;
}

// Prints each listed service, or with `methods` each method of each as package.Service/Method.
// Every service must then be described by reflection, or its methods cannot be known.
int List(const std::shared_ptr<grpc::Channel>& channel, bool methods) {
  ReflectionSession session(channel);
  std::vector<std::string> services;
  std::string error;
  if (!session.ListServices(&services, &error)) return Complain("list services", error);
  pb::DescriptorPool pool;
  DescriptorFetcher fetcher(session, pool);
  for (const std::string& name : services) {
    if (!methods) {
      std::printf("%s\n", name.c_str());
      continue;
    }
    if (!fetcher.LoadSymbol(name, &error)) return Complain("reflection for " + name, error);
    const pb::ServiceDescriptor* service = pool.FindServiceByName(name);
    if (service == nullptr) return Complain(name, "the server sent a file without this service");
    for (int i = 0; i < service->method_count(); ++i) {
      std::printf("%s/%s\n", name.c_str(), service->method(i)->name().c_str());
    }
  }
  return 0;
}

// The definition of `symbol` (package.Service/Method is accepted for a method) from `pool`,
// or empty when the pool has no such service, method or message.
std::string Definition(const pb::DescriptorPool& pool, const std::string& symbol) {
  if (const auto* service = pool.FindServiceByName(symbol)) return service->DebugString();
  if (const auto* message = pool.FindMessageTypeByName(symbol)) return message->DebugString();
  if (const auto* enum_type = pool.FindEnumTypeByName(symbol)) return enum_type->DebugString();
  if (const auto* method = pool.FindMethodByName(symbol)) {
    return method->DebugString() + method->input_type()->DebugString() +
           method->output_type()->DebugString();
  }
  return "";
}

int Describe(const std::shared_ptr<grpc::Channel>& channel,
             const std::vector<std::string>& symbols) {
  ReflectionSession session(channel);
  pb::DescriptorPool pool;
  DescriptorFetcher fetcher(session, pool);
  for (std::string symbol : symbols) {
    std::replace(symbol.begin(), symbol.end(), '/', '.');
    std::string error;
    if (!fetcher.LoadSymbol(symbol, &error)) return Complain("reflection for " + symbol, error);
    const std::string definition = Definition(pool, symbol);
    if (definition.empty()) return Complain(symbol, "not a service, method, message or enum");
    std::printf("%s\n", definition.c_str());
  }
  return 0;
}

bool PrintJson(const pb::Message& message, std::string* error) {
  std::string out;
  pb::util::JsonPrintOptions options;
  options.add_whitespace = false;
  if (auto printed = pb::util::MessageToJsonString(message, &out, options); !printed.ok()) {
    *error = "to JSON: " + printed.ToString();
    return false;
  }
  std::printf("%s\n", out.c_str());
  return true;
}

// Prints the google.rpc.Status an error carries as JSON. Its own type and the type of each
// detail (an Any, named by its type URL) come from reflection, so a detail the server cannot
// describe is an error here.
int PrintErrorDetails(DescriptorFetcher& fetcher, pb::DescriptorPool& pool,
                      const std::string& details_bytes) {
  std::string error;
  if (!fetcher.LoadSymbol("google.rpc.Status", &error)) {
    return Complain("reflection for google.rpc.Status", error);
  }
  pb::DynamicMessageFactory factory(&pool);
  const pb::Descriptor* status_type = pool.FindMessageTypeByName("google.rpc.Status");
  std::unique_ptr<pb::Message> status(factory.GetPrototype(status_type)->New());
  if (!status->ParseFromString(details_bytes)) {
    return Complain("error details", "not a google.rpc.Status");
  }
  const pb::FieldDescriptor* details = status_type->FindFieldByName("details");
  const pb::Reflection* reflection = status->GetReflection();
  for (int i = 0; i < reflection->FieldSize(*status, details); ++i) {
    const pb::Message& any = reflection->GetRepeatedMessage(*status, details, i);
    const std::string url =
        any.GetReflection()->GetString(any, any.GetDescriptor()->FindFieldByName("type_url"));
    const std::string type = url.substr(url.rfind('/') + 1);
    if (!fetcher.LoadSymbol(type, &error)) return Complain("reflection for " + type, error);
  }
  if (!PrintJson(*status, &error)) return Complain("error details", error);
  return 1;
}

// Sends `request` to `method` and waits for the answer.
grpc::Status UnaryCall(const std::shared_ptr<grpc::Channel>& channel,
                       const pb::MethodDescriptor& method, const pb::Message& request,
                       std::string* response_bytes) {
  std::string request_bytes = request.SerializeAsString();
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  grpc::GenericStub stub(channel);
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, "/" + method.service()->full_name() + "/" + method.name(),
                 grpc::StubOptions(), &request_buffer, &response_buffer, [&](grpc::Status result) {
                   status = std::move(result);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  if (!response_buffer.Dump(&slices).ok()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "cannot read the response bytes");
  }
  for (const grpc::Slice& part : slices) {
    response_bytes->append(reinterpret_cast<const char*>(part.begin()), part.size());
  }
  return status;
}

int Call(const std::shared_ptr<grpc::Channel>& channel, const std::string& full_method,
         const std::string& json) {
  const size_t slash = full_method.find('/');
  if (slash == std::string::npos) {
    return Complain(full_method, "the method must be package.Service/Method");
  }
  const std::string service_name = full_method.substr(0, slash);
  ReflectionSession session(channel);
  pb::DescriptorPool pool;
  DescriptorFetcher fetcher(session, pool);
  std::string error;
  if (!fetcher.LoadSymbol(service_name, &error)) {
    return Complain("reflection for " + service_name, error);
  }
  const pb::ServiceDescriptor* service = pool.FindServiceByName(service_name);
  const pb::MethodDescriptor* method =
      service == nullptr ? nullptr : service->FindMethodByName(full_method.substr(slash + 1));
  if (method == nullptr) return Complain(full_method, "the server has no such method");

  pb::DynamicMessageFactory factory(&pool);
  std::unique_ptr<pb::Message> request(factory.GetPrototype(method->input_type())->New());
  if (auto parsed = pb::util::JsonStringToMessage(json, request.get()); !parsed.ok()) {
    return Complain("request JSON for " + method->input_type()->full_name(), parsed.ToString());
  }
  std::string response_bytes;
  grpc::Status status = UnaryCall(channel, *method, *request, &response_bytes);
  if (!status.ok()) {
    std::fprintf(stderr, "%d: %s\n", static_cast<int>(status.error_code()),
                 status.error_message().c_str());
    if (status.error_details().empty()) return 1;
    return PrintErrorDetails(fetcher, pool, status.error_details());
  }
  std::unique_ptr<pb::Message> response(factory.GetPrototype(method->output_type())->New());
  if (!response->ParseFromString(response_bytes)) {
    return Complain("response", "not a " + method->output_type()->full_name());
  }
  if (!PrintJson(*response, &error)) return Complain("response", error);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto channel = [&] { return grpc::CreateChannel(args[0], grpc::InsecureChannelCredentials()); };
  if (args.size() == 2 && args[1] == "list") return List(channel(), /*methods=*/false);
  if (args.size() == 2 && args[1] == "methods") return List(channel(), /*methods=*/true);
  if (args.size() >= 3 && args[1] == "describe") {
    return Describe(channel(), std::vector<std::string>(args.begin() + 2, args.end()));
  }
  if (args.size() == 4 && args[1] == "call") return Call(channel(), args[2], args[3]);
  std::fprintf(stderr,
               "usage: %s ADDRESS list\n"
               "       %s ADDRESS methods\n"
               "       %s ADDRESS describe SYMBOL...\n"
               "       %s ADDRESS call package.Service/Method 'JSON request'\n",
               argv[0], argv[0], argv[0], argv[0]);
  return 2;
}
