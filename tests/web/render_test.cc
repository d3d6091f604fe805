// The web view's renderers on hand-made data: escaping of everything that comes from data,
// the charts' numbers, the table's marks and filters, the import page's hand-over, the rating
// round's progress, next entry and forms.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/server/web/chart_data.h"
#include "services/server/web/charts.h"
#include "services/server/web/html.h"
#include "services/server/web/import_page.h"
#include "services/server/web/layout.h"
#include "services/server/web/pictures_page.h"
#include "services/server/web/round_page.h"
#include "services/server/web/table_page.h"

namespace torikumi::server::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kHostile[] = "<script>alert(1)</script><img src=x onerror=\"y()\">'&";

int Occurrences(const std::string& text, const std::string& what) {
  int count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

v1::TableInitiative Row(const std::string& id, const std::string& area, int number,
                        const std::string& human) {
  v1::TableInitiative row;
  v1::Initiative* i = row.mutable_initiative();
  i->set_name("organizations/o/plans/p/initiatives/" + id);
  i->set_area(area);
  i->set_number(number);
  i->set_title("取組" + id);
  i->mutable_human_rating()->set_grade(human);
  return row;
}

// Two areas, four initiatives (one without a human grade), ratings for three, one
// disagreement (c: human B, computed C).
PlanView Sample() {
  PlanView view;
  view.plan.set_name("organizations/o/plans/p");
  view.plan.set_title("計画");
  view.plan.mutable_period()->set_first_fiscal_year(2018);
  view.plan.mutable_period()->set_last_fiscal_year(2019);
  view.plan.add_areas("職員研修");
  view.plan.add_areas("組織文化");
  for (const char* code : {"A", "B", "C"})
    view.plan.mutable_rating_scale()->add_grades()->set_code(code);
  view.rows = {Row("a", "職員研修", 1, "A"), Row("b", "職員研修", 2, ""),
               Row("c", "組織文化", 1, "B"), Row("d", "組織文化", 2, "A")};
  auto* entry = view.rows[0].mutable_initiative()->add_schedule();
  entry->set_fiscal_year(2018);
  entry->set_phase(v1::PHASE_IMPLEMENT);
  auto* outcome = view.rows[0].add_outcomes();
  outcome->set_fiscal_year(2018);
  outcome->set_status(v1::OUTCOME_STATUS_IMPLEMENTED);
  outcome->set_text("研修 3回");
  const std::pair<const char*, const char*> computed[] = {{"a", "A"}, {"c", "C"}, {"d", ""}};
  for (const auto& [id, grade] : computed) {
    v1::ComputedRating rating;
    rating.set_initiative(absl::StrCat("organizations/o/plans/p/initiatives/", id));
    if (*grade == 0) {
      rating.set_insufficient_data(true);
    } else {
      rating.set_grade(grade);
    }
    rating.set_reason(absl::StrCat("理由", id));
    view.history[rating.initiative()].push_back(rating);
  }
  view.disagreements.insert("organizations/o/plans/p/initiatives/c");
  return view;
}

TEST(WebHtml, EscapesMarkupAndQuotes) {
  EXPECT_EQ(Escape(kHostile),
            "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;y()&quot;&gt;"
            "&#39;&amp;");
  EXPECT_EQ(Escape("職員研修"), "職員研修");
  EXPECT_EQ(UrlEncode("a b&c=職"), "a%20b%26c%3D%E8%81%B7");
}

TEST(WebLayout, EscapesTheTitleAndNavigation) {
  const std::string page = Page(kHostile, {{"/x\"onclick=\"y()", kHostile}}, "<p>ok</p>");
  EXPECT_THAT(page, Not(HasSubstr("<script>")));
  EXPECT_THAT(page, Not(HasSubstr("\"onclick")));
  EXPECT_THAT(page, HasSubstr("<p>ok</p>"));
  EXPECT_THAT(page, HasSubstr("lang=\"ja\""));
}

TEST(WebCharts, CountsHumanGradesByArea) {
  const StackedBarChart chart = HumanGradesByArea(Sample());
  EXPECT_THAT(chart.categories, ::testing::ElementsAre("職員研修", "組織文化"));
  EXPECT_THAT(chart.series, ::testing::ElementsAre("A", "B", "C", "未評価"));
  EXPECT_THAT(chart.counts[0], ::testing::ElementsAre(1, 0, 0, 1));
  EXPECT_THAT(chart.counts[1], ::testing::ElementsAre(1, 1, 0, 0));
}

TEST(WebCharts, CountsComputedGradesWithInsufficientAndMissing) {
  const StackedBarChart chart = ComputedGradesByArea(Sample());
  EXPECT_THAT(chart.series, ::testing::ElementsAre("A", "B", "C", "データ不足", "未算出"));
  EXPECT_THAT(chart.counts[0], ::testing::ElementsAre(1, 0, 0, 0, 1));
  EXPECT_THAT(chart.counts[1], ::testing::ElementsAre(0, 0, 1, 1, 0));
}

TEST(WebCharts, HeatMapTakesTheConfusionCells) {
  PlanView view = Sample();
  for (const auto& [human, computed, count] :
       {std::tuple{"A", "A", 5}, std::tuple{"B", "C", 2}, std::tuple{"A", "insufficient", 1}}) {
    v1::ConfusionCell* cell = view.compare.add_confusion();
    cell->set_human(human);
    cell->set_computed(computed);
    cell->set_count(count);
  }
  const HeatMap map = HumanAgainstComputed(view);
  EXPECT_THAT(map.columns, ::testing::ElementsAre("A", "B", "C", "データ不足"));
  EXPECT_THAT(map.counts[0], ::testing::ElementsAre(5, 0, 0, 1));
  EXPECT_THAT(map.counts[1], ::testing::ElementsAre(0, 0, 2, 0));
  const std::string svg = RenderHeatMap(map, "confusion");
  EXPECT_THAT(svg, HasSubstr("data-row=\"B\" data-column=\"C\"><title>"));
  EXPECT_THAT(svg, HasSubstr("data-count=\"2\" data-row=\"B\""));
}

TEST(WebCharts, PlannedAgainstAchievedPerYear) {
  const StackedBarChart chart = PlannedAgainstAchieved(Sample());
  ASSERT_EQ(chart.categories.size(), 2u);  // H30, R1
  EXPECT_EQ(chart.counts[0][0], 1);        // planned in 2018, 実施
  int planned_2019 = 0;
  for (int count : chart.counts[1]) planned_2019 += count;
  EXPECT_EQ(planned_2019, 0);
}

TEST(WebCharts, StackedBarsCarryTheirNumbersAndTextAlternative) {
  StackedBarChart chart{.title = kHostile,
                        .description = "説明",
                        .category_heading = "分野",
                        .categories = {kHostile, "組織文化"},
                        .series = {"A", "B"},
                        .counts = {{3, 1}, {0, 2}}};
  const std::string html = RenderStackedBars(chart, "bars");
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, HasSubstr("<title id=\"bars-title\">"));
  EXPECT_THAT(html, HasSubstr("<desc id=\"bars-desc\">説明</desc>"));
  EXPECT_EQ(Occurrences(html, "class=\"segment\""), 3);  // the zero count draws nothing
  EXPECT_THAT(html, HasSubstr("data-count=\"3\" data-category=\"&lt;script&gt;"));
  // The data table: one row per category with its total.
  EXPECT_THAT(html, HasSubstr("<th scope=\"row\">組織文化</th><td>0</td><td>2</td><td>2</td>"));
}

