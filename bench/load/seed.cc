#include "bench/load/seed.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "services/store/postgres/postgres_store.h"
#include "services/store/sqlite/sqlite_store.h"

namespace torikumi::bench {
namespace {

const char* const kTitles[] = {
    "階層別研修の実施",           "ストレスチェックの実施", "メンター制度の導入",
    "時差勤務制度の検討",         "人事評価制度の運用",     "職場巡視による安全衛生の向上",
    "修学部分休業制度の導入検討", "民間企業等への職員派遣", "業務平準化の推進",
    "研修ニーズの把握",           "健康相談の実施",         "女性職員の活躍推進",
};
const char* const kTexts[] = {
    "各研修の終了後にアンケートを実施し、職員の研修ニーズの把握に努めた。",
    "全職員に対しストレスチェックを実施し、健康管理医による面談を実施した。",
    "安全衛生委員会による職場巡視を実施し、改善点について対応を行った。",
    "令和2年度より時差勤務を試行しており、その課題等について検討を進めた。",
    "受入れ手法の拡大について検討を行っているが、拡大には至っていない。",
};
const char* const kAreas[] = {"職員研修", "組織文化", "働きやすい環境"};

v1::Initiative MakeInitiative(int index) {
  v1::Initiative initiative;
  initiative.set_area(kAreas[index % std::size(kAreas)]);
  initiative.set_number(index / static_cast<int>(std::size(kAreas)) + 1);
  initiative.set_theme("人材育成");
  initiative.set_title(absl::StrCat(kTitles[index % std::size(kTitles)], "（", index, "）"));
  initiative.set_kind(index % 3 == 0 ? v1::INITIATIVE_KIND_NEW : v1::INITIATIVE_KIND_CONTINUING);
  for (int year = kFirstYear; year <= kLastYear; ++year) {
    v1::ScheduleEntry* entry = initiative.add_schedule();
    entry->set_fiscal_year(year);
    entry->set_phase(year > kFirstYear + index % 2 ? v1::PHASE_IMPLEMENT : v1::PHASE_CONSIDER);
  }
  return initiative;
}

v1::Plan MakePlan(const std::string& name, const std::string& rule_set) {
  v1::Plan plan;
  plan.set_name(name);
  plan.set_title("人材育成推進プラン（負荷試験）");
  plan.mutable_period()->set_first_fiscal_year(kFirstYear);
  plan.mutable_period()->set_last_fiscal_year(kLastYear);
  for (const char* area : kAreas) plan.add_areas(area);
  for (const char* code : {"A", "B", "C"})
    plan.mutable_rating_scale()->add_grades()->set_code(code);
  plan.set_rule_set(rule_set);
  return plan;
}

// The evaluator's view of one seeded initiative, as the ratings domain builds it.
void AddSubject(const v1::Initiative& initiative, const std::vector<v1::Outcome>& outcomes,
                v1::EvaluateRequest* request) {
  v1::EvaluationSubject* subject = request->add_subjects();
  *subject->mutable_initiative() = initiative;
  for (const v1::Outcome& outcome : outcomes) *subject->add_outcomes() = outcome;
}

}  // namespace

const std::vector<std::string>& SearchTerms() {
  static const std::vector<std::string>* const kTerms =
      new std::vector<std::string>{"ストレスチェック", "メンター", "時差勤務",  "職場巡視",
                                   "研修ニーズ",       "民間企業", "面談を実施"};
  return *kTerms;
}

v1::Outcome MakeOutcome(const std::string& initiative, int fiscal_year, int variant) {
  v1::Outcome outcome;
  outcome.set_name(absl::StrCat(initiative, "/outcomes/fy", fiscal_year));
  outcome.set_fiscal_year(fiscal_year);
  outcome.set_text(kTexts[variant % std::size(kTexts)]);
  outcome.set_status(variant % 7 == 0 ? v1::OUTCOME_STATUS_PARTLY_IMPLEMENTED
                                      : v1::OUTCOME_STATUS_IMPLEMENTED);
  v1::Metric* metric = outcome.add_metrics();
  metric->set_label("庁内");
  metric->set_value(100 + variant % 400);
  metric->set_unit("人");
  return outcome;
}

absl::StatusOr<Seeded> SeedDatabase(const SeedOptions& options) {
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::IsPostgresUri(options.db_path) ? store::OpenPostgresStore(options.db_path)
                                            : store::OpenSqliteStore(options.db_path);
  if (!store.ok()) return store.status();
  v1::Organization organization;
  organization.set_name(kSeedOrganization);
  organization.set_display_name("負荷試験市");
  if (auto made = (*store)->CreateOrganization(organization, ""); !made.ok()) return made.status();
  v1::RuleSet rule_set;
  rule_set.set_name(absl::StrCat(kSeedOrganization, "/ruleSets/abc"));
  rule_set.set_evaluator("rules");
  rule_set.set_body(options.rule_set_body);
  if (auto made = (*store)->CreateRuleSetVersion(rule_set); !made.ok()) return made.status();

  Seeded seeded;
  for (int p = 0; p < options.plans; ++p) {
    store::PlanImport import;
    import.plan = MakePlan(absl::StrCat(kSeedOrganization, "/plans/p", p), rule_set.name());
    for (int i = 0; i < options.initiatives_per_plan; ++i) {
      store::InitiativeImport& item = import.initiatives.emplace_back();
      item.initiative = MakeInitiative(i);
      item.new_id = absl::StrCat("i", i);
      const std::string name = absl::StrCat(import.plan.name(), "/initiatives/", item.new_id);
      for (int year = kFirstYear; year <= kLastYear; ++year) {
        item.outcomes.push_back(MakeOutcome(name, year, i + year));
        seeded.data_bytes += item.outcomes.back().ByteSizeLong();
      }
      seeded.data_bytes += item.initiative.ByteSizeLong();
      if (p == 0) {
        seeded.first_plan_initiatives.push_back(name);
        v1::Initiative named = item.initiative;
        named.set_name(name);
        AddSubject(named, item.outcomes, &seeded.first_plan_request);
      }
    }
    absl::StatusOr<store::ImportResult> imported = (*store)->ImportPlan(import);
    if (!imported.ok()) return imported.status();
    seeded.plans.push_back(import.plan.name());
    seeded.initiatives += options.initiatives_per_plan;
    if (p == 0) {
      v1::EvaluateRequest& request = seeded.first_plan_request;
      *request.mutable_rating_scale() = import.plan.rating_scale();
      *request.mutable_period() = import.plan.period();
      request.set_rule_set_body(options.rule_set_body);
    }
  }
  return seeded;
}

}  // namespace torikumi::bench
