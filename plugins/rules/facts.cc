#include "facts.h"

#include <algorithm>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace torikumi::rules {
namespace {

using torikumi::v1::FactType;

// Which year suffixes a fact accepts.
enum class Years { kNone, kYears, kYearsOrPeriod };

struct FactDef {
  FactId id;
  const char* name;
  FactType type;
  Years years;
  const char* description;
  bool needs_lexicon = false;
};

constexpr FactDef kFacts[] = {
    {FactId::kKind, "kind", v1::FACT_TYPE_STRING, Years::kNone,
     "the initiative's kind: \"new\", \"continuing\" or \"unspecified\""},
    {FactId::kMarkers, "markers", v1::FACT_TYPE_SET, Years::kNone,
     "markers the source table attached to the initiative, as written there"},
    {FactId::kRelisted, "relisted", v1::FACT_TYPE_BOOL, Years::kNone,
     "the initiative lists another one again (a re-listed initiative)"},
    {FactId::kPhase, "phase", v1::FACT_TYPE_STRING, Years::kYears,
     "scheduled phase of a year: \"research\", \"consider\", \"trial\", \"implement\" or \"none\""},
    {FactId::kPhases, "phases", v1::FACT_TYPE_SET, Years::kNone,
     "every phase scheduled in the period"},
    {FactId::kScheduledYears, "scheduled_years", v1::FACT_TYPE_NUMBER, Years::kNone,
     "years with a schedule entry"},
    {FactId::kImplementYears, "implement_years", v1::FACT_TYPE_NUMBER, Years::kNone,
     "years scheduled to implement in the whole period"},
    {FactId::kImplementYearsDue, "implement_years_due", v1::FACT_TYPE_NUMBER, Years::kNone,
     "years scheduled to implement up to the as-of year"},
    {FactId::kFirstImplementYear, "first_implement_year", v1::FACT_TYPE_NUMBER, Years::kNone,
     "first fiscal year scheduled to implement, 0 if none"},
    {FactId::kFinalPhase, "final_phase", v1::FACT_TYPE_STRING, Years::kNone,
     "phase of the last scheduled year, \"none\" without a schedule"},
    {FactId::kOutcomes, "outcomes", v1::FACT_TYPE_NUMBER, Years::kNone,
     "outcomes that say something (text, metrics or a status)"},
    {FactId::kPeriodOutcome, "period_outcome", v1::FACT_TYPE_BOOL, Years::kNone,
     "one outcome covers the whole period"},
    {FactId::kYearsReported, "years_reported", v1::FACT_TYPE_NUMBER, Years::kNone,
     "fiscal years with an outcome of their own"},
    {FactId::kStatus, "status", v1::FACT_TYPE_STRING, Years::kYearsOrPeriod,
     "outcome status of a year (or of the period outcome): \"implemented\", "
     "\"partly_implemented\", \"not_implemented\", \"in_progress\", \"scheduled\", \"unknown\", "
     "\"unspecified\" or \"none\" (no outcome)"},
    {FactId::kStatuses, "statuses", v1::FACT_TYPE_SET, Years::kNone,
     "statuses of all outcomes that state one"},
    {FactId::kText, "text", v1::FACT_TYPE_TEXT, Years::kNone, "the text of every outcome"},
    {FactId::kTextOf, "text", v1::FACT_TYPE_TEXT, Years::kYearsOrPeriod,
     "the text of one year's outcome (or of the period outcome)"},
    {FactId::kMetrics, "metrics", v1::FACT_TYPE_NUMBER, Years::kNone, "metrics in all outcomes"},
    {FactId::kMetricsOf, "metrics", v1::FACT_TYPE_NUMBER, Years::kYears,
     "metrics in one year's outcome"},
    {FactId::kNonzeroMetrics, "nonzero_metrics", v1::FACT_TYPE_NUMBER, Years::kNone,
     "metrics whose value is not 0"},
    {FactId::kZeroMetrics, "zero_metrics", v1::FACT_TYPE_NUMBER, Years::kNone,
     "metrics whose value is 0"},
    {FactId::kYearsPartlyZero, "years_partly_zero", v1::FACT_TYPE_NUMBER, Years::kNone,
     "closed years in which some metrics, not all, are 0"},
    {FactId::kYearsAllZero, "years_all_zero", v1::FACT_TYPE_NUMBER, Years::kNone,
     "closed years with metrics that are all 0"},
    {FactId::kYearsMissingMetrics, "years_missing_metrics", v1::FACT_TYPE_NUMBER, Years::kNone,
     "closed years due (scheduled to implement or try, or any year without a schedule) that "
     "report no metric although other years do"},
    {FactId::kYearsFewerLabels, "years_fewer_labels", v1::FACT_TYPE_NUMBER, Years::kNone,
     "closed years reporting fewer distinct metric labels than the closed year before"},
    {FactId::kBelowTarget, "below_target", v1::FACT_TYPE_NUMBER, Years::kNone,
     "metrics with a target whose value is below it"},
    {FactId::kClosedYears, "closed_years", v1::FACT_TYPE_NUMBER, Years::kNone,
     "years of the period that ended before the as-of year"},
    {FactId::kYearsNotDone, "years_not_done", v1::FACT_TYPE_NUMBER, Years::kNone,
     "evidence: due scheduled years in which nothing was done (a cancelled or negated action "
     "scoped to the year, or figures that are all 0)",
     true},
    {FactId::kYearsPartly, "years_partly", v1::FACT_TYPE_NUMBER, Years::kNone,
     "evidence: due scheduled years in which part was not done (part cancelled, a target "
     "missed, still at study or trial when implementation was due)",
     true},
    {FactId::kYearsDone, "years_done", v1::FACT_TYPE_NUMBER, Years::kNone,
     "evidence: due scheduled years fully done (an action reaching the planned phase, or "
     "figures that are not 0)",
     true},
    {FactId::kYearsUnevidenced, "years_unevidenced", v1::FACT_TYPE_NUMBER, Years::kNone,
     "evidence: due scheduled years no clause or figure speaks of (a period-wide clause "
     "without a year does not count)",
     true},
    {FactId::kYearsZero, "years_zero", v1::FACT_TYPE_NUMBER, Years::kNone,
     "evidence: due years whose figures (actuals, not targets) are all 0", true},
    {FactId::kYearsTargetMissed, "years_target_missed", v1::FACT_TYPE_NUMBER, Years::kNone,
     "evidence: due years with a target the actual figure missed (目標…に対し実績…, "
     "実績（目標…）) or a clause saying it was missed (目標を下回った, 目標に届かなかった)",
     true},
    {FactId::kYearsBelowPlan, "years_below_plan", v1::FACT_TYPE_NUMBER, Years::kNone,
     "evidence: due years whose achieved phase is below the planned one (still at study or "
     "trial when implementation was due)",
     true},
    {FactId::kPartsNotDone, "parts_not_done", v1::FACT_TYPE_NUMBER, Years::kNone,
     "evidence: clauses about the whole period saying a part was not done or done only in part",
     true},
    {FactId::kExtentShare, "extent_share", v1::FACT_TYPE_NUMBER, Years::kNone,
     "evidence: the lowest share of planned sub-activities done that a text states "
     "(6施設のうち4施設 → 0.667); 1 when none is stated",
     true},
    {FactId::kDoneEvidence, "done_evidence", v1::FACT_TYPE_NUMBER, Years::kNone,
     "evidence: pieces saying work was done (actions reaching a scheduled phase, figures "
     "that are not 0)",
     true},
    {FactId::kNothingDone, "nothing_done", v1::FACT_TYPE_BOOL, Years::kNone,
     "evidence: something says the work was not done (cancelled, abandoned, negated, 0 every "
     "year) and nothing says any of the schedule was done",
     true},
    {FactId::kEvidence, "evidence", v1::FACT_TYPE_STRING, Years::kNone,
     "evidence: the years and clauses that decide, as a person reads them "
     "(令和2年度: 中止（未実施）「…」／他の年度: 実施)",
     true},
};

// The rule language's words for the enum values of resources.proto: each value's name
// without the enum's prefix, in lower case (OUTCOME_STATUS_PARTLY_IMPLEMENTED →
// "partly_implemented"). Spelled out rather than taken from Phase_Name() and the like:
// protobuf-lite caches those names in strings that are lost when the plugin is unloaded.
// A value this build does not know is "unspecified", as the zero value.

// research consider trial implement; "none" for a year without a phase.
std::string PhaseName(v1::Phase phase) {
  switch (phase) {
    case v1::PHASE_RESEARCH:
      return "research";
    case v1::PHASE_CONSIDER:
      return "consider";
    case v1::PHASE_TRIAL:
      return "trial";
    case v1::PHASE_IMPLEMENT:
      return "implement";
    default:
      return "none";
  }
}

std::string StatusName(v1::OutcomeStatus status) {
  switch (status) {
    case v1::OUTCOME_STATUS_IMPLEMENTED:
      return "implemented";
    case v1::OUTCOME_STATUS_PARTLY_IMPLEMENTED:
      return "partly_implemented";
    case v1::OUTCOME_STATUS_NOT_IMPLEMENTED:
      return "not_implemented";
    case v1::OUTCOME_STATUS_IN_PROGRESS:
      return "in_progress";
    case v1::OUTCOME_STATUS_SCHEDULED:
      return "scheduled";
    case v1::OUTCOME_STATUS_UNKNOWN:
      return "unknown";
    default:
      return "unspecified";
  }
}

std::string KindName(v1::InitiativeKind kind) {
  switch (kind) {
    case v1::INITIATIVE_KIND_NEW:
      return "new";
    case v1::INITIATIVE_KIND_CONTINUING:
      return "continuing";
    default:
      return "unspecified";
  }
}

bool SaysSomething(const v1::Outcome& outcome) {
  return !absl::StripAsciiWhitespace(outcome.text()).empty() || outcome.metrics_size() > 0 ||
         outcome.status() != v1::OUTCOME_STATUS_UNSPECIFIED;
}

// The year's report was cut off at an as-of date or marked as still running.
bool IsOpenReport(const v1::Outcome& outcome) {
  return outcome.as_of().year() != 0 || outcome.status() == v1::OUTCOME_STATUS_IN_PROGRESS ||
         outcome.status() == v1::OUTCOME_STATUS_SCHEDULED;
}

size_t DistinctLabels(const v1::Outcome& outcome) {
  std::set<std::string> labels;
  for (const auto& m : outcome.metrics()) labels.insert(m.label());
  return labels.size();
}

std::string YearSource(int fiscal_year) {
  return fiscal_year == 0 ? "period" : absl::StrCat("fy", fiscal_year);
}

}  // namespace

