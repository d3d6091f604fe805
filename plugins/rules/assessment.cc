#include "assessment.h"

#include <algorithm>
#include <cstdint>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace torikumi::rules {
namespace {

constexpr size_t kQuoteBytes = 150;

// 「clause」 without its closing punctuation, cut at a character boundary if long.
std::string Quote(absl::string_view clause) {
  for (absl::string_view p : {"。", "、", "，", "．"}) absl::ConsumeSuffix(&clause, p);
  if (clause.size() > kQuoteBytes) {
    size_t cut = kQuoteBytes;
    while (cut > 0 && (static_cast<unsigned char>(clause[cut]) & 0xC0) == 0x80) --cut;
    return absl::StrCat("「", clause.substr(0, cut), "…」");
  }
  return absl::StrCat("「", clause, "」");
}

std::string Figure(double v) { return absl::StrCat(v); }

// What one year has seen so far.
struct YearAcc {
  bool done = false, partly = false, not_done = false, zero = false, target_missed = false;
  bool below = false;      // a clause reached a phase short of the planned one
  bool part_done = false;  // some of it was done, some not (extent, effort, a missed target)
  // How many years the claims that said done / not done spoke of: the narrower one wins
  // (令和2年度から開始したが、令和4年度以降は休止 → FY2022 on not done).
  size_t done_width = SIZE_MAX, not_done_width = SIZE_MAX;
  Phase achieved = Phase::kNone;
  std::string done_why, partly_why, not_done_why;
};

// The due years of the plan and their planned phase; without a schedule every year of
// the period is due, with no phase to reach.
std::map<int, Phase> DueYears(const PlanYears& plan) {
  std::map<int, Phase> out;
  const int until = plan.as_of_year != 0 ? std::min(plan.as_of_year, plan.last) : plan.last;
  for (int y = plan.first; y <= until; ++y) {
    auto it = plan.schedule.find(y);
    if (plan.schedule.empty()) {
      out[y] = Phase::kNone;
    } else if (it != plan.schedule.end() && it->second != Phase::kNone) {
      out[y] = it->second;
    }
  }
  return out;
}

Phase LowestPlanned(const std::map<int, Phase>& due) {
  Phase low = Phase::kImplement;
  for (const auto& [y, p] : due) low = std::min(low, p);
  return due.empty() ? Phase::kNone : low;
}

Phase HighestPlanned(const std::map<int, Phase>& due) {
  Phase high = Phase::kNone;
  for (const auto& [y, p] : due) high = std::max(high, p);
  return high;
}

// The due years a claim speaks of; empty with *whole set for a period-wide claim.
std::set<int> Coverage(const Claim& c, const CellEvidence& cell, const PlanYears& plan,
                       const std::map<int, Phase>& due, const std::set<int>& named, bool* whole) {
  *whole = false;
  std::set<int> out;
  using K = YearScope::Kind;
  auto add_if_due = [&](int y) {
    if (due.count(y) > 0) out.insert(y);
  };
  if (c.scope.kind == K::kYears) {
    for (int y : c.scope.years) add_if_due(y);
  } else if (c.scope.kind == K::kFrom) {
    for (const auto& [y, p] : due) {
      if (y >= *c.scope.years.begin()) out.insert(y);
    }
  } else if (cell.fiscal_year != 0) {
    add_if_due(cell.fiscal_year);
  } else if (c.scope.kind == K::kEvery) {
    for (const auto& [y, p] : due) out.insert(y);
  } else if (c.scope.kind == K::kOthers) {
    for (const auto& [y, p] : due) {
      if (named.count(y) == 0) out.insert(y);
    }
  } else if (c.scope.kind == K::kNow) {
    add_if_due(plan.as_of_year != 0 ? plan.as_of_year : plan.last);
  } else {
    *whole = true;
  }
  return out;
}

void ApplyClaim(const Claim& c, Phase planned, size_t width, YearAcc* acc) {
  const std::string quote = Quote(c.clause);
  if (c.not_done) {
    if (c.partial) {
      acc->partly = acc->part_done = true;
      acc->partly_why = absl::StrCat("一部未実施", quote);
    } else {
      acc->not_done = true;
      acc->not_done_width = std::min(acc->not_done_width, width);
      acc->not_done_why = absl::StrCat(c.action, "（未実施）", quote);
    }
    return;
  }
  acc->achieved = std::max(acc->achieved, c.phase);
  if (!c.partial && !c.attempted && !(c.phase < planned && !c.generic))
    acc->done_width = std::min(acc->done_width, width);
  if (c.generic) {
    acc->done = true;
    if (acc->done_why.empty()) acc->done_why = absl::StrCat("実施", quote);
  } else if (c.phase < planned) {
    // Still at study or trial when implementation was due; a plain earlier step (検討し、…)
    // counts only if nothing in the year reaches the plan (see Judge).
    acc->below = true;
    acc->partly |= c.ongoing;
    acc->partly_why =
        absl::StrCat(PhaseLabel(c.phase), "にとどまる（予定: ", PhaseLabel(planned), "）", quote);
  } else if (c.partial || c.attempted) {
    acc->partly = acc->part_done = true;
    acc->partly_why =
        absl::StrCat(c.partial ? "一部のみ" : "取組にとどまる（実施の記載なし）", quote);
  } else {
    acc->done = true;
    if (acc->done_why.empty()) acc->done_why = absl::StrCat(PhaseLabel(c.phase), quote);
  }
}

void ApplyFigures(const CellEvidence& cell, YearAcc* acc) {
  bool any_nonzero = false, any = false;
  for (double v : cell.figures) {
    any = true;
    any_nonzero |= v != 0;
  }
  for (const TargetFigure& t : cell.targets) {
    any = true;
    any_nonzero |= t.actual != 0;
    if (!t.Met() && t.actual != 0) {
      acc->target_missed = acc->partly = acc->part_done = true;
      acc->partly_why = absl::StrCat("目標未達（目標", Figure(t.target), "に対し実績",
                                     Figure(t.actual), "）", Quote(cell.text));
    }
  }
  if (any && !any_nonzero && cell.participants_only) {
    return;  // nobody came: the work was offered, so neither done nor not done
  }
  if (any && !any_nonzero) {
    acc->zero = acc->not_done = true;
    acc->not_done_why = absl::StrCat("実績0", Quote(cell.text));
  } else if (any_nonzero && !acc->target_missed) {
    acc->done = true;
    acc->done_width = 1;
    if (acc->done_why.empty()) acc->done_why = absl::StrCat("実績あり", Quote(cell.text));
  }
}

YearStatus StatusOf(const YearAcc& acc) {
  if (acc.not_done && !acc.done && !acc.partly) return YearStatus::kNotDone;
  if (acc.not_done || acc.partly) return YearStatus::kPartly;
  return acc.done ? YearStatus::kDone : YearStatus::kNoEvidence;
}

std::string WhyOf(const YearAcc& acc, YearStatus status) {
  switch (status) {
    case YearStatus::kNotDone:
      return acc.not_done_why;
    case YearStatus::kPartly:
      return acc.not_done ? acc.not_done_why : acc.partly_why;
    case YearStatus::kDone:
      return acc.done_why;
    default:
      return "記載なし";
  }
}

// A claim of a period cell with no year: it speaks of the initiative as a whole.
void ApplyPeriodClaim(const Claim& c, const std::map<int, Phase>& due, Assessment* a) {
  const std::string quote = Quote(c.clause);
  if (c.not_done) {
    ++a->parts_not_done;
    ++a->not_done_evidence;
    a->period.push_back(
        {c.partial ? PeriodFinding::Kind::kPartial : PeriodFinding::Kind::kPartNotDone,
         absl::StrCat(c.partial ? "一部未実施" : c.action + "（未実施）", quote)});
    return;
  }
  const Phase high = HighestPlanned(due);
  if (c.generic) return;  // happened, at no known phase: neither short of the plan nor done
  if (c.ongoing && c.phase < high) {
    int below = 0;
    for (const auto& [y, p] : due) below += p > c.phase ? 1 : 0;
    a->years_below_plan += std::max(below, 1);
    a->period.push_back(
        {PeriodFinding::Kind::kBelowPlan,
         absl::StrCat(PhaseLabel(c.phase), "にとどまる（予定: ", PhaseLabel(high), "）", quote)});
  } else if (c.partial || c.attempted) {
    ++a->parts_not_done;
    a->period.push_back(
        {PeriodFinding::Kind::kPartial,
         absl::StrCat(c.partial ? "一部のみ" : "取組にとどまる（実施の記載なし）", quote)});
  }
}

}  // namespace

