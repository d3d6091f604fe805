#include "services/server/web/explain_panel.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/server/web/html.h"

namespace torikumi::server::web {

namespace {

std::string Versioned(absl::string_view name, absl::string_view version) {
  return version.empty() ? std::string(name) : absl::StrCat(name, " ", version);
}

std::string LatestRating(const v1::ComputedRating& rating) {
  std::string html = absl::StrCat("<dt>算出評価</dt><dd>", Escape(ComputedGradeText(rating)),
                                  "</dd><dt>理由</dt><dd class=\"reason\">",
                                  Escape(rating.reason()), "</dd><dt>適用ルール</dt><dd>",
                                  Escape(absl::StrJoin(rating.fired_rules(), "、")),
                                  "</dd><dt>ルールセット</dt><dd>", Escape(rating.rule_set()));
  if (rating.rule_set_version() > 0) absl::StrAppend(&html, " 第", rating.rule_set_version(), "版");
  absl::StrAppend(&html, "（", Escape(Versioned(rating.evaluator(), rating.evaluator_version())),
                  "）</dd><dt>根拠</dt><dd><ul class=\"facts\">");
  for (const v1::UsedFact& fact : rating.facts()) {
    absl::StrAppend(&html, "<li><b>", Escape(fact.name()), "</b>: ", Escape(fact.value()), "</li>");
  }
  return absl::StrCat(html, "</ul></dd>");
}

std::string History(const std::vector<v1::ComputedRating>& history) {
  std::string html =
      "<table class=\"history\"><caption>算出の履歴（新しい順）</caption><thead><tr>"
      "<th scope=\"col\">日時</th><th scope=\"col\">評価</th><th scope=\"col\">契機</th>"
      "<th scope=\"col\">ルールセット</th></tr></thead><tbody>";
  for (const v1::ComputedRating& rating : history) {
    absl::StrAppend(&html, "<tr><td>", Escape(TimeText(rating.compute_time())), "</td><td>",
                    Escape(ComputedGradeText(rating)), "</td><td>", Escape(rating.trigger()),
                    "</td><td>", Escape(rating.rule_set()), " 第", rating.rule_set_version(),
                    "版</td></tr>");
  }
  return absl::StrCat(html, "</tbody></table>");
}

}  // namespace

std::string RenderExplainPanel(const PlanView& view, const v1::TableInitiative& row) {
  const v1::Initiative& initiative = row.initiative();
  std::string html =
      absl::StrCat("<details><summary>算出の根拠と履歴（", Escape(initiative.area()), " ",
                   initiative.number(), " ", Escape(initiative.title()), "）</summary><dl>");
  const v1::HumanRating& human = initiative.human_rating();
  absl::StrAppend(&html, "<dt>評価（人）</dt><dd>",
                  human.grade().empty() ? "なし" : Escape(human.grade()));
  if (!human.rater().empty()) absl::StrAppend(&html, "（", Escape(human.rater()), "）");
  if (!human.reason().empty()) absl::StrAppend(&html, " ", Escape(human.reason()));
  absl::StrAppend(&html, "</dd>");
  const v1::ComputedRating* latest = view.Latest(initiative.name());
  if (latest == nullptr) {
    absl::StrAppend(&html, "<dt>算出評価</dt><dd>まだ算出されていません</dd></dl>");
  } else {
    absl::StrAppend(&html, LatestRating(*latest), "</dl>",
                    History(view.history.at(initiative.name())));
  }
  return absl::StrCat(html, "</details>");
}

}  // namespace torikumi::server::web