TEST(WebTable, MarksDisagreementsAndShowsReasons) {
  const std::string html = RenderPlanTable(Sample(), {});
  EXPECT_EQ(Occurrences(html, "<tr class=\"initiative"), 4);
  EXPECT_EQ(Occurrences(html, "<tr class=\"initiative disagree\""), 1);
  EXPECT_EQ(Occurrences(html, "≠不一致"), 1);
  EXPECT_THAT(html, HasSubstr("<dd class=\"reason\">理由c</dd>"));
  EXPECT_THAT(html, HasSubstr("データ不足"));
  EXPECT_THAT(html, HasSubstr("<span class=\"count\" id=\"human-rated\">3</span>"));
}

TEST(WebTable, EscapesEveryDataField) {
  PlanView view = Sample();
  v1::Initiative* i = view.rows[0].mutable_initiative();
  i->set_title(kHostile);
  i->set_theme(kHostile);
  i->set_area(kHostile);
  view.rows[0].mutable_outcomes(0)->set_text(kHostile);
  view.history.begin()->second.front().set_reason(kHostile);
  const std::string html = RenderPlanTable(view, {.text = kHostile});
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("\"y()\"")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;"));
}

TEST(WebTable, FiltersByAreaGradeYearTextAndDisagreement) {
  const PlanView view = Sample();
  auto rows = [&](const TableFilter& filter) {
    return Occurrences(RenderPlanTable(view, filter), "<tr class=\"initiative");
  };
  EXPECT_EQ(rows({.area = "組織文化"}), 2);
  EXPECT_EQ(rows({.grade = "C"}), 1);  // the computed grade counts too
  EXPECT_EQ(rows({.grade = "データ不足"}), 1);
  EXPECT_EQ(rows({.year = 2018}), 1);
  EXPECT_EQ(rows({.text = "研修 3"}), 1);
  EXPECT_EQ(rows({.disagreements_only = true}), 1);
  const TableFilter parsed = FilterFromQuery(
      {{"area", "組織文化"}, {"year", "2019"}, {"q", "x"}, {"disagree", "1"}, {"grade", "B"}});
  EXPECT_EQ(parsed.area, "組織文化");
  EXPECT_EQ(parsed.year, 2019);
  EXPECT_TRUE(parsed.disagreements_only);
  EXPECT_EQ(FilterFromQuery({{"year", "<b>"}}).year, 0);
}

