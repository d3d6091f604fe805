#include "services/server/http/request_builder.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"
#include "services/common/text.h"

namespace torikumi::server::http {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// By proto name ("page_size") or JSON name ("pageSize").
const FieldDescriptor* FindField(const Descriptor* type, absl::string_view name) {
  if (const FieldDescriptor* field = type->FindFieldByName(std::string(name))) return field;
  for (int i = 0; i < type->field_count(); ++i) {
    if (type->field(i)->json_name() == name) return type->field(i);
  }
  return nullptr;
}

// By full name ("TABLE_FORMAT_CSV"), by the part after the enum's prefix ("csv", the
// prefix taken from its zero value "TABLE_FORMAT_UNSPECIFIED"), or by number.
const EnumValueDescriptor* FindEnumValue(const FieldDescriptor* field, absl::string_view text) {
  const google::protobuf::EnumDescriptor* type = field->enum_type();
  const std::string upper = absl::AsciiStrToUpper(text);
  if (const EnumValueDescriptor* value = type->FindValueByName(upper)) return value;
  absl::string_view prefix = type->value(0)->name();
  if (absl::ConsumeSuffix(&prefix, "UNSPECIFIED")) {
    if (const EnumValueDescriptor* value = type->FindValueByName(absl::StrCat(prefix, upper))) {
      return value;
    }
  }
  int number = 0;
  return absl::SimpleAtoi(text, &number) ? type->FindValueByNumber(number) : nullptr;
}

// A well-known type given as its JSON string (a FieldMask "title,areas", a Timestamp).
absl::Status SetWellKnown(const FieldDescriptor* field, absl::string_view text,
                          absl::string_view path, Message* message) {
  if (field->is_repeated() ||
      !absl::StartsWith(field->message_type()->full_name(), "google.protobuf.")) {
    return InvalidField(std::string(path),
                        "is a message: give each of its fields as its own parameter");
  }
  google::protobuf::Value quoted;
  quoted.set_string_value(std::string(text));
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(quoted, &json).ok()) {
    return InvalidField(std::string(path), "is not valid UTF-8");
  }
  return MergeJson(json, path, message->GetReflection()->MutableMessage(message, field));
}

// Sets or appends one scalar; false when `text` is not a value of the field's type.
bool SetScalar(const FieldDescriptor* field, absl::string_view text, Message* message) {
  const Reflection* r = message->GetReflection();
  const bool add = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      add ? r->AddString(message, field, std::string(text))
          : r->SetString(message, field, std::string(text));
      return true;
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v = 0;
      if (!absl::SimpleAtoi(text, &v)) return false;
      add ? r->AddInt32(message, field, v) : r->SetInt32(message, field, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v = 0;
      if (!absl::SimpleAtoi(text, &v)) return false;
      add ? r->AddInt64(message, field, v) : r->SetInt64(message, field, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v = 0;
      if (!absl::SimpleAtoi(text, &v)) return false;
      add ? r->AddUInt32(message, field, v) : r->SetUInt32(message, field, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v = 0;
      if (!absl::SimpleAtoi(text, &v)) return false;
      add ? r->AddUInt64(message, field, v) : r->SetUInt64(message, field, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v = 0;
      if (!absl::SimpleAtod(text, &v)) return false;
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        add ? r->AddFloat(message, field, static_cast<float>(v))
            : r->SetFloat(message, field, static_cast<float>(v));
      } else {
        add ? r->AddDouble(message, field, v) : r->SetDouble(message, field, v);
      }
      return true;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v = false;
      if (!absl::SimpleAtob(text, &v)) return false;
      add ? r->AddBool(message, field, v) : r->SetBool(message, field, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumValueDescriptor* v = FindEnumValue(field, text);
      if (v == nullptr) return false;
      add ? r->AddEnum(message, field, v) : r->SetEnum(message, field, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return false;
  }
  return false;
}

}  // namespace

absl::Status MergeJson(absl::string_view json, absl::string_view field, Message* message) {
  // Checked first: the parser's complaint would quote the bytes, and a status message must
  // be UTF-8 itself.
  if (!IsValidUtf8(json)) {
    return InvalidField(field.empty() ? "body" : std::string(field), "is not valid UTF-8");
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed =
      google::protobuf::util::JsonStringToMessage(std::string(json), message, options);
  if (parsed.ok()) return absl::OkStatus();
  return InvalidField(field.empty() ? "body" : std::string(field),
                      absl::StrCat("is not JSON of ", message->GetDescriptor()->full_name(), ": ",
                                   parsed.message().ToString()));
}

absl::Status MergeBody(absl::string_view body, absl::string_view body_field, Message* request) {
  if (body_field.empty() || body.empty()) return absl::OkStatus();
  if (body_field == "*") return MergeJson(body, "", request);
  const FieldDescriptor* field = request->GetDescriptor()->FindFieldByName(std::string(body_field));
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
    return absl::InternalError(absl::StrCat("body field ", body_field, " is not a message field"));
  }
  return MergeJson(body, "", request->GetReflection()->MutableMessage(request, field));
}

absl::Status SetField(absl::string_view field_path, absl::string_view text, Message* message) {
  if (!IsValidUtf8(field_path)) return InvalidField("query", "a parameter name is not UTF-8");
  if (!IsValidUtf8(text)) return InvalidField(std::string(field_path), "is not valid UTF-8");
  const std::vector<absl::string_view> names = absl::StrSplit(field_path, '.');
  Message* target = message;
  for (size_t i = 0; i < names.size(); ++i) {
    const FieldDescriptor* field = FindField(target->GetDescriptor(), names[i]);
    if (field == nullptr) {
      return InvalidField(
          std::string(field_path),
          absl::StrCat("no field \"", names[i], "\" in ", target->GetDescriptor()->full_name()));
    }
    const bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (i + 1 == names.size()) {
      if (is_message) return SetWellKnown(field, text, field_path, target);
      if (SetScalar(field, text, target)) return absl::OkStatus();
      return InvalidField(std::string(field_path),
                          absl::StrCat("\"", text, "\" is not a ", field->type_name(), " value"));
    }
    if (!is_message || field->is_repeated()) {
      return InvalidField(std::string(field_path),
                          absl::StrCat("\"", names[i], "\" is not a single message field"));
    }
    target = target->GetReflection()->MutableMessage(target, field);
  }
  return absl::OkStatus();
}

absl::Status MergePathAndQuery(const std::vector<PathBinding>& bindings,
                               const QueryParameters& query, Message* request) {
  for (const auto& [field, text] : bindings) {
    if (absl::Status set = SetField(field, text, request); !set.ok()) return set;
  }
  for (const auto& [field, text] : query) {
    if (absl::Status set = SetField(field, text, request); !set.ok()) return set;
  }
  return absl::OkStatus();
}

}  // namespace torikumi::server::http
