#include "services/server/web/plans_page.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/server/web/html.h"
#include "services/server/web/layout.h"
#include "services/table/layout.h"

namespace torikumi::server::web {

namespace {

std::string PeriodText(const v1::Plan& plan) {
  const v1::TableLayout layout = table::EffectiveLayout(plan.table_layout());
  return absl::StrCat(table::YearLabel(layout, plan.period().first_fiscal_year(), false), "～",
                      table::YearLabel(layout, plan.period().last_fiscal_year(), false));
}

// "A 40 / B 20 / C 4 / 未評価 2", by the plan's scale.
std::string GradeCounts(const v1::Plan& plan, const std::vector<v1::Initiative>& initiatives) {
  std::vector<std::string> parts;
  int rated = 0;
  for (const v1::Grade& grade : plan.rating_scale().grades()) {
    int count = 0;
    for (const v1::Initiative& i : initiatives) count += i.human_rating().grade() == grade.code();
    rated += count;
    parts.push_back(absl::StrCat(Escape(grade.code()), " ", count));
  }
  parts.push_back(absl::StrCat("未評価 ", initiatives.size() - rated));
  return absl::StrJoin(parts, " / ");
}

}  // namespace

std::string RenderOrganizations(const std::vector<v1::Organization>& organizations) {
  std::string html = "<ul class=\"organizations\">";
  for (const v1::Organization& organization : organizations) {
    absl::StrAppend(&html, "<li><a href=\"", Escape(WebPath(organization.name())), "\">",
                    Escape(organization.display_name().empty() ? organization.name()
                                                               : organization.display_name()),
                    "</a></li>");
  }
  if (organizations.empty()) absl::StrAppend(&html, "<li>組織がありません</li>");
  return absl::StrCat(html, "</ul>");
}

std::string RenderPlans(const std::string& organization_name, const std::vector<v1::Plan>& plans,
                        const std::vector<std::vector<v1::Initiative>>& initiatives) {
  std::string html = absl::StrCat(
      "<p class=\"no-print\"><a href=\"", Escape(WebPath(organization_name)),
      "/import\">表を取り込む</a></p><table class=\"plans\"><thead><tr>"
      "<th scope=\"col\">計画</th><th scope=\"col\">期間</th><th scope=\"col\">分野</th>"
      "<th scope=\"col\">取組数</th><th scope=\"col\">評価の件数</th></tr></thead><tbody>");
  for (size_t p = 0; p < plans.size(); ++p) {
    const v1::Plan& plan = plans[p];
    std::vector<std::string> areas;
    for (const std::string& area : plan.areas()) areas.push_back(Escape(area));
    absl::StrAppend(&html, "<tr data-plan=\"", Escape(plan.name()), "\"><td><a href=\"",
                    Escape(WebPath(plan.name())), "\">",
                    Escape(plan.title().empty() ? plan.name() : plan.title()), "</a></td><td>",
                    Escape(PeriodText(plan)), "</td><td>", absl::StrJoin(areas, "、"), "</td><td>",
                    initiatives[p].size(), "</td><td>", GradeCounts(plan, initiatives[p]),
                    "</td></tr>");
  }
  if (plans.empty()) absl::StrAppend(&html, "<tr><td colspan=\"5\">計画がありません</td></tr>");
  return absl::StrCat(html, "</tbody></table>");
}

}  // namespace torikumi::server::web