TEST(WebImport, DryRunCarriesTheFileAndEscapesFindings) {
  v1::ImportTableResponse report;
  report.set_plan("organizations/o/plans/p");
  report.set_initiatives_created(36);
  v1::TableFinding* finding = report.add_findings();
  finding->set_line(3);
  finding->set_text(kHostile);
  const std::string file = "表\t<b>\n";
  const std::string html = RenderDryRun("organizations/o", "p", file, report);
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr(absl::StrCat("name=\"data\" value=\"", absl::Base64Escape(file))));
  EXPECT_THAT(html, HasSubstr("<form class=\"confirm\""));
  report.set_refusal("errors");
  EXPECT_THAT(RenderDryRun("organizations/o", "p", file, report),
              Not(HasSubstr("<form class=\"confirm\"")));
}

TEST(WebPictures, ListsConsistencyFindingsEscaped) {
  PlanView view = Sample();
  v1::ConsistencyFinding* finding = view.compare.add_inconsistencies();
  finding->set_evidence(kHostile);
  finding->add_titles("職員研修 1 a");
  finding->add_titles("職員研修 2 b");
  finding->add_human_grades("A");
  finding->add_human_grades("B");
  finding->set_similarity(0.9);
  const std::string html = RenderPictures(view);
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr("職員研修 1 a<br>職員研修 2 b"));
  EXPECT_THAT(html, HasSubstr("<td>0.90</td>"));
  EXPECT_EQ(Occurrences(html, "<figure class=\"chart\""), 4);
  // The area labels of both area charts lead to the table filtered to that area.
  EXPECT_EQ(Occurrences(html,
                        "<a href=\"/web/organizations/o/plans/p?area=%E8%81%B7%E5%93%A1"
                        "%E7%A0%94%E4%BF%AE\">"),
            2);
}

