// The facts the `rules` evaluator derives from an initiative, and their names.
//
// A rule tests facts by name ("implement_years", "phase.fy2019", "text"). The catalog
// below is the whole vocabulary: names outside it are refused when a rule set is
// validated or created. No cue phrase of any language lives in this code: rule sets bring
// them (see rulesets/abc-implementation.textproto).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "assessment.h"
#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::rules {

enum class FactId {
  kKind,
  kMarkers,
  kRelisted,
  kPhase,  // per year
  kPhases,
  kScheduledYears,
  kImplementYears,
  kImplementYearsDue,
  kFirstImplementYear,
  kFinalPhase,
  kOutcomes,
  kPeriodOutcome,
  kYearsReported,
  kStatus,  // per year, or "period"
  kStatuses,
  kText,
  kTextOf,  // per year, or "period"
  kMetrics,
  kMetricsOf,  // per year
  kNonzeroMetrics,
  kZeroMetrics,
  kYearsPartlyZero,
  kYearsAllZero,
  kYearsMissingMetrics,
  kYearsFewerLabels,
  kBelowTarget,
  kClosedYears,
  // Evidence facts: read from outcome texts with the rule set's lexicon (assessment.h).
  kYearsNotDone,
  kYearsPartly,
  kYearsDone,
  kYearsUnevidenced,
  kYearsZero,
  kYearsTargetMissed,
  kYearsBelowPlan,
  kPartsNotDone,
  kExtentShare,
  kDoneEvidence,
  kNothingDone,
  kEvidence,
};

// Which year a per-year fact speaks of.
enum class YearSelector {
  kNone,        // not a per-year fact
  kFiscalYear,  // ".fy2019"
  kFirst,       // ".first": first fiscal year of the period
  kLast,        // ".last": last fiscal year of the period
  kCurrent,     // ".current": the fiscal year containing as_of (else the last year)
  kPeriod,      // ".period": the outcome covering the whole period (status, text only)
};

// A parsed fact name.
struct FactRef {
  FactId id = FactId::kKind;
  YearSelector year = YearSelector::kNone;
  int fiscal_year = 0;  // for kFiscalYear
  std::string name;     // as written, e.g. "phase.fy2019"
  torikumi::v1::FactType type = torikumi::v1::FACT_TYPE_UNSPECIFIED;
  bool needs_lexicon = false;  // an evidence fact
};

// Parses a fact name; the error says what is unknown or malformed.
absl::StatusOr<FactRef> ParseFactName(absl::string_view name);

// The catalog, for describe(): one entry per fact or per-year family.
std::vector<torikumi::v1::FactInfo> FactCatalog();

// The plan-level context of one request: period and the as-of date.
struct EvaluationContext {
  int first_year = 0;
  int last_year = 0;
  // The fiscal year containing as_of; years before it are closed. 0: all years closed.
  int as_of_year = 0;

  static EvaluationContext From(const torikumi::v1::EvaluateRequest& request);
  // True for a year of the period that has ended by the as-of date.
  bool IsClosed(int fiscal_year) const;
  int Resolve(YearSelector selector, int fiscal_year) const;
};

// A piece of outcome text and where it came from ("fy2019" or "period").
struct TextPiece {
  std::string source;
  absl::string_view text;
};

// Every fact of one initiative, computed once per evaluation. Holds views into the
// subject, which must outlive it.
class InitiativeFacts {
 public:
  // `assessment` and `lexicon` (both may be null: no lexicon, no evidence facts) must
  // outlive the facts too.
  InitiativeFacts(const EvaluationContext& context, const torikumi::v1::EvaluationSubject& subject,
                  const Assessment* assessment = nullptr, const Lexicon* lexicon = nullptr);

  bool GetBool(const FactRef& fact) const;
  double GetNumber(const FactRef& fact) const;
  std::string GetString(const FactRef& fact) const;
  std::vector<std::string> GetSet(const FactRef& fact) const;
  std::vector<TextPiece> GetText(const FactRef& fact) const;
  // The value as a person reads it, whatever the type (texts are joined).
  std::string Render(const FactRef& fact) const;

 private:
  const torikumi::v1::Outcome* OutcomeOf(const FactRef& fact) const;
  double EvidenceNumber(FactId id) const;

  const EvaluationContext& context_;
  const torikumi::v1::EvaluationSubject& subject_;
  const Assessment* assessment_;
  const Lexicon* lexicon_;
  std::map<int, torikumi::v1::Phase> phase_by_year_;
  std::map<int, const torikumi::v1::Outcome*> outcome_by_year_;
  const torikumi::v1::Outcome* period_outcome_ = nullptr;
  int outcomes_ = 0;
  int metrics_ = 0;
  int nonzero_metrics_ = 0;
  int zero_metrics_ = 0;
  int below_target_ = 0;
  int years_partly_zero_ = 0;
  int years_all_zero_ = 0;
  int years_missing_metrics_ = 0;
  int years_fewer_labels_ = 0;
  int closed_years_ = 0;
};

}  // namespace torikumi::rules
