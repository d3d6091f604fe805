// Parses a text-format evaluator config (a rule-set body) into a generated message, lite
// or full, through a private descriptor pool built from a serialized FileDescriptorSet:
// the plugin's own config .proto and its imports, embedded in the plugin (see
// torikumi_add_text_config in TorikumiPlugin.cmake). Plugins cannot use the process-wide
// pool: it belongs to the host, and a second copy of a file there aborts the process.
//
// Needs protobuf only (no Abseil), so plugins built against the installed SDK use it too:
//
//   #include "cpp/text_config.h"
//   #include "my_config_descriptors.h"   // from torikumi_add_text_config(my_config ...)
//   my::v1::MyConfig config;
//   std::vector<std::string> errors;
//   if (!torikumi::plugin_sdk::ParseTextConfig(body, "my.v1.MyConfig", MyConfigDescriptors(),
//                                              &config, &errors)) { ... }
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "google/protobuf/message_lite.h"

namespace torikumi::plugin_sdk {

// A serialized google.protobuf.FileDescriptorSet (protoc --include_imports
// --descriptor_set_out) that holds the config's message type.
struct DescriptorSetBytes {
  const unsigned char* data = nullptr;
  std::size_t size = 0;
};

// `type_name` is the full message name, e.g. "my.v1.MyConfig". Returns false with one
// "line L column C: …" entry per parse error in *errors.
bool ParseTextConfig(const std::string& body, const std::string& type_name,
                     DescriptorSetBytes descriptors, google::protobuf::MessageLite* out,
                     std::vector<std::string>* errors);

}  // namespace torikumi::plugin_sdk
