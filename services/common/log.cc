#include "services/common/log.h"

#include <atomic>
#include <cstdio>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace torikumi::log {
namespace {
std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::atomic<int> g_format{static_cast<int>(Format::kText)};

const char* Name(Level level) {
  switch (level) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarning:
      return "WARNING";
    case Level::kError:
      return "ERROR";
  }
  return "?";
}

// `text` as a JSON string literal: quotes, backslashes and control characters escaped,
// everything else (UTF-8 included) as it is.
std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}
}  // namespace

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }

std::optional<Level> ParseLevel(absl::string_view text) {
  if (text == "debug") return Level::kDebug;
  if (text == "info") return Level::kInfo;
  if (text == "warning") return Level::kWarning;
  if (text == "error") return Level::kError;
  return std::nullopt;
}

bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void SetFormat(Format format) { g_format.store(static_cast<int>(format)); }

std::optional<Format> ParseFormat(absl::string_view text) {
  if (text == "text") return Format::kText;
  if (text == "json") return Format::kJson;
  return std::nullopt;
}

void Write(Level level, absl::string_view message, const Fields& fields) {
  const std::string time = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
  std::string line;
  if (static_cast<Format>(g_format.load()) == Format::kJson) {
    line = absl::StrCat("{\"time\":", JsonString(time), ",\"level\":", JsonString(Name(level)),
                        ",\"message\":", JsonString(message));
    for (const auto& [key, value] : fields)
      absl::StrAppend(&line, ",", JsonString(key), ":", JsonString(value));
    line += "}\n";
  } else {
    line = absl::StrCat(time, " ", Name(level), " ", message);
    for (const auto& [key, value] : fields) absl::StrAppend(&line, " ", key, "=", value);
    line += "\n";
  }
  // One fwrite per line so lines from different threads do not interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace torikumi::log
