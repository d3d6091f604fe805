// Requests for the generic client, written as protobuf text format and serialized through
// the method's descriptor: the client itself never names a generated message type.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace torikumi::bench {

// "/torikumi.v1.InitiativeService/GetInitiative" → "torikumi.v1.InitiativeService.GetInitiative"
// looked up in the descriptors linked into the program; `text` parsed as its input type.
// INVALID_ARGUMENT naming the method or the text's mistake.
absl::StatusOr<std::string> SerializeRequest(absl::string_view method, absl::string_view text);

}  // namespace torikumi::bench
