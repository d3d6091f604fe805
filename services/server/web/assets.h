// The pages' style sheet, compiled into the binary: the pages need no file beside the server
// and no request leaves the machine (no CDN, no web fonts).
#pragma once

#include "absl/strings/string_view.h"

namespace torikumi::server::web {

// Served at kStyleSheetPath.
inline constexpr char kStyleSheetPath[] = "/web/style.css";
absl::string_view StyleSheet();

}  // namespace torikumi::server::web
