// A minimal leveled logger to stderr (Debian's Abseil 20220623 has no absl/log yet).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace torikumi::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

void SetLevel(Level level);
// Parses "debug", "info", "warning" or "error"; nullopt for anything else.
std::optional<Level> ParseLevel(absl::string_view text);
bool Enabled(Level level);

// kText: "2026-11-25T03:04:05Z INFO message key=value"; kJson: one JSON object a line,
// {"time":…,"level":…,"message":…,"key":"value"}, for log collectors (--log_format=json).
enum class Format { kText, kJson };
void SetFormat(Format format);
// Parses "text" or "json"; nullopt for anything else.
std::optional<Format> ParseFormat(absl::string_view text);

// Named values beside the message (an access log line's method, code, duration…).
using Fields = std::vector<std::pair<std::string, std::string>>;

// Writes one line in the current format.
void Write(Level level, absl::string_view message, const Fields& fields = {});

template <typename... Args>
void Debug(const Args&... args) {
  if (Enabled(Level::kDebug)) Write(Level::kDebug, absl::StrCat(args...));
}
template <typename... Args>
void Info(const Args&... args) {
  if (Enabled(Level::kInfo)) Write(Level::kInfo, absl::StrCat(args...));
}
template <typename... Args>
void Warning(const Args&... args) {
  if (Enabled(Level::kWarning)) Write(Level::kWarning, absl::StrCat(args...));
}
template <typename... Args>
void Error(const Args&... args) {
  if (Enabled(Level::kError)) Write(Level::kError, absl::StrCat(args...));
}

}  // namespace torikumi::log