namespace {

// Reads every claim and figure of the cells into per-year accumulators and period
// findings.
void ReadCells(const PlanYears& plan, const std::vector<CellEvidence>& cells,
               const std::map<int, Phase>& due, std::map<int, YearAcc>* acc, Assessment* a) {
  const Phase low = LowestPlanned(due);
  for (const CellEvidence& cell : cells) {
    std::set<int> named;
    for (const Claim& c : cell.claims) {
      if (c.scope.kind == YearScope::Kind::kYears)
        named.insert(c.scope.years.begin(), c.scope.years.end());
    }
    for (const Claim& c : cell.claims) {
      if (c.conceded) continue;
      if (c.extent_total > 0)
        a->extent_share = std::min(a->extent_share, double(c.extent_done) / c.extent_total);
      if (!c.not_done && !c.generic && c.phase >= low) {
        ++a->done_evidence;
        if (a->done_quote.empty())
          a->done_quote = absl::StrCat(PhaseLabel(c.phase), Quote(c.clause));
      }
      bool whole = false;
      const std::set<int> years = Coverage(c, cell, plan, due, named, &whole);
      if (whole) {
        ApplyPeriodClaim(c, due, a);
        continue;
      }
      if (c.not_done && !c.partial && !years.empty()) ++a->not_done_evidence;
      for (int y : years) ApplyClaim(c, due.at(y), years.size(), &(*acc)[y]);
    }
    if (cell.fiscal_year != 0 && due.count(cell.fiscal_year) > 0) {
      ApplyFigures(cell, &(*acc)[cell.fiscal_year]);
    } else if (cell.fiscal_year == 0 && std::any_of(cell.figures.begin(), cell.figures.end(),
                                                    [](double v) { return v != 0; })) {
      ++a->done_evidence;
    }
  }
}

void Judge(const std::map<int, Phase>& due, const std::map<int, YearAcc>& acc, Assessment* a) {
  bool partial_anywhere = false;
  for (const auto& [y, planned] : due) {
    YearVerdict v;
    v.year = y;
    v.planned = planned;
    auto it = acc.find(y);
    const YearAcc empty;
    YearAcc ya = it == acc.end() ? empty : it->second;
    if (ya.below && ya.achieved < planned && !ya.not_done) ya.partly = true;
    if (ya.done && ya.not_done && !ya.zero && ya.done_width != ya.not_done_width) {
      (ya.not_done_width < ya.done_width ? ya.done : ya.not_done) = false;
    }
    v.achieved = ya.achieved;
    v.status = StatusOf(ya);
    v.why = WhyOf(ya, v.status);
    a->years_not_done += v.status == YearStatus::kNotDone ? 1 : 0;
    a->years_partly += v.status == YearStatus::kPartly ? 1 : 0;
    a->years_done += v.status == YearStatus::kDone ? 1 : 0;
    a->years_unevidenced += v.status == YearStatus::kNoEvidence ? 1 : 0;
    a->years_zero += ya.zero ? 1 : 0;
    a->years_target_missed += ya.target_missed ? 1 : 0;
    if (ya.below && ya.partly && ya.achieved < planned) ++a->years_below_plan;
    if (ya.done && !ya.zero && a->done_quote.empty()) a->done_quote = ya.done_why;
    if (ya.done) ++a->done_evidence;
    if (ya.zero) ++a->not_done_evidence;
    partial_anywhere |= ya.part_done;
    a->years.push_back(std::move(v));
  }
  for (const PeriodFinding& f : a->period)
    partial_anywhere |= f.kind == PeriodFinding::Kind::kPartial;
  a->nothing_done = a->not_done_evidence > 0 && a->done_evidence == 0 && !partial_anywhere &&
                    a->extent_share >= 1;
}

std::string YearsLabel(const Lexicon& lex, const std::vector<int>& years) {
  std::vector<std::string> parts;
  for (int y : years) parts.push_back(lex.YearLabel(y));
  return absl::StrJoin(parts, "・");
}

}  // namespace

