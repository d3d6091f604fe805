#include "services/table/json_codec.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/errors.h"
#include "services/common/text.h"

namespace torikumi::table {

absl::StatusOr<std::string> DocumentToJson(const v1::TableDocument& document) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string out;
  auto status = google::protobuf::util::MessageToJsonString(document, &out, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot write the table as JSON: ", std::string(status.message())));
  }
  return out;
}

absl::StatusOr<v1::TableDocument> DocumentFromJson(absl::string_view json) {
  v1::TableDocument document;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &document, options);
  if (!status.ok()) {
    // The parser's message may quote the input, which need not be UTF-8.
    return InvalidField("table", absl::StrCat("the table looks like JSON but is not a "
                                              "torikumi TableDocument: ",
                                              ToValidUtf8(std::string(status.message()))));
  }
  return document;
}

}  // namespace torikumi::table