// A round of FY2022 on two areas: a accepted, b overridden, c (hostile title and reason)
// next; 2 of 3 reviewed.
RoundView RoundSample() {
  RoundView view;
  view.plan = Sample().plan;
  view.plan.mutable_rating_scale()->mutable_grades(1)->set_label("概ね実施できた");
  view.round.set_name("organizations/o/plans/p/ratingRounds/2022");
  view.round.set_fiscal_year(2022);
  view.round.set_state(v1::RatingRound::STATE_OPEN);
  view.round.set_etag("\"v7\"");
  const std::tuple<const char*, const char*, v1::RatingRoundEntry::Decision> entries[] = {
      {"a", "職員研修", v1::RatingRoundEntry::DECISION_ACCEPTED},
      {"b", "職員研修", v1::RatingRoundEntry::DECISION_OVERRIDDEN},
      {"c", "組織文化", v1::RatingRoundEntry::DECISION_UNSPECIFIED}};
  for (const auto& [id, area, decision] : entries) {
    v1::RatingRoundEntry* entry = view.round.add_entries();
    entry->set_initiative(absl::StrCat("organizations/o/plans/p/initiatives/", id));
    entry->set_area(area);
    entry->set_title(absl::StrCat("取組", id));
    entry->set_proposed_grade("A");
    entry->set_proposed_reason(absl::StrCat("理由", id));
    entry->set_decision(decision);
  }
  view.round.mutable_entries(1)->set_grade("B");
  view.round.mutable_entries(1)->set_reason("一部の所属で未実施");
  view.round.mutable_entries(2)->set_title(kHostile);
  view.round.mutable_entries(2)->set_proposed_reason(kHostile);
  auto progress = [](v1::RatingRoundProgress* p, const char* area, int reviewed, int total) {
    p->set_area(area);
    p->set_reviewed(reviewed);
    p->set_total(total);
  };
  progress(view.round.mutable_progress(), "", 2, 3);
  progress(view.round.add_area_progress(), "職員研修", 2, 2);
  progress(view.round.add_area_progress(), "組織文化", 0, 1);
  *view.next.mutable_entry() = view.round.entries(2);
  progress(view.next.mutable_progress(), "", 2, 3);
  return view;
}

TEST(WebRound, ShowsProgressOverallAndByArea) {
  const std::string html = RenderRound(RoundSample(), {});
  EXPECT_THAT(html, HasSubstr("<dd id=\"round-state\">受付中</dd>"));
  EXPECT_THAT(html, HasSubstr("id=\"round-reviewed\">2</span> / <span id=\"round-total\">3<"));
  EXPECT_THAT(html, HasSubstr("<progress max=\"3\" value=\"2\""));
  EXPECT_THAT(html, HasSubstr("<tr data-area=\"組織文化\"><th scope=\"row\"><a href=\"/web/"
                              "organizations/o/plans/p/ratingRounds/2022?area=%E7%B5%84%E7%B9%94"
                              "%E6%96%87%E5%8C%96#next\">組織文化</a></th><td class=\"reviewed\">"
                              "0</td><td class=\"total\">1</td>"));
  EXPECT_EQ(Occurrences(html, "<tr class=\"entry\""), 3);
  EXPECT_THAT(html, HasSubstr("data-decision=\"DECISION_OVERRIDDEN\""));
  EXPECT_THAT(html, HasSubstr("<td class=\"reason\">一部の所属で未実施</td>"));
}

