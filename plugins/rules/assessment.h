// Achieved against planned, year by year: the claims and figures of an initiative's
// outcome cells set against its schedule. The counts below are the evidence facts of the
// catalog (years_not_done, nothing_done, …); `Render` is what a reason shows.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "claims.h"
#include "lexicon.h"

namespace torikumi::rules {

enum class YearStatus { kNoEvidence, kDone, kPartly, kNotDone };

// One scheduled year that is due (closed, or the open year of the as-of date).
struct YearVerdict {
  int year = 0;
  Phase planned = Phase::kNone;
  Phase achieved = Phase::kNone;
  YearStatus status = YearStatus::kNoEvidence;
  std::string why;  // what decided it, quoting the clause or figure: 中止「…」
};

// A statement about the whole period (a clause of a period cell without a year).
struct PeriodFinding {
  enum class Kind { kPartNotDone, kPartial, kBelowPlan } kind;
  std::string why;
};

struct Assessment {
  std::vector<YearVerdict> years;
  std::vector<PeriodFinding> period;
  std::string done_quote;  // a clause or figure that shows work done, for A reasons
  int years_not_done = 0, years_partly = 0, years_done = 0, years_zero = 0;
  int years_target_missed = 0, years_below_plan = 0, parts_not_done = 0;
  int years_unevidenced = 0;  // due years nothing speaks of
  int done_evidence = 0;      // positive claims reaching a scheduled phase, nonzero figures
  int not_done_evidence = 0;  // negative claims, zero figures
  double extent_share = 1;    // lowest "X of Y" share stated; 1 when none
  bool nothing_done = false;  // something says "not done" and nothing says "done"
  // 「令和2年度: 中止「…」／他の年度: 実施」
  std::string Render(const Lexicon& lexicon) const;
};

struct PlanYears {
  int first = 0, last = 0;
  int as_of_year = 0;             // 0: every year is closed
  std::map<int, Phase> schedule;  // empty: no schedule, every year counts
};

Assessment Assess(const PlanYears& plan, const std::vector<CellEvidence>& cells);

}  // namespace torikumi::rules
