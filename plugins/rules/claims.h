// Evidence, not phrases: an outcome text read into claims before any rule runs.
//
// A claim is one clause: its year scope (令和2年度は…, その他の年度は…, 毎年度, 令和3年度から,
// or the cell's own year), its head action (a phase reached, or "not done"), its polarity
// (negated by an auxiliary or a prefix), whether it is still under way (検討中, 試行にと
// どまる) and its extent (一部, 6施設のうち4施設). Figures are read beside the claims:
// plain counts (0回 included) and target/actual pairs, the target after the actual
// (目標45,000時間以内に対し実績51,360時間) or in brackets beside it (受診率45.8%（目標45.0%）).
// A clause whose predicate is said of a target (目標に届かなかった) is a claim that the
// target was missed.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/strings/string_view.h"
#include "lexicon.h"
#include "tokenizer.h"

namespace torikumi::rules {

struct YearScope {
  enum class Kind { kUnscoped, kYears, kFrom, kOthers, kEvery, kNow, kBeforePlan };
  Kind kind = Kind::kUnscoped;
  std::set<int> years;  // kYears: the years named; kFrom: the first year
};

struct Claim {
  std::string clause;  // the clause as written
  YearScope scope;
  std::string action;          // base form of the head action
  Phase phase = Phase::kNone;  // the phase the action reaches (kNone for 中止, 見送る …)
  bool not_done = false;       // a cancelling action, or a negated one
  // The predicate is a verb the lexicon does not list (運行した, 周知を図った): it says
  // something happened, or with a negation that it did not, but reaches no known phase.
  bool generic = false;
  bool ongoing = false;  // still at this stage (検討中, 試行にとどまる, 検討を進めた)
  bool attempted = false;  // striven for or urged, not reported done (整備に努めた)
  // The clause is a study conceded by a contrast and followed by a clause saying the work
  // was not done (検討したが、導入には至らなかった): effort towards what failed, not progress.
  bool conceded = false;
  // The clause says a target was missed (目標を下回った, 目標に届かなかった, 目標は未達成):
  // a statement about the target, not an action; no phase, neither done nor not done.
  bool target_missed = false;
  bool partial = false;  // 一部, or fewer than the whole (extent_done < extent_total)
  int extent_done = 0;   // 「6施設のうち4施設」: 4 of 6; 0 of 0 when not stated
  int extent_total = 0;
};

struct TargetFigure {
  double target = 0;
  double actual = 0;
  bool upper_bound = false;  // 以内, 以下: at most the target is met
  bool Met() const { return upper_bound ? actual <= target : actual >= target; }
};

// What one outcome cell says.
struct CellEvidence {
  int fiscal_year = 0;  // 0: the cell covers the whole period
  std::string text;
  std::vector<Claim> claims;
  std::vector<double> figures;     // counts and amounts, targets excluded
  bool participants_only = false;  // every figure counts people (人, 名)
  std::vector<TargetFigure> targets;
};

// Reads one cell. Pure function of its inputs; the first form parses in `lattice`.
CellEvidence ExtractEvidence(const Lexicon& lexicon, const Tokenizer& tokenizer,
                             Tokenizer::Lattice& lattice, absl::string_view text, int fiscal_year);
CellEvidence ExtractEvidence(const Lexicon& lexicon, const Tokenizer& tokenizer,
                             absl::string_view text, int fiscal_year);

// Readings kept from one request to the next by one evaluator (one lexicon): a write to one
// outcome has its initiative re-rated, and the initiative's other texts were read by the
// request before. Holds at most `capacity` texts (emptied when full); thread-safe.
class ReadingCache {
 public:
  explicit ReadingCache(size_t capacity) : capacity_(capacity) {}
  std::optional<CellEvidence> Find(const std::string& text) const;
  void Keep(const std::string& text, const CellEvidence& cell);

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, CellEvidence> cells_;
};

// Reads the cells of one request, one thread at a time: every text in one lattice, and each
// distinct text once (a reading depends on the text alone, the year aside, so a text met
// again is a copy of its first reading with its own year), or not at all when `kept` holds
// it from an earlier request.
class EvidenceReader {
 public:
  EvidenceReader(const Lexicon& lexicon, const Tokenizer& tokenizer, ReadingCache* kept = nullptr)
      : lexicon_(lexicon), tokenizer_(tokenizer), lattice_(tokenizer.NewLattice()), kept_(kept) {}
  CellEvidence Read(absl::string_view text, int fiscal_year);

 private:
  // The reading of `text`, from `kept_` or the tokenizer.
  CellEvidence ReadAnew(const std::string& text, int fiscal_year);

  const Lexicon& lexicon_;
  const Tokenizer& tokenizer_;
  Tokenizer::Lattice lattice_;
  ReadingCache* const kept_;
  std::unordered_map<std::string, CellEvidence> read_;
};

// The clauses of a token sequence: split after 。, after a conjunction of the lexicon's
// clause_breaks (…したが、), and at a comma after a verb or auxiliary (…検討し、…).
std::vector<std::vector<Token>> SplitClauses(const Lexicon& lexicon,
                                             const std::vector<Token>& tokens);

}  // namespace torikumi::rules