absl::StatusOr<FactRef> ParseFactName(absl::string_view name) {
  absl::string_view base = name;
  absl::string_view suffix;
  bool has_suffix = false;
  if (size_t dot = name.find('.'); dot != absl::string_view::npos) {
    base = name.substr(0, dot);
    suffix = name.substr(dot + 1);
    has_suffix = true;
  }
  bool base_known = false;
  for (const FactDef& def : kFacts) {
    if (base != def.name) continue;
    base_known = true;
    if (!has_suffix) {
      if (def.years != Years::kNone) continue;  // e.g. "text" without suffix is kText
      FactRef ref;
      ref.id = def.id;
      ref.name = std::string(name);
      ref.type = def.type;
      ref.needs_lexicon = def.needs_lexicon;
      return ref;
    }
    if (def.years == Years::kNone) continue;
    FactRef ref;
    ref.id = def.id;
    ref.name = std::string(name);
    ref.type = def.type;
    int year = 0;
    if (suffix == "first") {
      ref.year = YearSelector::kFirst;
    } else if (suffix == "last") {
      ref.year = YearSelector::kLast;
    } else if (suffix == "current") {
      ref.year = YearSelector::kCurrent;
    } else if (suffix == "period" && def.years == Years::kYearsOrPeriod) {
      ref.year = YearSelector::kPeriod;
    } else if (absl::StartsWith(suffix, "fy") && suffix.size() == 6 &&
               absl::SimpleAtoi(suffix.substr(2), &year) && year >= 1900 && year <= 2999) {
      ref.year = YearSelector::kFiscalYear;
      ref.fiscal_year = year;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("fact \"", name, "\" has an unknown year \"", suffix,
                       "\" (use fyYYYY, first, last, current",
                       def.years == Years::kYearsOrPeriod ? " or period)" : ")"));
    }
    return ref;
  }
  if (!base_known) return absl::InvalidArgumentError(absl::StrCat("unknown fact \"", name, "\""));
  if (has_suffix) {
    return absl::InvalidArgumentError(
        absl::StrCat("fact \"", base, "\" takes no year (\"", name, "\")"));
  }
  return absl::InvalidArgumentError(absl::StrCat("fact \"", name, "\" needs a year, e.g. \"", name,
                                                 ".fy2019\" or \"", name, ".last\""));
}

