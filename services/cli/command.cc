#include "services/cli/command.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "services/cli/print_status.h"

namespace torikumi::cli {

CliContext::CliContext(GlobalOptions options, std::ostream& out, std::ostream& err)
    : options_(std::move(options)), out_(out), err_(err) {}

std::shared_ptr<grpc::Channel> CliContext::channel() {
  if (channel_ == nullptr) {
    channel_ = grpc::CreateChannel(options_.server, options_.credentials != nullptr
                                                        ? options_.credentials
                                                        : grpc::InsecureChannelCredentials());
  }
  return channel_;
}

grpc::Status CliContext::Call(const std::function<grpc::Status(grpc::ClientContext*)>& rpc) const {
  grpc::ClientContext call;
  auto timeout = std::chrono::duration_cast<std::chrono::system_clock::duration>(
      std::chrono::duration<double>(options_.timeout_seconds));
  call.set_deadline(std::chrono::system_clock::now() + timeout);
  if (!options_.token.empty()) call.AddMetadata("authorization", "Bearer " + options_.token);
  return rpc(&call);
}

int CliContext::RpcFailed(const grpc::Status& status) {
  PrintStatus(status, options_.server, err_);
  return kExitFailure;
}

int CliContext::UsageError(absl::string_view message) {
  err_ << "error: " << message << "\n";
  err_ << "run 'torikumi " << (command_path_.empty() ? "" : absl::StrCat(command_path_, " "))
       << "--help' for usage\n";
  return kExitUsage;
}

int CliContext::FlagError(absl::string_view flag, const absl::Status& status) {
  return UsageError(absl::StrCat("--", flag, ": ", status.message()));
}

int CliContext::PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions json_options;
  json_options.add_whitespace = true;
  // Scripts can rely on every field being present, zero values included.
  json_options.always_print_primitive_fields = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, json_options);
  if (!status.ok()) {
    err_ << "error: cannot print the response as JSON: " << status.ToString() << "\n";
    return kExitFailure;
  }
  out_ << json;
  if (json.empty() || json.back() != '\n') out_ << "\n";
  return kExitOk;
}

int CliContext::Finish(const grpc::Status& status, const google::protobuf::Message& response,
                       const std::function<void()>& print) {
  if (!status.ok()) return RpcFailed(status);
  if (json()) return PrintJson(response);
  print();
  return kExitOk;
}

}  // namespace torikumi::cli
