#include "services/domain/rule_set_limits.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace torikumi::domain {

int RuleSetNestingDepth(absl::string_view body) {
  int depth = 0;
  int deepest = 0;
  char quote = '\0';  // the opening quote while inside a string
  bool in_comment = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_comment) {
      in_comment = c != '\n';
    } else if (quote != '\0') {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == quote || c == '\n') {
        quote = '\0';  // text format strings do not span lines
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#') {
      in_comment = true;
    } else if (c == '{' || c == '<' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == '>' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

absl::Status CheckRuleSetBodyLimits(absl::string_view body, absl::string_view field) {
  if (body.size() > kMaxRuleSetBodyBytes) {
    return InvalidField(std::string(field),
                        absl::StrCat("the body is ", body.size(), " bytes, over the limit of ",
                                     kMaxRuleSetBodyBytes, " bytes (1 MiB)"));
  }
  if (const int depth = RuleSetNestingDepth(body); depth > kMaxRuleSetNestingDepth) {
    return InvalidField(std::string(field),
                        absl::StrCat("nesting depth exceeds ", kMaxRuleSetNestingDepth, " (", depth,
                                     " levels of '{', '<' or '[')"));
  }
  return absl::OkStatus();
}

}  // namespace torikumi::domain