std::vector<v1::FactInfo> FactCatalog() {
  std::vector<v1::FactInfo> out;
  for (const FactDef& def : kFacts) {
    v1::FactInfo info;
    switch (def.years) {
      case Years::kNone:
        info.set_name(def.name);
        break;
      case Years::kYears:
        info.set_name(absl::StrCat(def.name, ".{fyYYYY|first|last|current}"));
        break;
      case Years::kYearsOrPeriod:
        info.set_name(absl::StrCat(def.name, ".{fyYYYY|first|last|current|period}"));
        break;
    }
    info.set_type(def.type);
    info.set_description(def.description);
    out.push_back(std::move(info));
  }
  return out;
}

EvaluationContext EvaluationContext::From(const v1::EvaluateRequest& request) {
  EvaluationContext c;
  c.first_year = request.period().first_fiscal_year();
  c.last_year = request.period().last_fiscal_year();
  const v1::Date& d = request.as_of();
  if (d.year() != 0)
    c.as_of_year = d.month() >= 4 ? d.year() : d.year() - 1;  // April starts a fiscal year
  return c;
}

bool EvaluationContext::IsClosed(int fiscal_year) const {
  if (fiscal_year < first_year || fiscal_year > last_year) return false;
  return as_of_year == 0 || fiscal_year < as_of_year;
}

