// Parses a text-format evaluator config (a rule-set body) into a generated message,
// lite or full, through a private descriptor pool built from the embedded descriptor set
// of evaluation.proto. Plugins cannot use the process-wide pool: it belongs to the host
// (see proto/CMakeLists.txt).
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"

namespace torikumi::plugin_sdk {

// `type_name` is the full message name, e.g. "torikumi.v1.RulesEvaluatorConfig". Returns
// false with one "line L column C: …" entry per parse error in *errors.
bool ParseTextConfig(absl::string_view body, absl::string_view type_name,
                     google::protobuf::MessageLite* out, std::vector<std::string>* errors);

}  // namespace torikumi::plugin_sdk
