#include "text_config.h"

#include <memory>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace torikumi::plugin_sdk {
namespace {

class ParseErrors : public google::protobuf::io::ErrorCollector {
 public:
  explicit ParseErrors(std::vector<std::string>* errors) : errors_(errors) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_->push_back("line " + std::to_string(line + 1) + " column " +
                       std::to_string(column + 1) + ": " + message);
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}

 private:
  std::vector<std::string>* errors_;
};

// Builds every file of the serialized set into *pool; false with an error otherwise.
bool BuildPool(DescriptorSetBytes descriptors, google::protobuf::DescriptorPool* pool,
               std::vector<std::string>* errors) {
  google::protobuf::FileDescriptorSet set;
  if (descriptors.data == nullptr ||
      !set.ParseFromArray(descriptors.data, static_cast<int>(descriptors.size))) {
    errors->push_back("internal: the embedded descriptor set does not parse");
    return false;
  }
  for (const auto& file : set.file()) {
    if (pool->BuildFile(file) == nullptr) {
      errors->push_back("internal: cannot build " + file.name());
      return false;
    }
  }
  return true;
}

}  // namespace

bool ParseTextConfig(const std::string& body, const std::string& type_name,
                     DescriptorSetBytes descriptors, google::protobuf::MessageLite* out,
                     std::vector<std::string>* errors) {
  // Built per call: configs are parsed once per rule-set version, and a pool that lives
  // only for the call leaves nothing behind when the plugin is unloaded.
  google::protobuf::DescriptorPool pool;
  if (!BuildPool(descriptors, &pool, errors)) return false;
  const google::protobuf::Descriptor* type = pool.FindMessageTypeByName(type_name);
  if (type == nullptr) {
    errors->push_back("internal: no message type " + type_name);
    return false;
  }
  google::protobuf::DynamicMessageFactory factory(&pool);
  std::unique_ptr<google::protobuf::Message> message(factory.GetPrototype(type)->New());
  ParseErrors collector(errors);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  // The parser recurses once per nested message and has no bound of its own: a deeply
  // nested body would overflow the stack. 100 is protobuf's binary-format default.
  parser.SetRecursionLimit(100);
  if (!parser.ParseFromString(body, message.get())) {
    if (errors->empty()) errors->push_back("the text does not parse");
    return false;
  }
  if (!out->ParseFromString(message->SerializeAsString())) {
    errors->push_back("internal: " + type_name + " does not convert");
    return false;
  }
  return true;
}

}  // namespace torikumi::plugin_sdk