int EvaluationContext::Resolve(YearSelector selector, int fiscal_year) const {
  switch (selector) {
    case YearSelector::kFiscalYear:
      return fiscal_year;
    case YearSelector::kFirst:
      return first_year;
    case YearSelector::kLast:
      return last_year;
    case YearSelector::kCurrent:
      return as_of_year != 0 ? std::min(as_of_year, last_year) : last_year;
    default:
      return 0;
  }
}

InitiativeFacts::InitiativeFacts(const EvaluationContext& context,
                                 const v1::EvaluationSubject& subject, const Assessment* assessment,
                                 const Lexicon* lexicon)
    : context_(context), subject_(subject), assessment_(assessment), lexicon_(lexicon) {
  for (const auto& entry : subject.initiative().schedule()) {
    phase_by_year_[entry.fiscal_year()] = entry.phase();
  }
  std::map<int, const v1::Outcome*> with_metrics;
  for (const auto& outcome : subject.outcomes()) {
    if (!SaysSomething(outcome)) continue;
    ++outcomes_;
    if (outcome.fiscal_year() == 0) {
      period_outcome_ = &outcome;
    } else {
      outcome_by_year_[outcome.fiscal_year()] = &outcome;
      if (outcome.metrics_size() > 0) with_metrics[outcome.fiscal_year()] = &outcome;
    }
    for (const auto& m : outcome.metrics()) {
      ++metrics_;
      if (m.value() == 0) {
        ++zero_metrics_;
      } else {
        ++nonzero_metrics_;
      }
      if (m.has_target() && m.value() < m.target()) ++below_target_;
    }
  }

  // Year-by-year trends, over closed years whose report is complete.
  auto complete = [&](int year) -> const v1::Outcome* {
    auto it = outcome_by_year_.find(year);
    if (it == outcome_by_year_.end() || IsOpenReport(*it->second)) return nullptr;
    return it->second;
  };
  for (int year = context.first_year; year <= context.last_year; ++year) {
    if (!context.IsClosed(year)) continue;
    ++closed_years_;
    auto it = outcome_by_year_.find(year);
    const v1::Outcome* outcome = it == outcome_by_year_.end() ? nullptr : it->second;
    if (outcome != nullptr && IsOpenReport(*outcome)) continue;
    const int n = outcome == nullptr ? 0 : outcome->metrics_size();
    if (n > 0) {
      int zeros = 0;
      for (const auto& m : outcome->metrics()) zeros += m.value() == 0 ? 1 : 0;
      if (zeros > 0 && zeros < n) ++years_partly_zero_;
      if (zeros == n) ++years_all_zero_;
    }
    bool due = true;
    if (!phase_by_year_.empty()) {
      auto phase = phase_by_year_.find(year);
      due = phase != phase_by_year_.end() &&
            (phase->second == v1::PHASE_IMPLEMENT || phase->second == v1::PHASE_TRIAL);
    }
    const bool others_have_metrics =
        !with_metrics.empty() && !(with_metrics.size() == 1 && with_metrics.count(year) == 1);
    if (due && n == 0 && others_have_metrics) ++years_missing_metrics_;
    if (outcome != nullptr && context.IsClosed(year - 1)) {
      const v1::Outcome* before = complete(year - 1);
      if (before != nullptr && DistinctLabels(*outcome) < DistinctLabels(*before))
        ++years_fewer_labels_;
    }
  }
}

