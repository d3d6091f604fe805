// Rendering the reason of a decision: the rule's template filled in with the facts that
// decided it, or an English account of the tests that held.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rule_set.h"

namespace torikumi::rules {

std::string RenderReason(const CompiledRule& rule, const InitiativeFacts& facts,
                         const UsedFacts& used, const std::vector<std::string>& said) {
  if (!rule.reason.pieces.empty()) {
    std::string out;
    for (const auto& piece : rule.reason.pieces) {
      if (!piece.is_fact) {
        out += piece.literal;
        continue;
      }
      auto it = std::find_if(used.begin(), used.end(),
                             [&](const auto& u) { return u.first == piece.fact.name; });
      out += it != used.end() ? it->second : facts.Render(piece.fact);
    }
    return out;
  }
  const std::string result =
      rule.insufficient_data ? "insufficient data" : absl::StrCat("grade ", rule.grade);
  if (rule.when == nullptr)
    return absl::StrCat(result, " by default rule \"", rule.id, "\": no earlier rule applied");
  return absl::StrCat(result, " by rule \"", rule.id, "\": ", absl::StrJoin(said, "; "));
}

}  // namespace torikumi::rules
