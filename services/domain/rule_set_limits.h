// Bounds on a rule set's body, checked before any parser sees it. Evaluators parse bodies
// with recursive-descent parsers (protobuf's text format among them), so a deeply nested
// body would exhaust the stack of the thread that parses it; a cheap linear scan refuses
// it first.
#pragma once

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace torikumi::domain {

// The largest body accepted, in bytes (the shipped rule sets are a few KiB).
inline constexpr size_t kMaxRuleSetBodyBytes = 1u << 20;  // 1 MiB
// The deepest nesting of '{', '<' and '[' accepted outside strings and comments.
inline constexpr int kMaxRuleSetNestingDepth = 64;

// The deepest bracket nesting of `body`, read as protobuf text format: brackets inside
// quoted strings (with backslash escapes) and '#' comments do not count.
int RuleSetNestingDepth(absl::string_view body);

// OK, or INVALID_ARGUMENT on `field` (e.g. "rule_set.body") naming the limit exceeded.
absl::Status CheckRuleSetBodyLimits(absl::string_view body, absl::string_view field);

}  // namespace torikumi::domain
