#include "services/domain/consistency.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <utility>

#include "absl/strings/str_join.h"
#include "services/common/text.h"

namespace torikumi::domain {
namespace {

// A human-rated initiative with something written about it.
struct Candidate {
  const v1::Initiative* initiative;
  std::u32string text;
  std::u32string figures;  // the digits of `text`, runs separated by '|'
};

std::u32string FiguresOf(const std::u32string& text) {
  std::u32string figures;
  bool in_run = false;
  for (char32_t c : text) {
    const bool digit = c >= U'0' && c <= U'9';
    if (digit && !in_run && !figures.empty()) figures.push_back(U'|');
    if (digit) figures.push_back(c);
    in_run = digit;
  }
  return figures;
}

// Union-find over candidate indices; each root keeps the lowest similarity that joined it.
class Groups {
 public:
  explicit Groups(size_t n) : parent_(n), similarity_(n, 1.0) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }
  size_t Root(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void Join(size_t a, size_t b, double similarity) {
    a = Root(a);
    b = Root(b);
    const double lowest = std::min({similarity_[a], similarity_[b], similarity});
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
    similarity_[std::min(a, b)] = lowest;
  }
  double similarity(size_t root) const { return similarity_[root]; }

 private:
  std::vector<size_t> parent_;
  std::vector<double> similarity_;
};

std::vector<Candidate> Candidates(const PlanRecords& records, absl::Status* status) {
  std::vector<Candidate> candidates;
  for (const v1::Initiative& initiative : records.initiatives) {
    if (initiative.human_rating().grade().empty()) continue;
    absl::StatusOr<std::u32string> text =
        ComparableOutcomeText(records.OutcomesOf(initiative.name()));
    if (!text.ok()) {
      *status = text.status();
      return {};
    }
    if (text->empty()) continue;
    std::u32string figures = FiguresOf(*text);
    candidates.push_back({&initiative, *std::move(text), std::move(figures)});
  }
  return candidates;
}

void LinkSimilar(const std::vector<Candidate>& candidates, Groups& groups) {
  for (size_t i = 0; i < candidates.size(); ++i) {
    for (size_t j = i + 1; j < candidates.size(); ++j) {
      const Candidate& a = candidates[i];
      const Candidate& b = candidates[j];
      if (a.figures != b.figures) continue;
      // The length difference alone bounds the similarity; skip the distance when it is
      // already too low.
      const double shorter = std::min(a.text.size(), b.text.size());
      const double longer = std::max(a.text.size(), b.text.size());
      if (shorter / longer < kNearlyIdentical) continue;
      const double similarity = a.text == b.text ? 1.0 : TextSimilarity(a.text, b.text);
      if (similarity >= kNearlyIdentical) groups.Join(i, j, similarity);
    }
  }
}

std::string EvidenceOf(const PlanRecords& records, const v1::Initiative& initiative) {
  std::vector<std::string> texts;
  for (const v1::Outcome& outcome : records.OutcomesOf(initiative.name())) {
    if (!outcome.text().empty()) texts.push_back(outcome.text());
  }
  return absl::StrJoin(texts, " / ");
}

}  // namespace

absl::StatusOr<std::u32string> ComparableOutcomeText(const std::vector<v1::Outcome>& outcomes) {
  std::vector<const v1::Outcome*> sorted;
  for (const v1::Outcome& outcome : outcomes) sorted.push_back(&outcome);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->fiscal_year() < b->fiscal_year(); });
  std::u32string joined;
  for (const v1::Outcome* outcome : sorted) {
    absl::StatusOr<std::u32string> text = ComparableCodePoints(outcome->text());
    if (!text.ok()) return text.status();
    if (text->empty()) continue;
    if (!joined.empty()) joined.push_back(U'|');
    joined += *text;
  }
  return joined;
}

double TextSimilarity(const std::u32string& a, const std::u32string& b) {
  if (a.empty() && b.empty()) return 1.0;
  // One row of the Levenshtein table at a time.
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return 1.0 - static_cast<double>(row[b.size()]) / std::max(a.size(), b.size());
}

absl::StatusOr<std::vector<v1::ConsistencyFinding>> FindInconsistencies(
    const PlanRecords& records) {
  absl::Status status;
  std::vector<Candidate> candidates = Candidates(records, &status);
  if (!status.ok()) return status;
  Groups groups(candidates.size());
  LinkSimilar(candidates, groups);

  struct Ranked {
    v1::ConsistencyFinding finding;
    size_t length;
  };
  std::vector<Ranked> ranked;
  for (size_t root = 0; root < candidates.size(); ++root) {
    if (groups.Root(root) != root) continue;
    std::set<std::string> grades;
    v1::ConsistencyFinding finding;
    for (size_t i = root; i < candidates.size(); ++i) {
      if (groups.Root(i) != root) continue;
      const v1::Initiative& initiative = *candidates[i].initiative;
      grades.insert(initiative.human_rating().grade());
      finding.add_initiatives(initiative.name());
      finding.add_human_grades(initiative.human_rating().grade());
      finding.add_titles(InitiativeLabel(initiative));
    }
    if (grades.size() < 2) continue;
    finding.set_evidence(EvidenceOf(records, *candidates[root].initiative));
    finding.set_similarity(groups.similarity(root));
    ranked.push_back({std::move(finding), candidates[root].text.size()});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.finding.similarity() != b.finding.similarity())
      return a.finding.similarity() > b.finding.similarity();
    return a.length > b.length;
  });
  std::vector<v1::ConsistencyFinding> findings;
  for (Ranked& r : ranked) findings.push_back(std::move(r.finding));
  return findings;
}

}  // namespace torikumi::domain
