#include "services/server/http/path_template.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace torikumi::server::http {

namespace {

absl::Status Invalid(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("http path template \"", text, "\": ", why));
}

// Splits "/a/{b=c/*}/d:verb" into its path part and verb, the ':' of the verb being the
// first one outside braces.
std::pair<absl::string_view, absl::string_view> SplitVerb(absl::string_view text) {
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}') --depth;
    if (text[i] == ':' && depth == 0) return {text.substr(0, i), text.substr(i + 1)};
  }
  return {text, {}};
}

// The path's segments after the leading '/'; false when a segment is empty.
bool SplitPath(absl::string_view path, std::vector<absl::string_view>* parts) {
  if (!absl::ConsumePrefix(&path, "/")) return false;
  *parts = absl::StrSplit(path, '/');
  for (absl::string_view part : *parts) {
    if (part.empty()) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate parsed;
  parsed.text_ = std::string(text);
  auto [path, verb] = SplitVerb(text);
  parsed.verb_ = std::string(verb);
  if (!absl::ConsumePrefix(&path, "/")) return Invalid(text, "does not start with '/'");
  while (!path.empty()) {
    absl::string_view token;
    std::string field_path;
    if (path.front() == '{') {
      const size_t close = path.find('}');
      if (close == absl::string_view::npos) return Invalid(text, "a '{' is never closed");
      absl::string_view variable = path.substr(1, close - 1);
      path.remove_prefix(close + 1);
      std::pair<absl::string_view, absl::string_view> field_and_pattern =
          absl::StrSplit(variable, absl::MaxSplits('=', 1));
      field_path = std::string(field_and_pattern.first);
      token = field_and_pattern.second.empty() ? "*" : field_and_pattern.second;
      if (field_path.empty()) return Invalid(text, "a variable names no field");
    } else {
      const size_t slash = path.find('/');
      token = path.substr(0, slash);
      path.remove_prefix(slash == absl::string_view::npos ? path.size() : slash);
    }
    const size_t first = parsed.segments_.size();
    for (absl::string_view part : absl::StrSplit(token, '/')) {
      if (part.empty() || part.find_first_of("{}=") != absl::string_view::npos) {
        return Invalid(text, absl::StrCat("bad segment \"", part, "\""));
      }
      if (!parsed.segments_.empty() && parsed.segments_.back().kind == Kind::kRest) {
        return Invalid(text, "'**' must be the last segment");
      }
      Kind kind = part == "*" ? Kind::kSingle : part == "**" ? Kind::kRest : Kind::kLiteral;
      if (kind == Kind::kLiteral) ++parsed.literal_count_;
      parsed.segments_.push_back({kind, std::string(part)});
    }
    if (!field_path.empty()) {
      parsed.variables_.push_back({field_path, first, parsed.segments_.size()});
    }
    if (!path.empty() && !absl::ConsumePrefix(&path, "/")) {
      return Invalid(text, "a variable must be followed by '/' or ':'");
    }
  }
  if (parsed.segments_.empty()) return Invalid(text, "has no segment");
  return parsed;
}

bool PathTemplate::Match(absl::string_view path, std::vector<PathBinding>* bindings) const {
  if (verb_.empty()) {
    // A custom method (":verb") is never taken for a plain one.
    if (path.find(':', path.rfind('/') + 1) != absl::string_view::npos) return false;
  } else if (!absl::ConsumeSuffix(&path, absl::StrCat(":", verb_))) {
    return false;
  }
  std::vector<absl::string_view> parts;
  if (!SplitPath(path, &parts)) return false;
  return MatchSegments(parts, bindings);
}

bool PathTemplate::MatchSegments(const std::vector<absl::string_view>& parts,
                                 std::vector<PathBinding>* bindings) const {
  const bool open_ended = segments_.back().kind == Kind::kRest;
  if (open_ended ? parts.size() < segments_.size() - 1 : parts.size() != segments_.size()) {
    return false;
  }
  for (size_t i = 0; i < segments_.size(); ++i) {
    if (segments_[i].kind == Kind::kLiteral && parts[i] != segments_[i].literal) return false;
  }
  bindings->clear();
  for (const Variable& variable : variables_) {
    const size_t end = variable.end_segment == segments_.size() && open_ended
                           ? parts.size()
                           : variable.end_segment;
    std::vector<absl::string_view> bound(parts.begin() + variable.first_segment,
                                         parts.begin() + end);
    bindings->emplace_back(variable.field_path, absl::StrJoin(bound, "/"));
  }
  return true;
}

}  // namespace torikumi::server::http
