#include "services/server/web/round_page.h"

#include "absl/strings/str_cat.h"
#include "services/common/fiscal_year.h"
#include "services/server/web/html.h"
#include "services/server/web/layout.h"

namespace torikumi::server::web {

namespace {

absl::string_view StateWord(v1::RatingRound::State state) {
  switch (state) {
    case v1::RatingRound::STATE_OPEN:
      return "受付中";
    case v1::RatingRound::STATE_CLOSED:
      return "締切済み";
    default:
      return "";
  }
}

absl::string_view DecisionWord(v1::RatingRoundEntry::Decision decision) {
  switch (decision) {
    case v1::RatingRoundEntry::DECISION_ACCEPTED:
      return "承認";
    case v1::RatingRoundEntry::DECISION_OVERRIDDEN:
      return "変更";
    default:
      return "未確認";
  }
}

// The proposed grade, or データ不足 when the evaluator found the evidence insufficient.
std::string ProposedGrade(const v1::RatingRoundEntry& entry) {
  return entry.proposed_grade().empty() ? "データ不足" : entry.proposed_grade();
}

std::string ErrorAlert(const RoundForm& form) {
  if (form.error.empty()) return "";
  return absl::StrCat("<p class=\"error\" role=\"alert\" id=\"round-error\">受け付けられません",
                      "でした：", Escape(form.error), "</p>");
}

std::string Hidden(absl::string_view name, absl::string_view value) {
  return absl::StrCat("<input type=\"hidden\" name=\"", name, "\" value=\"", Escape(value), "\">");
}

// The opening tag of a form posting `action` to the round with its etag, so that a review
// made on a page that another reviewer has since changed is refused (ABORTED). Sent as
// multipart: the HTTP library caps a url-encoded body at 8 KiB, which a reason in Japanese
// (nine bytes a character once percent-encoded) reaches at about 900 characters.
std::string RoundFormStart(const RoundView& view, absl::string_view css_class,
                           absl::string_view action) {
  return absl::StrCat("<form class=\"", css_class,
                      "\" method=\"post\" enctype=\"multipart/form-data\" action=\"",
                      Escape(WebPath(view.round.name())), "\">", Hidden("action", action),
                      Hidden("etag", view.round.etag()), Hidden("area", view.area));
}

std::string ProgressSummary(const v1::RatingRound& round) {
  const v1::RatingRoundProgress& p = round.progress();
  return absl::StrCat(
      "<dl class=\"round-status\"><dt>状態</dt><dd id=\"round-state\">", StateWord(round.state()),
      "</dd><dt>確認済み</dt><dd><span class=\"count\" ", "id=\"round-reviewed\">", p.reviewed(),
      "</span> / <span id=\"round-total\">", p.total(), "</span> 件 <progress max=\"", p.total(),
      "\" value=\"", p.reviewed(),
      "\" aria-hidden=\"true\"></progress></dd><dt>承認</dt><dd id=\"round-accepted\">",
      p.accepted(), "</dd><dt>変更</dt><dd id=\"round-overridden\">", p.overridden(), "</dd></dl>");
}

std::string AreaProgressTable(const RoundView& view) {
  std::string html =
      "<table class=\"round-areas\"><caption>分野ごとの進み具合</caption><thead><tr>"
      "<th scope=\"col\">分野</th><th scope=\"col\">確認済み</th><th scope=\"col\">全件</th>"
      "<th scope=\"col\">承認</th><th scope=\"col\">変更</th></tr></thead><tbody>";
  for (const v1::RatingRoundProgress& p : view.round.area_progress()) {
    absl::StrAppend(&html, "<tr data-area=\"", Escape(p.area()), "\"><th scope=\"row\"><a href=\"",
                    Escape(WebPath(view.round.name())), "?area=", UrlEncode(p.area()), "#next\">",
                    Escape(p.area()), "</a></th><td class=\"reviewed\">", p.reviewed(),
                    "</td><td class=\"total\">", p.total(), "</td><td class=\"accepted\">",
                    p.accepted(), "</td><td class=\"overridden\">", p.overridden(), "</td></tr>");
  }
  return absl::StrCat(html, "</tbody></table>");
}

// The GET form that takes the next entry from one area.
std::string AreaChoice(const RoundView& view) {
  std::string html = absl::StrCat(
      "<form class=\"next-area\" method=\"get\" action=\"", Escape(WebPath(view.round.name())),
      "#next\"><label>分野<select name=\"area\"><option value=\"\">すべて</option>");
  for (const v1::RatingRoundProgress& p : view.round.area_progress()) {
    absl::StrAppend(&html, "<option value=\"", Escape(p.area()), "\"",
                    p.area() == view.area ? " selected" : "", ">", Escape(p.area()), "</option>");
  }
  return absl::StrCat(html, "</select></label> <button type=\"submit\">絞り込む</button></form>");
}

std::string EntryDetails(const v1::RatingRoundEntry& entry) {
  return absl::StrCat("<dl class=\"next-entry\" data-initiative=\"", Escape(entry.initiative()),
                      "\"><dt>分野</dt><dd class=\"area\">", Escape(entry.area()),
                      "</dd><dt>番号</dt><dd class=\"number\">", entry.number(),
                      "</dd><dt>取組</dt><dd class=\"title\">", Escape(entry.title()),
                      "</dd><dt>算出評価</dt><dd class=\"proposed-grade\">",
                      Escape(ProposedGrade(entry)),
                      "</dd><dt>算出の理由</dt><dd class=\"proposed-reason\">",
                      Escape(entry.proposed_reason()), "</dd></dl>");
}

std::string GradeOptions(const v1::Plan& plan, absl::string_view chosen) {
  std::string html;
  for (const v1::Grade& grade : plan.rating_scale().grades()) {
    absl::StrAppend(&html, "<option value=\"", Escape(grade.code()), "\"",
                    grade.code() == chosen ? " selected" : "", ">", Escape(grade.code()), "：",
                    Escape(grade.label()), "</option>");
  }
  return html;
}

// Accept (when there is a proposed grade to accept) and override with a grade and a reason.
// The reason is not marked required: the API says what is missing, and the page shows it.
std::string ReviewForms(const RoundView& view, const RoundForm& form) {
  const v1::RatingRoundEntry& entry = view.next.entry();
  std::string html;
  if (!entry.proposed_grade().empty()) {
    absl::StrAppend(&html, RoundFormStart(view, "accept", "accept"),
                    Hidden("initiative", entry.initiative()), "<button type=\"submit\">算出評価 ",
                    Escape(entry.proposed_grade()), " を承認する</button></form>");
  }
  absl::StrAppend(&html, RoundFormStart(view, "override", "override"),
                  Hidden("initiative", entry.initiative()),
                  "<fieldset><legend>別の評価にする</legend><label>評価<select name=\"grade\">",
                  GradeOptions(view.plan, form.grade.empty() ? entry.proposed_grade() : form.grade),
                  "</select></label><label>理由（必須）<textarea name=\"reason\" rows=\"2\" "
                  "cols=\"50\">",
                  Escape(form.reason),
                  "</textarea></label><button type=\"submit\">評価を変更する</button>"
                  "</fieldset></form>");
  return html;
}

std::string NextSection(const RoundView& view, const RoundForm& form) {
  std::string html = absl::StrCat(
      "<section class=\"next\" id=\"next\" aria-labelledby=\"next-heading\"><h2 "
      "id=\"next-heading\">次の取組",
      view.area.empty() ? "" : absl::StrCat("（", Escape(view.area), "）"), "</h2>",
      AreaChoice(view));
  if (view.round.state() != v1::RatingRound::STATE_OPEN) {
    absl::StrAppend(&html,
                    "<p id=\"next-none\">締め切られています。評価を変えるには再開してください。",
                    "</p>");
  } else if (!view.next.has_entry()) {
    absl::StrAppend(&html, "<p id=\"next-none\">", view.area.empty() ? "すべての" : "この分野の",
                    "取組を確認しました。</p>");
  } else {
    absl::StrAppend(&html, "<p>", view.area.empty() ? "" : "この分野で", "確認済み ",
                    view.next.progress().reviewed(), " / ", view.next.progress().total(), " 件</p>",
                    EntryDetails(view.next.entry()), ReviewForms(view, form));
  }
  return absl::StrCat(html, "</section>");
}

// Close an open round (the API refuses while entries are unreviewed), reopen a closed one.
std::string StateForm(const RoundView& view, const RoundForm& form) {
  if (view.round.state() == v1::RatingRound::STATE_OPEN) {
    return absl::StrCat(RoundFormStart(view, "close", "close"),
                        "<button type=\"submit\">締め切る</button>（すべて確認済みのときのみ。"
                        "締め切ると評価は変更できません）</form>");
  }
  return absl::StrCat(RoundFormStart(view, "reopen", "reopen"),
                      "<label>再開の理由（必須）<textarea name=\"reason\" rows=\"2\" cols=\"50\">",
                      Escape(form.reason),
                      "</textarea></label> <button type=\"submit\">再開する</button></form>");
}

std::string EntriesTable(const v1::RatingRound& round) {
  std::string html =
      "<table class=\"round-entries\"><caption>取組ごとの確認</caption><thead><tr>"
      "<th scope=\"col\">分野</th><th scope=\"col\">番号</th><th scope=\"col\">取組</th>"
      "<th scope=\"col\">算出評価</th><th scope=\"col\">確認</th><th scope=\"col\">評価</th>"
      "<th scope=\"col\">確認者</th><th scope=\"col\">日時</th><th scope=\"col\">理由</th>"
      "</tr></thead><tbody>";
  for (const v1::RatingRoundEntry& e : round.entries()) {
    absl::StrAppend(&html, "<tr class=\"entry\" data-decision=\"",
                    v1::RatingRoundEntry::Decision_Name(e.decision()), "\" data-initiative=\"",
                    Escape(e.initiative()), "\"><td>", Escape(e.area()), "</td><td>", e.number(),
                    "</td><td>", Escape(e.title()), "</td><td class=\"grade\">",
                    Escape(ProposedGrade(e)), "</td><td class=\"decision\">",
                    DecisionWord(e.decision()), "</td><td class=\"grade\">", Escape(e.grade()),
                    "</td><td>", Escape(e.reviewer()), "</td><td>",
                    Escape(TimeText(e.review_time())), "</td><td class=\"reason\">",
                    Escape(e.reason()), "</td></tr>");
  }
  return absl::StrCat(html, "</tbody></table>");
}

std::string OpenForm(const v1::Plan& plan) {
  std::string html =
      absl::StrCat("<form class=\"open-round\" method=\"post\" action=\"",
                   Escape(RoundsPath(plan.name())), "\"><label>年度<select name=\"fiscal_year\">");
  for (int y = plan.period().first_fiscal_year(); y <= plan.period().last_fiscal_year(); ++y) {
    absl::StrAppend(&html, "<option value=\"", y, "\"",
                    y == plan.period().last_fiscal_year() ? " selected" : "", ">",
                    FormatFiscalYearJapanese(y), "</option>");
  }
  return absl::StrCat(html,
                      "</select></label> <button type=\"submit\">年度末評価を始める</button>"
                      "</form>");
}

}  // namespace

std::string RoundsPath(absl::string_view plan_name) {
  return absl::StrCat(WebPath(plan_name), "/ratingRounds");
}

std::string RoundTitle(const v1::RatingRound& round) {
  return absl::StrCat(FormatFiscalYearJapanese(round.fiscal_year()), "の年度末評価");
}

std::string RenderRoundList(const v1::Plan& plan, const std::vector<v1::RatingRound>& rounds,
                            const RoundForm& form) {
  std::string html = absl::StrCat(
      ErrorAlert(form),
      "<table class=\"rounds\"><thead><tr><th scope=\"col\">年度</th><th scope=\"col\">状態</th>"
      "<th scope=\"col\">確認済み</th></tr></thead><tbody>");
  for (const v1::RatingRound& round : rounds) {
    absl::StrAppend(&html, "<tr data-round=\"", Escape(round.name()), "\"><td><a href=\"",
                    Escape(WebPath(round.name())), "\">", Escape(RoundTitle(round)),
                    "</a></td><td>", StateWord(round.state()), "</td><td>",
                    round.progress().reviewed(), " / ", round.progress().total(), "</td></tr>");
  }
  if (rounds.empty()) {
    absl::StrAppend(&html, "<tr><td colspan=\"3\">年度末評価はまだ始まっていません</td></tr>");
  }
  return absl::StrCat(html, "</tbody></table><h2>年度末評価を始める</h2>", OpenForm(plan));
}

std::string RenderRound(const RoundView& view, const RoundForm& form) {
  // The next entry right under the overall progress, so that a reviewer sees it on arrival.
  return absl::StrCat(ErrorAlert(form), "<h2>進み具合</h2>", ProgressSummary(view.round),
                      NextSection(view, form), AreaProgressTable(view),
                      "<h2 class=\"no-print\">締め切り</h2>", StateForm(view, form),
                      EntriesTable(view.round));
}

}  // namespace torikumi::server::web