const v1::Outcome* InitiativeFacts::OutcomeOf(const FactRef& fact) const {
  if (fact.year == YearSelector::kPeriod) return period_outcome_;
  auto it = outcome_by_year_.find(context_.Resolve(fact.year, fact.fiscal_year));
  return it == outcome_by_year_.end() ? nullptr : it->second;
}

bool InitiativeFacts::GetBool(const FactRef& fact) const {
  switch (fact.id) {
    case FactId::kRelisted:
      return !subject_.initiative().relists().empty();
    case FactId::kPeriodOutcome:
      return period_outcome_ != nullptr;
    case FactId::kNothingDone:
      return assessment_ != nullptr && assessment_->nothing_done;
    default:
      return false;
  }
}

double InitiativeFacts::GetNumber(const FactRef& fact) const {
  switch (fact.id) {
    case FactId::kScheduledYears:
      return static_cast<double>(phase_by_year_.size());
    case FactId::kImplementYears:
    case FactId::kImplementYearsDue: {
      int n = 0;
      for (const auto& [year, phase] : phase_by_year_) {
        if (phase != v1::PHASE_IMPLEMENT) continue;
        if (fact.id == FactId::kImplementYearsDue && context_.as_of_year != 0 &&
            year > context_.as_of_year) {
          continue;
        }
        ++n;
      }
      return n;
    }
    case FactId::kFirstImplementYear:
      for (const auto& [year, phase] : phase_by_year_) {
        if (phase == v1::PHASE_IMPLEMENT) return year;
      }
      return 0;
    case FactId::kOutcomes:
      return outcomes_;
    case FactId::kYearsReported:
      return static_cast<double>(outcome_by_year_.size());
    case FactId::kMetrics:
      return metrics_;
    case FactId::kMetricsOf: {
      const v1::Outcome* o = OutcomeOf(fact);
      return o == nullptr ? 0 : o->metrics_size();
    }
    case FactId::kNonzeroMetrics:
      return nonzero_metrics_;
    case FactId::kZeroMetrics:
      return zero_metrics_;
    case FactId::kYearsPartlyZero:
      return years_partly_zero_;
    case FactId::kYearsAllZero:
      return years_all_zero_;
    case FactId::kYearsMissingMetrics:
      return years_missing_metrics_;
    case FactId::kYearsFewerLabels:
      return years_fewer_labels_;
    case FactId::kBelowTarget:
      return below_target_;
    case FactId::kClosedYears:
      return closed_years_;
    default:
      return EvidenceNumber(fact.id);
  }
}

