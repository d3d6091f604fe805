#include "services/server/auth/request_scope.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace torikumi::server::auth {
namespace {

bool HoldsResourceName(absl::string_view field_name) {
  static const absl::flat_hash_set<absl::string_view>* const kFields =
      new absl::flat_hash_set<absl::string_view>{"name",        "parent",   "plan",   "initiative",
                                                 "initiatives", "rule_set", "relists"};
  return kFields->contains(field_name);
}

void Note(absl::string_view value, RequestScope* scope) {
  if (value.empty()) return;
  std::vector<absl::string_view> parts = absl::StrSplit(value, '/');
  if (parts.size() >= 2 && parts[0] == "organizations" && !parts[1].empty()) {
    // "organizations/aizu/ruleSets/r@2": the id ends at the first '/' (or '@').
    absl::string_view id = parts[1].substr(0, parts[1].find('@'));
    scope->organizations.insert(absl::StrCat("organizations/", id));
  } else {
    scope->outside.insert(std::string(value));
  }
}

void Walk(const google::protobuf::Message& message, RequestScope* scope) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          Walk(reflection->GetRepeatedMessage(message, field, i), scope);
        }
      } else {
        Walk(reflection->GetMessage(message, field), scope);
      }
    } else if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING &&
               HoldsResourceName(field->name())) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          Note(reflection->GetRepeatedString(message, field, i), scope);
        }
      } else {
        Note(reflection->GetString(message, field), scope);
      }
    }
  }
}

}  // namespace

RequestScope ScopeOf(const google::protobuf::Message& request) {
  RequestScope scope;
  Walk(request, &scope);
  return scope;
}

}  // namespace torikumi::server::auth
