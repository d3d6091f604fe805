// The path templates of google.api.http rules (google/api/http.proto): literal segments,
// `*` (one segment), `**` (the rest), variables `{field.path}` or `{field.path=segments}`,
// and an optional `:verb`. A template is parsed once at start and matched per request.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace torikumi::server::http {

// One field bound by a path: the field path ("plan.name") and the text it matched
// ("organizations/demo/plans/p").
using PathBinding = std::pair<std::string, std::string>;

class PathTemplate {
 public:
  // INVALID_ARGUMENT naming the template and what is wrong with it.
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // True when `path` (percent-decoded, starting with '/', without the query) matches; then
  // `bindings` holds each variable's field path and text, in template order.
  bool Match(absl::string_view path, std::vector<PathBinding>* bindings) const;

  const std::string& text() const { return text_; }
  // How specific the template is: more literal segments first, so that
  // /v1/evaluators:reload wins over a template with a variable in that place.
  int literal_count() const { return literal_count_; }

 private:
  enum class Kind { kLiteral, kSingle, kRest };
  struct Segment {
    Kind kind;
    std::string literal;
  };
  struct Variable {
    std::string field_path;
    size_t first_segment;  // index into segments_
    size_t end_segment;    // one past the last
  };

  bool MatchSegments(const std::vector<absl::string_view>& parts,
                     std::vector<PathBinding>* bindings) const;

  std::string text_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
  int literal_count_ = 0;
};

}  // namespace torikumi::server::http
