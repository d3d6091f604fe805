// Paths of fields inside a request, as error details name them ("plan.period",
// "initiative.schedule[2]").
#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace torikumi::domain {

// "path.field".
inline std::string FieldPath(absl::string_view path, absl::string_view field) {
  return absl::StrCat(path, ".", field);
}

// "path.field[index]".
inline std::string IndexedFieldPath(absl::string_view path, absl::string_view field, int index) {
  return absl::StrCat(path, ".", field, "[", index, "]");
}

}  // namespace torikumi::domain
