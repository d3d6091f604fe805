// The words the evidence extractor reads outcome texts with, compiled from the `lexicon`
// section of a rule set. Words are data: which actions reach which phase, which
// auxiliaries negate, which words limit, cancel or scope. Grammar (tokens, base forms,
// parts of speech) comes from the tokenizer.
#pragma once

#include <algorithm>
#include <bitset>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "absl/strings/string_view.h"
#include "rules_config.pb.h"
#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::rules {

struct Violation;

// A rule-set body: the plugin's own config message (rules_config.proto).
using RulesConfig = plugins::rules::v1::RulesEvaluatorConfig;

// Ordered: a later phase is further along. kNone is "no phase".
enum class Phase { kNone = 0, kResearch = 1, kConsider = 2, kTrial = 3, kImplement = 4 };

Phase FromSchedule(v1::Phase phase);
// 研究, 検討, 試行, 実施 (for reasons), "" for kNone.
const char* PhaseLabel(Phase phase);

struct Era {
  std::string name;
  int first_year = 0;
};

// What an action word means.
struct Action {
  Phase phase = Phase::kNone;  // kNone with not_done
  bool not_done = false;
};

// One list of words, looked up by their exact bytes: hashed, and knowing its longest word and
// (as a filter of 1 024 bits) how its words begin, so that most tokens are passed over
// without hashing them, and a lookup of tokens joined together stops once they are longer
// than any word.
class WordSet {
 public:
  void insert(const std::string& word) {
    words_.insert(word);
    max_bytes_ = std::max(max_bytes_, word.size());
    starts_.set(StartKey(word));
  }
  size_t count(absl::string_view word) const {
    return MayStartWith(word) && words_.find(word) != words_.end();
  }
  // False when no word begins with the first character of `text`.
  bool MayStartWith(absl::string_view text) const { return starts_.test(StartKey(text)); }
  size_t max_bytes() const { return max_bytes_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(absl::string_view s) const {
      return std::hash<std::string_view>()(std::string_view(s.data(), s.size()));
    }
  };
  // The first character's bytes (by its UTF-8 lead byte), hashed to one of 1 024 bits.
  static size_t StartKey(absl::string_view s) {
    if (s.empty()) return 0;
    const unsigned char lead = static_cast<unsigned char>(s[0]);
    const size_t n = std::min(s.size(), lead < 0xC0   ? size_t{1}
                                        : lead < 0xE0 ? size_t{2}
                                        : lead < 0xF0 ? size_t{3}
                                                      : size_t{4});
    size_t key = n;
    for (size_t i = 0; i < n; ++i) key = key * 131 + static_cast<unsigned char>(s[i]);
    return key % 1024;
  }
  std::unordered_set<std::string, Hash, std::equal_to<>> words_;
  size_t max_bytes_ = 0;
  std::bitset<1024> starts_;
};

struct Lexicon {
  using Words = WordSet;
  std::map<std::string, Action, std::less<>> actions;
  Words negators, negating_prefixes, carriers, ongoing, prospective, partial, whole, out_of,
      other_years, every_year, from_year, now, before_plan, target, upper_bound, date_units,
      clause_breaks, attempted, participant_units, target_reached, target_short, out_of_scope,
      inclusive;
  std::vector<Era> eras;

  bool Has(const Words& words, absl::string_view w) const { return words.count(w) > 0; }
  const Action* ActionOf(absl::string_view base) const;
  // The era spelled `name`, or null.
  const Era* EraNamed(absl::string_view name) const;
  // 令和2年度, 平成30年度 (the latest era that had begun by then).
  std::string YearLabel(int fiscal_year) const;
};

// Compiles and checks `in`; each mistake goes to *violations (field "lexicon.<list>").
// Returns false when there was any.
bool CompileLexicon(const RulesConfig::Lexicon& in, Lexicon* out,
                    std::vector<Violation>* violations);

}  // namespace torikumi::rules
