// Builds a gRPC request message from an HTTP request, as google.api.http transcoding does:
// the body in protobuf's JSON mapping (the whole request for body "*", one field for a named
// body), then the path variables, then the query parameters (`?filter.area=職員研修&pageSize=5`,
// field paths in proto or JSON names, repeated fields by repeating the parameter).
#pragma once

#include <google/protobuf/message.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/server/http/path_template.h"

namespace torikumi::server::http {

using QueryParameters = std::multimap<std::string, std::string>;

// Parses `json` into `message` (protobuf's JSON mapping; unknown fields are refused).
// INVALID_ARGUMENT naming `field` ("" for the whole body: "body") and the parser's reason.
absl::Status MergeJson(absl::string_view json, absl::string_view field,
                       google::protobuf::Message* message);

// Parses `body` as JSON into the request (body "*") or into its field `body_field`; nothing
// for an empty body_field or an empty body.
absl::Status MergeBody(absl::string_view body, absl::string_view body_field,
                       google::protobuf::Message* request);

// Sets the field at `field_path` ("plan.name", "filter.fiscalYear") from its text: strings as
// they are, numbers and booleans parsed, enums by name (with or without the enum's prefix)
// or number, FieldMask/Timestamp/Duration as their JSON strings; a repeated field gets the
// value appended. INVALID_ARGUMENT naming the field when there is no such field, it cannot
// hold a single value, or the text is not a value of its type.
absl::Status SetField(absl::string_view field_path, absl::string_view text,
                      google::protobuf::Message* message);

// The path bindings and then the query parameters, each through SetField.
absl::Status MergePathAndQuery(const std::vector<PathBinding>& bindings,
                               const QueryParameters& query, google::protobuf::Message* request);

}  // namespace torikumi::server::http
