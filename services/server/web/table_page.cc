#include "services/server/web/table_page.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/table_words.h"
#include "services/server/web/explain_panel.h"
#include "services/server/web/html.h"
#include "services/server/web/layout.h"
#include "services/server/web/round_page.h"
#include "services/table/layout.h"

namespace torikumi::server::web {

namespace {

std::string ValueOf(const std::multimap<std::string, std::string>& query, const char* name) {
  auto found = query.find(name);
  return found == query.end() ? "" : found->second;
}

bool HasText(const v1::TableInitiative& row, absl::string_view text) {
  const v1::Initiative& i = row.initiative();
  if (absl::StrContains(i.theme(), text) || absl::StrContains(i.subtheme(), text) ||
      absl::StrContains(i.title(), text)) {
    return true;
  }
  return std::any_of(row.outcomes().begin(), row.outcomes().end(),
                     [&](const v1::Outcome& o) { return absl::StrContains(o.text(), text); });
}

bool InYear(const v1::TableInitiative& row, int year) {
  for (const v1::ScheduleEntry& entry : row.initiative().schedule()) {
    if (entry.fiscal_year() == year && entry.phase() != v1::PHASE_UNSPECIFIED) return true;
  }
  return std::any_of(row.outcomes().begin(), row.outcomes().end(),
                     [&](const v1::Outcome& o) { return o.fiscal_year() == year; });
}

bool Matches(const PlanView& view, const v1::TableInitiative& row, const TableFilter& filter) {
  const v1::Initiative& initiative = row.initiative();
  if (!filter.area.empty() && initiative.area() != filter.area) return false;
  if (filter.disagreements_only && !view.disagreements.contains(initiative.name())) return false;
  if (!filter.grade.empty()) {
    const v1::ComputedRating* latest = view.Latest(initiative.name());
    const bool computed = latest != nullptr && ComputedGradeText(*latest) == filter.grade;
    if (initiative.human_rating().grade() != filter.grade && !computed) return false;
  }
  if (filter.year != 0 && !InYear(row, filter.year)) return false;
  return filter.text.empty() || HasText(row, filter.text);
}

std::string Option(absl::string_view value, absl::string_view label, absl::string_view chosen) {
  return absl::StrCat("<option value=\"", Escape(value), "\"", value == chosen ? " selected" : "",
                      ">", Escape(label), "</option>");
}

std::string FilterForm(const PlanView& view, const v1::TableLayout& layout,
                       const TableFilter& filter) {
  std::string html = absl::StrCat(
      "<form class=\"filters\" method=\"get\" role=\"search\"><label>分野<select name=\"area\">",
      Option("", "すべて", filter.area));
  for (const std::string& area : view.plan.areas())
    absl::StrAppend(&html, Option(area, area, filter.area));
  absl::StrAppend(&html, "</select></label><label>評価<select name=\"grade\">",
                  Option("", "すべて", filter.grade));
  for (const v1::Grade& grade : view.plan.rating_scale().grades()) {
    absl::StrAppend(
        &html, Option(grade.code(), absl::StrCat(grade.code(), "：", grade.label()), filter.grade));
  }
  absl::StrAppend(&html, Option("データ不足", "データ不足（算出）", filter.grade),
                  "</select></label><label>年度<select name=\"year\">",
                  Option("", "すべて", filter.year == 0 ? "" : "-"));
  for (int y = view.plan.period().first_fiscal_year(); y <= view.plan.period().last_fiscal_year();
       ++y) {
    absl::StrAppend(&html, Option(absl::StrCat(y), table::YearLabel(layout, y, false),
                                  filter.year == 0 ? "" : absl::StrCat(filter.year)));
  }
  return absl::StrCat(
      html, "</select></label><label>文字<input type=\"search\" name=\"q\" value=\"",
      Escape(filter.text), "\"></label><label><span>不一致のみ</span><input type=\"checkbox\" ",
      "name=\"disagree\" value=\"1\"", filter.disagreements_only ? " checked" : "",
      "></label><button type=\"submit\">絞り込む</button><a href=\"?\">解除</a></form>");
}

std::string HeaderRows(const v1::TableLayout& layout, const std::vector<int>& years) {
  const std::string span = absl::StrCat(years.size());
  std::string html = absl::StrCat(
      "<thead><tr><th scope=\"col\" rowspan=\"2\">番号</th><th scope=\"col\" rowspan=\"2\">",
      Escape(layout.theme_heading()), "</th><th scope=\"col\" rowspan=\"2\">",
      Escape(layout.subtheme_heading()), "</th><th scope=\"col\" rowspan=\"2\">",
      Escape(layout.title_heading()), "</th><th scope=\"col\" rowspan=\"2\">",
      Escape(layout.kind_heading()), "</th><th scope=\"colgroup\" colspan=\"", span, "\">",
      Escape(layout.schedule_heading()), "</th><th scope=\"colgroup\" colspan=\"", span, "\">",
      Escape(layout.outcome_heading()), "</th><th scope=\"col\" rowspan=\"2\">",
      Escape(layout.rating_heading()),
      "</th><th scope=\"col\" rowspan=\"2\">算出評価</th></tr><tr>");
  for (int y : years)
    absl::StrAppend(&html, "<th scope=\"col\">", Escape(table::YearLabel(layout, y, false)),
                    "</th>");
  for (int y : years)
    absl::StrAppend(&html, "<th scope=\"col\">", Escape(table::YearLabel(layout, y, true)),
                    "</th>");
  return absl::StrCat(html, "</tr></thead>");
}

std::string PhaseCell(const v1::Initiative& initiative, int year) {
  for (const v1::ScheduleEntry& entry : initiative.schedule()) {
    if (entry.fiscal_year() != year || entry.phase() == v1::PHASE_UNSPECIFIED) continue;
    return std::string(entry.continuation() ? kContinuationMark : PhaseWord(entry.phase()));
  }
  return std::string(kNoPhaseMark);
}

// The outcome columns: a cell per year, or, when the row has only an outcome for the whole
// period (fiscal year 0), one cell across the years as the published table merges it.
std::string OutcomeCells(const v1::TableInitiative& row, const std::vector<int>& years) {
  const v1::Outcome* period = nullptr;
  bool per_year = false;
  for (const v1::Outcome& outcome : row.outcomes()) {
    if (outcome.fiscal_year() == 0) period = &outcome;
    per_year = per_year || outcome.fiscal_year() != 0;
  }
  if (period != nullptr && !per_year) {
    return absl::StrCat("<td class=\"outcome period\" colspan=\"", years.size(), "\">",
                        Escape(period->text()), "</td>");
  }
  std::string html;
  for (int year : years) {
    std::string text;
    for (const v1::Outcome& outcome : row.outcomes()) {
      if (outcome.fiscal_year() == year) text = outcome.text();
    }
    absl::StrAppend(&html, "<td class=\"outcome\">", Escape(text), "</td>");
  }
  return html;
}

std::string GradeCells(const PlanView& view, const v1::Initiative& initiative) {
  const v1::ComputedRating* latest = view.Latest(initiative.name());
  std::string html =
      absl::StrCat("<td class=\"grade human\">", Escape(initiative.human_rating().grade()),
                   "</td><td class=\"grade computed\">",
                   latest == nullptr ? "" : Escape(ComputedGradeText(*latest)));
  if (view.disagreements.contains(initiative.name())) {
    absl::StrAppend(&html,
                    " <span class=\"mark\" title=\"人の評価と算出評価が異なる\">≠不一致</span>");
  }
  return absl::StrCat(html, "</td>");
}

std::string Row(const PlanView& view, const v1::TableInitiative& row,
                const std::vector<int>& years) {
  const v1::Initiative& i = row.initiative();
  const bool disagree = view.disagreements.contains(i.name());
  std::string html = absl::StrCat(
      "<tr class=\"initiative", disagree ? " disagree" : "", "\" data-initiative=\"",
      Escape(i.name()), "\"><td>", i.number(), "</td><td class=\"theme\">", Escape(i.theme()),
      "</td><td class=\"subtheme\">", Escape(i.subtheme()), "</td><td class=\"title\">",
      Escape(i.title()), i.relists().empty() ? "" : std::string(kRelistMarker), "</td><td>",
      Escape(KindWord(i.kind())), "</td>");
  for (int y : years)
    absl::StrAppend(&html, "<td class=\"phase\">", Escape(PhaseCell(i, y)), "</td>");
  absl::StrAppend(&html, OutcomeCells(row, years));
  const int columns = 7 + 2 * static_cast<int>(years.size());
  return absl::StrCat(html, GradeCells(view, i), "</tr><tr class=\"explain\"><td colspan=\"",
                      columns, "\">", RenderExplainPanel(view, row), "</td></tr>");
}

std::string ExportLinks(const PlanView& view) {
  std::string html = "<p class=\"no-print\">書き出し：";
  for (const char* format : {"tsv", "csv", "xlsx"}) {
    absl::StrAppend(&html, "<a class=\"export\" href=\"/v1/", Escape(view.plan.name()),
                    ":exportTable?format=", format, "\" download>", absl::AsciiStrToUpper(format),
                    "</a> ");
  }
  return absl::StrCat(html, "｜<a href=\"", Escape(WebPath(view.plan.name())),
                      "/charts\">グラフ</a>｜<a href=\"", Escape(RoundsPath(view.plan.name())),
                      "\">年度末評価</a></p>");
}

}  // namespace

TableFilter FilterFromQuery(const std::multimap<std::string, std::string>& query) {
  TableFilter filter{.area = ValueOf(query, "area"),
                     .grade = ValueOf(query, "grade"),
                     .text = ValueOf(query, "q"),
                     .disagreements_only = ValueOf(query, "disagree") == "1"};
  if (!absl::SimpleAtoi(ValueOf(query, "year"), &filter.year)) filter.year = 0;
  return filter;
}

std::string RenderPlanTable(const PlanView& view, const TableFilter& filter) {
  const v1::TableLayout layout = table::EffectiveLayout(view.plan.table_layout());
  std::vector<int> years;
  for (int y = view.plan.period().first_fiscal_year(); y <= view.plan.period().last_fiscal_year();
       ++y) {
    if (filter.year == 0 || filter.year == y) years.push_back(y);
  }
  std::string rows;
  int shown = 0, human = 0;
  std::string area;
  for (const v1::TableInitiative& row : view.rows) {
    if (!Matches(view, row, filter)) continue;
    if (row.initiative().area() != area) {
      area = row.initiative().area();
      absl::StrAppend(&rows, "<tr class=\"area\"><th colspan=\"", 7 + 2 * years.size(),
                      "\" scope=\"rowgroup\">【", Escape(area), "】</th></tr>");
    }
    ++shown;
    if (!row.initiative().human_rating().grade().empty()) ++human;
    absl::StrAppend(&rows, Row(view, row, years));
  }
  return absl::StrCat(
      ExportLinks(view), FilterForm(view, layout, filter),
      "<p class=\"summary\">表示 <span class=\"count\" id=\"shown\">", shown, "</span> 件（全 ",
      view.rows.size(), " 件）、評価あり <span class=\"count\" id=\"human-rated\">", human,
      "</span> 件、不一致 <span class=\"count\" id=\"disagreements\">", view.disagreements.size(),
      "</span> 件</p><table class=\"plan\"><caption class=\"visually-hidden\">",
      Escape(view.plan.title()), "</caption>", HeaderRows(layout, years), "<tbody>", rows,
      "</tbody></table>");
}

}  // namespace torikumi::server::web