double InitiativeFacts::EvidenceNumber(FactId id) const {
  if (assessment_ == nullptr) return id == FactId::kExtentShare ? 1 : 0;
  const Assessment& a = *assessment_;
  switch (id) {
    case FactId::kYearsNotDone:
      return a.years_not_done;
    case FactId::kYearsPartly:
      return a.years_partly;
    case FactId::kYearsDone:
      return a.years_done;
    case FactId::kYearsUnevidenced:
      return a.years_unevidenced;
    case FactId::kYearsZero:
      return a.years_zero;
    case FactId::kYearsTargetMissed:
      return a.years_target_missed;
    case FactId::kYearsBelowPlan:
      return a.years_below_plan;
    case FactId::kPartsNotDone:
      return a.parts_not_done;
    case FactId::kExtentShare:
      return a.extent_share;
    case FactId::kDoneEvidence:
      return a.done_evidence;
    default:
      return 0;
  }
}

std::string InitiativeFacts::GetString(const FactRef& fact) const {
  switch (fact.id) {
    case FactId::kKind:
      return KindName(subject_.initiative().kind());
    case FactId::kPhase: {
      auto it = phase_by_year_.find(context_.Resolve(fact.year, fact.fiscal_year));
      return it == phase_by_year_.end() ? "none" : PhaseName(it->second);
    }
    case FactId::kFinalPhase:
      return phase_by_year_.empty() ? "none" : PhaseName(phase_by_year_.rbegin()->second);
    case FactId::kStatus: {
      const v1::Outcome* o = OutcomeOf(fact);
      return o == nullptr ? "none" : StatusName(o->status());
    }
    case FactId::kEvidence:
      return assessment_ == nullptr || lexicon_ == nullptr ? "" : assessment_->Render(*lexicon_);
    default:
      return "";
  }
}

std::vector<std::string> InitiativeFacts::GetSet(const FactRef& fact) const {
  std::set<std::string> out;
  switch (fact.id) {
    case FactId::kMarkers:
      for (const auto& m : subject_.markers()) out.insert(m);
      break;
    case FactId::kPhases:
      for (const auto& [year, phase] : phase_by_year_) out.insert(PhaseName(phase));
      break;
    case FactId::kStatuses:
      for (const auto& o : subject_.outcomes()) {
        if (o.status() != v1::OUTCOME_STATUS_UNSPECIFIED) out.insert(StatusName(o.status()));
      }
      break;
    default:
      break;
  }
  return {out.begin(), out.end()};
}

std::vector<TextPiece> InitiativeFacts::GetText(const FactRef& fact) const {
  std::vector<TextPiece> out;
  if (fact.id == FactId::kTextOf) {
    const v1::Outcome* o = OutcomeOf(fact);
    if (o != nullptr && !o->text().empty())
      out.push_back({YearSource(o->fiscal_year()), o->text()});
    return out;
  }
  for (const auto& o : subject_.outcomes()) {
    if (!o.text().empty()) out.push_back({YearSource(o.fiscal_year()), o.text()});
  }
  return out;
}

std::string InitiativeFacts::Render(const FactRef& fact) const {
  switch (fact.type) {
    case v1::FACT_TYPE_BOOL:
      return GetBool(fact) ? "true" : "false";
    case v1::FACT_TYPE_NUMBER:
      return absl::StrCat(GetNumber(fact));
    case v1::FACT_TYPE_STRING:
      return GetString(fact);
    case v1::FACT_TYPE_SET:
      return absl::StrJoin(GetSet(fact), ", ");
    case v1::FACT_TYPE_TEXT: {
      std::vector<std::string> parts;
      for (const auto& piece : GetText(fact))
        parts.push_back(absl::StrCat(piece.source, ": ", piece.text));
      return absl::StrJoin(parts, " / ");
    }
    default:
      return "";
  }
}

}  // namespace torikumi::rules