Assessment Assess(const PlanYears& plan, const std::vector<CellEvidence>& cells) {
  Assessment a;
  const std::map<int, Phase> due = DueYears(plan);
  std::map<int, YearAcc> acc;
  ReadCells(plan, cells, due, &acc, &a);
  Judge(due, acc, &a);
  return a;
}

std::string Assessment::Render(const Lexicon& lexicon) const {
  // Years that fell short, grouped by what decided them; then the period-wide findings;
  // then the years that were done.
  std::vector<std::pair<std::string, std::vector<int>>> short_years;
  std::vector<int> done_years, all_years;
  for (const YearVerdict& v : years) {
    all_years.push_back(v.year);
    if (v.status == YearStatus::kDone) done_years.push_back(v.year);
    if (v.status != YearStatus::kNotDone && v.status != YearStatus::kPartly) continue;
    auto it = std::find_if(short_years.begin(), short_years.end(),
                           [&](const auto& g) { return g.first == v.why; });
    if (it == short_years.end()) {
      short_years.push_back({v.why, {v.year}});
    } else {
      it->second.push_back(v.year);
    }
  }
  std::vector<std::string> parts;
  for (const auto& [why, ys] : short_years)
    parts.push_back(absl::StrCat(YearsLabel(lexicon, ys), ": ", why));
  const std::string period_label =
      all_years.empty() ? "計画期間"
                        : absl::StrCat("計画期間（", lexicon.YearLabel(all_years.front()), "～",
                                       lexicon.YearLabel(all_years.back()), "）");
  for (const PeriodFinding& f : period) parts.push_back(absl::StrCat(period_label, ": ", f.why));
  if (!parts.empty() && !done_years.empty()) {
    parts.push_back(
        absl::StrCat(short_years.empty() ? YearsLabel(lexicon, done_years) : "他の年度", ": 実施"));
  }
  if (parts.empty()) {
    parts.push_back(absl::StrCat(
        period_label, ": ", done_quote.empty() ? "未実施・一部未実施を示す記載なし" : done_quote));
  }
  return absl::StrJoin(parts, "／");
}

}  // namespace torikumi::rules
