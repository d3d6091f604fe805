// Update masks: which fields of a resource an Update may change, and copying exactly those.
// An empty mask means "replace every mutable field", as the API design guide describes for
// a full PUT-style update.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace torikumi::domain {

struct UpdatePolicy {
  // Paths an Update may name: top-level fields ("title") and, where a part can be changed on
  // its own, nested ones ("period.first_fiscal_year"). Every nested path's prefix is itself
  // listed. An empty mask means every top-level entry.
  std::vector<std::string> mutable_paths;
  // Fields the server owns or that identify the resource (name, create_time, etag): named
  // separately so the error says why they cannot be updated.
  std::vector<std::string> output_only_paths;
};

// OK when every path of `mask` is one of policy.mutable_paths; else INVALID_ARGUMENT with a
// violation on "update_mask.paths[i]" for each bad path, naming it and the allowed paths.
absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask, const UpdatePolicy& policy);

// Copies the fields `mask` names from `source` into `target` (same message type), replacing
// repeated and message fields whole. The mask must have passed CheckUpdateMask.
void ApplyUpdateMask(const google::protobuf::FieldMask& mask, const UpdatePolicy& policy,
                     const google::protobuf::Message& source, google::protobuf::Message* target);

}  // namespace torikumi::domain