TEST(WebRound, TheNextEntryWithItsProposalAndFormsEscaped) {
  const std::string html = RenderRound(RoundSample(), {});
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, HasSubstr("<h2 id=\"next-heading\">次の取組</h2>"));
  EXPECT_THAT(html, HasSubstr("<dl class=\"next-entry\" data-initiative=\"organizations/o/plans/p/"
                              "initiatives/c\">"));
  EXPECT_THAT(html, HasSubstr("<dd class=\"proposed-grade\">A</dd>"));
  EXPECT_THAT(html, HasSubstr(absl::StrCat("<dd class=\"proposed-reason\">", Escape(kHostile))));
  // Each form posts to the round with its etag (quoted, so escaped) and the entry.
  EXPECT_EQ(Occurrences(html, "name=\"etag\" value=\"&quot;v7&quot;\""),
            3);  // accept, override, close
  EXPECT_THAT(html, HasSubstr("<form class=\"accept\" method=\"post\" "
                              "enctype=\"multipart/form-data\" action=\"/web/organizations/"
                              "o/plans/p/ratingRounds/2022\"><input type=\"hidden\" "
                              "name=\"action\" value=\"accept\">"));
  EXPECT_EQ(
      Occurrences(html, "name=\"initiative\" value=\"organizations/o/plans/p/initiatives/c\""), 2);
  EXPECT_THAT(html, HasSubstr("<option value=\"B\">B：概ね実施できた</option>"));
  EXPECT_THAT(html, HasSubstr("<form class=\"close\""));
}

TEST(WebRound, ARefusalIsShownAndTheTypedReasonKept) {
  const std::string html = RenderRound(
      RoundSample(), {.grade = "C", .reason = kHostile, .error = "reason: is required <b>"});
  EXPECT_THAT(html, HasSubstr("<p class=\"error\" role=\"alert\" id=\"round-error\">受け付けられま"
                              "せんでした：reason: is required &lt;b&gt;</p>"));
  EXPECT_THAT(html, HasSubstr(absl::StrCat("cols=\"50\">", Escape(kHostile), "</textarea>")));
  EXPECT_THAT(html, HasSubstr("<option value=\"C\" selected>"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
}

TEST(WebRound, InsufficientDataCanOnlyBeOverridden) {
  RoundView view = RoundSample();
  view.next.mutable_entry()->clear_proposed_grade();
  const std::string html = RenderRound(view, {});
  EXPECT_THAT(html, HasSubstr("<dd class=\"proposed-grade\">データ不足</dd>"));
  EXPECT_THAT(html, Not(HasSubstr("<form class=\"accept\"")));
  EXPECT_THAT(html, HasSubstr("<form class=\"override\""));
}

TEST(WebRound, DoneOrClosedRoundsOfferNoReview) {
  RoundView done = RoundSample();
  done.next.clear_entry();
  const std::string all_reviewed = RenderRound(done, {});
  EXPECT_THAT(all_reviewed, HasSubstr("<p id=\"next-none\">すべての取組を確認しました。</p>"));
  EXPECT_THAT(all_reviewed, Not(HasSubstr("<form class=\"override\"")));
  RoundView closed = RoundSample();
  closed.round.set_state(v1::RatingRound::STATE_CLOSED);
  const std::string html = RenderRound(closed, {});
  EXPECT_THAT(html, HasSubstr("<dd id=\"round-state\">締切済み</dd>"));
  EXPECT_THAT(html, Not(HasSubstr("<form class=\"accept\"")));
  EXPECT_THAT(html, Not(HasSubstr("<form class=\"close\"")));
  EXPECT_THAT(html, HasSubstr("name=\"action\" value=\"reopen\""));
}

TEST(WebRound, TheListLinksRoundsAndOpensAYearOfThePeriod) {
  const RoundView view = RoundSample();
  const std::string html = RenderRoundList(view.plan, {view.round}, {});
  EXPECT_THAT(html, HasSubstr("<a href=\"/web/organizations/o/plans/p/ratingRounds/2022\">令和4年度"
                              "の年度末評価</a></td><td>受付中</td><td>2 / 3</td>"));
  EXPECT_THAT(html, HasSubstr("<form class=\"open-round\" method=\"post\" action=\"/web/"
                              "organizations/o/plans/p/ratingRounds\">"));
  EXPECT_THAT(html, HasSubstr("<option value=\"2018\">平成30年度</option>"));
  EXPECT_THAT(html, HasSubstr("<option value=\"2019\" selected>令和元年度</option>"));
  EXPECT_THAT(RenderRoundList(view.plan, {}, {}),
              HasSubstr("<td colspan=\"3\">年度末評価はまだ始まっていません</td>"));
}

}  // namespace
}  // namespace torikumi::server::web
