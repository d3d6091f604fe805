#include "services/server/web/pictures_page.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/server/web/chart_data.h"
#include "services/server/web/html.h"
#include "services/server/web/layout.h"

namespace torikumi::server::web {

namespace {

std::string Agreement(const v1::CompareRatingsResponse& compare) {
  return absl::StrCat("<p>人と算出の両方の評価がある取組 <span class=\"count\">",
                      compare.compared(), "</span> 件のうち一致 <span class=\"count\">",
                      compare.agreed(), "</span> 件（",
                      absl::StrFormat("%.0f", compare.agreement() * 100), "%）。未算出 ",
                      compare.not_computed(), " 件。</p>");
}

// Initiatives with (nearly) the same outcome text but different human grades.
std::string Findings(const v1::CompareRatingsResponse& compare) {
  std::string html = "<section id=\"consistency\"><h2>評価の整合性</h2>";
  if (compare.inconsistencies().empty()) {
    return absl::StrCat(html, "<p>同じ取組状況に異なる評価を付けた例はありません。</p></section>");
  }
  absl::StrAppend(&html,
                  "<p>取組状況の記載がほぼ同じなのに、人による評価が異なる取組です。</p>"
                  "<table class=\"findings\"><thead><tr><th scope=\"col\">取組</th>"
                  "<th scope=\"col\">評価</th><th scope=\"col\">類似度</th>"
                  "<th scope=\"col\">取組状況</th></tr></thead><tbody>");
  for (const v1::ConsistencyFinding& finding : compare.inconsistencies()) {
    std::string titles;
    std::string grades;
    for (int i = 0; i < finding.titles_size(); ++i) {
      absl::StrAppend(&titles, i > 0 ? "<br>" : "", Escape(finding.titles(i)));
      if (i < finding.human_grades_size()) {
        absl::StrAppend(&grades, i > 0 ? "<br>" : "", Escape(finding.human_grades(i)));
      }
    }
    absl::StrAppend(&html, "<tr><td>", titles, "</td><td>", grades, "</td><td>",
                    absl::StrFormat("%.2f", finding.similarity()), "</td><td>",
                    Escape(finding.evidence()), "</td></tr>");
  }
  return absl::StrCat(html, "</tbody></table></section>");
}

// Each area's label leads to the table filtered to that area.
StackedBarChart LinkedToTable(const PlanView& view, StackedBarChart chart) {
  for (const std::string& area : chart.categories) {
    chart.category_links.push_back(
        absl::StrCat(WebPath(view.plan.name()), "?area=", UrlEncode(area)));
  }
  return chart;
}

}  // namespace

std::string RenderPictures(const PlanView& view) {
  return absl::StrCat(
      "<p class=\"no-print\"><a href=\"", Escape(WebPath(view.plan.name())), "\">表に戻る</a></p>",
      Agreement(view.compare),
      RenderStackedBars(LinkedToTable(view, HumanGradesByArea(view)), "grades-by-area"),
      RenderStackedBars(LinkedToTable(view, ComputedGradesByArea(view)), "computed-by-area"),
      RenderHeatMap(HumanAgainstComputed(view), "confusion"),
      RenderStackedBars(PlannedAgainstAchieved(view), "planned-achieved"), Findings(view.compare));
}

}  // namespace torikumi::server::web
