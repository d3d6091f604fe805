// Text into HTML: every string that comes from data (titles, outcome texts, reasons, file
// names, query parameters) passes through Escape before it reaches a page, so that no input
// can add markup or script.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"

namespace torikumi::server::web {

// The text with & < > " ' as character references: safe in element content and in a quoted
// attribute value.
std::string Escape(absl::string_view text);

// A query-string component: unreserved characters as they are, every other byte as %XX.
std::string UrlEncode(absl::string_view text);

// "2026-12-01 09:30" in the server's time zone; "" for an unset time.
std::string TimeText(const google::protobuf::Timestamp& time);

}  // namespace torikumi::server::web
