#include "services/cli/resource_kinds.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace torikumi::cli {

bool ParseKinds(absl::string_view text, std::vector<v1::ResourceKind>* kinds, std::string* bad) {
  for (absl::string_view word : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    v1::ResourceKind kind;
    const std::string full =
        absl::StrCat("RESOURCE_KIND_", absl::AsciiStrToUpper(absl::StripAsciiWhitespace(word)));
    if (!v1::ResourceKind_Parse(absl::StrReplaceAll(full, {{"-", "_"}}), &kind) ||
        kind == v1::RESOURCE_KIND_UNSPECIFIED) {
      *bad = std::string(word);
      return false;
    }
    kinds->push_back(kind);
  }
  return true;
}

}  // namespace torikumi::cli
