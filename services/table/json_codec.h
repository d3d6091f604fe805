// The lossless JSON form of a table: a TableDocument in the protobuf JSON mapping, so
// every stored field (names, times, etags, ratings with rater and reason, metrics with
// targets) survives an export and a re-import.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "torikumi/v1/table.pb.h"

namespace torikumi::table {

// Indented JSON, field names in lowerCamelCase as the protobuf JSON mapping defines.
absl::StatusOr<std::string> DocumentToJson(const v1::TableDocument& document);

// INVALID_ARGUMENT naming the problem when the text is not a TableDocument.
absl::StatusOr<v1::TableDocument> DocumentFromJson(absl::string_view json);

}  // namespace torikumi::table
