// What reflection_json_client knows of a server: only what grpc.reflection.v1alpha tells it.
// A ReflectionSession is one ServerReflectionInfo stream; a DescriptorFetcher builds the
// file descriptors the server sends (and their imports) into a private DescriptorPool.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace torikumi::reflection_client {

class ReflectionSession {
 public:
  explicit ReflectionSession(const std::shared_ptr<grpc::Channel>& channel);
  ~ReflectionSession();
  ReflectionSession(const ReflectionSession&) = delete;
  ReflectionSession& operator=(const ReflectionSession&) = delete;

  // False with `error` set when the stream broke or the server answered with an error.
  bool Ask(const grpc::reflection::v1alpha::ServerReflectionRequest& request,
           grpc::reflection::v1alpha::ServerReflectionResponse* response, std::string* error);

  // The full names of the services the server lists; false with `error` set on failure.
  bool ListServices(std::vector<std::string>* services, std::string* error);

 private:
  std::unique_ptr<grpc::reflection::v1alpha::ServerReflection::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<grpc::reflection::v1alpha::ServerReflectionRequest,
                                           grpc::reflection::v1alpha::ServerReflectionResponse>>
      stream_;
};

// Collects the file descriptors the server sends, fetching missing imports by name, and
// builds them into `pool` imports first.
class DescriptorFetcher {
 public:
  DescriptorFetcher(ReflectionSession& session, google::protobuf::DescriptorPool& pool)
      : session_(session), pool_(pool) {}

  // Loads the file that defines `symbol` (a service, method, message, enum or field, by
  // full name); false with `error` set when the server cannot describe it.
  bool LoadSymbol(const std::string& symbol, std::string* error);

 private:
  bool Load(const grpc::reflection::v1alpha::ServerReflectionRequest& request, std::string* error);
  bool Build(const std::string& name, std::string* error);

  ReflectionSession& session_;
  google::protobuf::DescriptorPool& pool_;
  std::map<std::string, google::protobuf::FileDescriptorProto> files_;
  std::set<std::string> building_;
};

}  // namespace torikumi::reflection_client
