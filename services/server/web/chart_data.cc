#include "services/server/web/chart_data.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/table_words.h"
#include "services/table/layout.h"

namespace torikumi::server::web {

namespace {

constexpr char kNoHumanGrade[] = "未評価";
constexpr char kInsufficient[] = "データ不足";
constexpr char kNotComputed[] = "未算出";
constexpr char kNoOutcome[] = "記載なし";
constexpr char kReported[] = "記載あり";
constexpr char kPeriodOnly[] = "期間の記載のみ";

size_t IndexOf(const std::vector<std::string>& labels, absl::string_view label) {
  return std::find(labels.begin(), labels.end(), label) - labels.begin();
}

std::vector<std::string> ScaleCodes(const v1::Plan& plan) {
  std::vector<std::string> codes;
  for (const v1::Grade& grade : plan.rating_scale().grades()) codes.push_back(grade.code());
  return codes;
}

// The plan's areas in order, then any area a row names that the plan does not list.
std::vector<std::string> AreasOf(const PlanView& view) {
  std::vector<std::string> areas(view.plan.areas().begin(), view.plan.areas().end());
  for (const v1::TableInitiative& row : view.rows) {
    if (IndexOf(areas, row.initiative().area()) == areas.size()) {
      areas.push_back(row.initiative().area());
    }
  }
  return areas;
}

// Counts each row's label (from `label_of`) in its area's bar; a label outside `series`
// counts as the last series.
template <typename LabelOf>
StackedBarChart ByArea(const PlanView& view, std::vector<std::string> series, LabelOf label_of) {
  StackedBarChart chart;
  chart.category_heading = "分野";
  chart.categories = AreasOf(view);
  chart.series = std::move(series);
  chart.counts.assign(chart.categories.size(), std::vector<int>(chart.series.size(), 0));
  for (const v1::TableInitiative& row : view.rows) {
    const size_t area = IndexOf(chart.categories, row.initiative().area());
    const size_t s = std::min(IndexOf(chart.series, label_of(row)), chart.series.size() - 1);
    ++chart.counts[area][s];
  }
  return chart;
}

// What the outcome of `year` says was achieved: 実施 一部実施 未実施 by its status, the
// table's own words (実施中 今後実施予定), else whether the year has an outcome text at all.
std::string AchievedIn(const v1::TableInitiative& row, int year) {
  bool period_outcome = false;
  for (const v1::Outcome& outcome : row.outcomes()) {
    if (outcome.fiscal_year() == 0 && !outcome.text().empty()) period_outcome = true;
    if (outcome.fiscal_year() != year) continue;
    switch (outcome.status()) {
      case v1::OUTCOME_STATUS_IMPLEMENTED:
        return "実施";
      case v1::OUTCOME_STATUS_PARTLY_IMPLEMENTED:
        return "一部実施";
      case v1::OUTCOME_STATUS_NOT_IMPLEMENTED:
        return "未実施";
      case v1::OUTCOME_STATUS_IN_PROGRESS:
      case v1::OUTCOME_STATUS_SCHEDULED:
        return std::string(StatusWord(outcome.status()));
      default:
        if (!outcome.text().empty()) return kReported;
    }
  }
  return period_outcome ? kPeriodOnly : kNoOutcome;
}

}  // namespace

StackedBarChart HumanGradesByArea(const PlanView& view) {
  std::vector<std::string> series = ScaleCodes(view.plan);
  series.push_back(kNoHumanGrade);
  StackedBarChart chart = ByArea(view, series, [](const v1::TableInitiative& row) {
    return row.initiative().human_rating().grade();
  });
  chart.coloured_series = series.size() - 1;
  chart.title = "分野別の評価（人による評価）";
  chart.description = "分野ごとに、評価の件数を積み上げた横棒グラフ。数値は下の表と同じ。";
  return chart;
}

StackedBarChart ComputedGradesByArea(const PlanView& view) {
  std::vector<std::string> series = ScaleCodes(view.plan);
  series.push_back(kInsufficient);
  series.push_back(kNotComputed);
  StackedBarChart chart = ByArea(view, series, [&view](const v1::TableInitiative& row) {
    const v1::ComputedRating* latest = view.Latest(row.initiative().name());
    return latest == nullptr ? std::string(kNotComputed) : ComputedGradeText(*latest);
  });
  chart.coloured_series = series.size() - 2;
  chart.title = "分野別の算出評価";
  chart.description = "分野ごとに、算出した評価の件数を積み上げた横棒グラフ。数値は下の表と同じ。";
  return chart;
}

HeatMap HumanAgainstComputed(const PlanView& view) {
  HeatMap map;
  map.title = "評価の突き合わせ（人 × 算出）";
  map.description =
      "行が人による評価、列が算出した評価。対角線上のマスが一致、それ以外が不一致の件数。";
  map.row_heading = "人";
  map.column_heading = "算出";
  map.rows = ScaleCodes(view.plan);
  map.columns = ScaleCodes(view.plan);
  map.columns.push_back(kInsufficient);
  map.counts.assign(map.rows.size(), std::vector<int>(map.columns.size(), 0));
  for (const v1::ConfusionCell& cell : view.compare.confusion()) {
    const size_t r = IndexOf(map.rows, cell.human());
    const size_t c =
        IndexOf(map.columns, cell.computed() == "insufficient" ? kInsufficient : cell.computed());
    if (r < map.rows.size() && c < map.columns.size()) map.counts[r][c] += cell.count();
  }
  return map;
}

StackedBarChart PlannedAgainstAchieved(const PlanView& view) {
  StackedBarChart chart;
  chart.title = "年度別の計画と取組状況";
  chart.description =
      "年度ごとに、スケジュールで段階（研究・検討・試行・実施）を予定した取組の数を、その年度の"
      "取組状況で分けた横棒グラフ。状況の区分がない記載は「記載あり」、年度別でなく計画期間"
      "全体の記載だけの取組は「期間の記載のみ」。";
  chart.category_heading = "年度";
  chart.series = {"実施",
                  "一部実施",
                  "未実施",
                  std::string(StatusWord(v1::OUTCOME_STATUS_IN_PROGRESS)),
                  std::string(StatusWord(v1::OUTCOME_STATUS_SCHEDULED)),
                  kReported,
                  kPeriodOnly,
                  kNoOutcome};
  chart.coloured_series = 6;  // 期間の記載のみ and 記載なし in grey
  const v1::TableLayout layout = table::EffectiveLayout(view.plan.table_layout());
  for (int year = view.plan.period().first_fiscal_year();
       year <= view.plan.period().last_fiscal_year(); ++year) {
    chart.categories.push_back(table::YearLabel(layout, year, /*outcome=*/false));
    std::vector<int> counts(chart.series.size(), 0);
    for (const v1::TableInitiative& row : view.rows) {
      const auto& schedule = row.initiative().schedule();
      const bool planned = std::any_of(schedule.begin(), schedule.end(), [&](const auto& entry) {
        return entry.fiscal_year() == year && entry.phase() != v1::PHASE_UNSPECIFIED;
      });
      if (!planned) continue;
      const std::string achieved = AchievedIn(row, year);
      ++counts[std::min(IndexOf(chart.series, achieved), chart.series.size() - 1)];
    }
    chart.counts.push_back(std::move(counts));
  }
  return chart;
}

}  // namespace torikumi::server::web
