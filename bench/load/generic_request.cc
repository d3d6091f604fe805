#include "bench/load/generic_request.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace torikumi::bench {
namespace {

// Collects the text-format parser's complaints for the error message.
class Collector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    absl::StrAppend(&errors_, errors_.empty() ? "" : "; ", "line ", line + 1, " column ",
                    column + 1, ": ", message);
  }
  const std::string& errors() const { return errors_; }

 private:
  std::string errors_;
};

}  // namespace

absl::StatusOr<std::string> SerializeRequest(absl::string_view method, absl::string_view text) {
  std::string full = absl::StrReplaceAll(absl::StripPrefix(method, "/"), {{"/", "."}});
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full);
  if (descriptor == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("--method: '", method, "' is no method this program knows"));
  }
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> request(
      factory.GetPrototype(descriptor->input_type())->New());
  google::protobuf::TextFormat::Parser parser;
  Collector collector;
  parser.RecordErrorsTo(&collector);
  if (!parser.ParseFromString(std::string(text), request.get())) {
    return absl::InvalidArgumentError(absl::StrCat("--request: not a ",
                                                   descriptor->input_type()->full_name(),
                                                   " in text format: ", collector.errors()));
  }
  return request->SerializeAsString();
}

}  // namespace torikumi::bench
