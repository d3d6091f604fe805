#include "services/server/web/import_page.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/server/web/html.h"
#include "services/server/web/layout.h"

namespace torikumi::server::web {

namespace {

absl::string_view SeverityWord(v1::FindingSeverity severity) {
  switch (severity) {
    case v1::FINDING_SEVERITY_INFO:
      return "情報";
    case v1::FINDING_SEVERITY_REPAIR:
      return "修復";
    case v1::FINDING_SEVERITY_GUESS:
      return "推測";
    case v1::FINDING_SEVERITY_ERROR:
      return "エラー";
    default:
      return "";
  }
}

std::string Counts(const v1::ImportTableResponse& report) {
  return absl::StrCat(
      "<dl class=\"import-counts\"><dt>計画</dt><dd id=\"import-plan\">", Escape(report.plan()),
      "</dd><dt>文字コード</dt><dd>", Escape(report.detected_encoding()), "</dd><dt>分野</dt><dd>",
      report.areas(), "</dd><dt>新しい取組</dt><dd id=\"initiatives-created\">",
      report.initiatives_created(), "</dd><dt>更新する取組</dt><dd>", report.initiatives_updated(),
      "</dd><dt>取組状況</dt><dd>", report.outcomes_written(), "</dd><dt>評価</dt><dd>",
      report.ratings(), "</dd></dl>");
}

std::string FindingsTable(const v1::ImportTableResponse& report) {
  if (report.findings().empty()) return "<p>指摘はありません。</p>";
  std::string html =
      "<table class=\"findings\"><caption>読み取りの指摘</caption><thead><tr>"
      "<th scope=\"col\">行</th><th scope=\"col\">列</th><th scope=\"col\">種類</th>"
      "<th scope=\"col\">内容</th><th scope=\"col\">対応</th></tr></thead><tbody>";
  for (const v1::TableFinding& finding : report.findings()) {
    absl::StrAppend(&html, "<tr><td>", finding.line(), "</td><td>", finding.column(),
                    "</td><td class=\"severity-",
                    finding.severity() == v1::FINDING_SEVERITY_ERROR ? "error" : "note", "\">",
                    SeverityWord(finding.severity()), "</td><td>", Escape(finding.text()),
                    "</td><td>", Escape(finding.action()), "</td></tr>");
  }
  return absl::StrCat(html, "</tbody></table>");
}

std::string ImportPath(absl::string_view organization_name) {
  return absl::StrCat(WebPath(organization_name), "/import");
}

}  // namespace

std::string RenderImportForm(absl::string_view organization_name) {
  return absl::StrCat(
      "<form class=\"import\" method=\"post\" enctype=\"multipart/form-data\" action=\"",
      Escape(ImportPath(organization_name)),
      "\"><input type=\"hidden\" name=\"step\" value=\"dry-run\"><p><label>表のファイル（TSV・"
      "CSV・JSON）<br><input type=\"file\" name=\"file\" required></label></p><p><label>計画の"
      "ID（空なら自動）<br><input type=\"text\" name=\"plan_id\" pattern=\"[a-z0-9-]*\">"
      "</label></p><p><button type=\"submit\">確認する（ドライラン）</button></p></form>");
}

std::string RenderDryRun(absl::string_view organization_name, absl::string_view plan_id,
                         absl::string_view file, const v1::ImportTableResponse& report) {
  std::string html =
      absl::StrCat("<h2>ドライランの結果</h2>", Counts(report), FindingsTable(report));
  if (!report.refusal().empty()) {
    return absl::StrCat(html, "<p class=\"refusal\">このままでは取り込めません：",
                        Escape(report.refusal()), "</p><p><a href=\"",
                        Escape(ImportPath(organization_name)), "\">別のファイルを選ぶ</a></p>");
  }
  return absl::StrCat(
      html, "<form class=\"confirm\" method=\"post\" enctype=\"multipart/form-data\" action=\"",
      Escape(ImportPath(organization_name)),
      "\"><input type=\"hidden\" name=\"step\" value=\"confirm\"><input type=\"hidden\" "
      "name=\"plan_id\" value=\"",
      Escape(plan_id), "\"><input type=\"hidden\" name=\"data\" value=\"", absl::Base64Escape(file),
      "\"><button type=\"submit\">取り込む</button> <a href=\"",
      Escape(ImportPath(organization_name)), "\">やめる</a></form>");
}

std::string RenderImported(const v1::ImportTableResponse& report) {
  return absl::StrCat("<h2>取り込みました</h2>", Counts(report), FindingsTable(report),
                      "<p><a id=\"imported-plan\" href=\"", Escape(WebPath(report.plan())),
                      "\">取り込んだ計画を見る</a></p>");
}

}  // namespace torikumi::server::web
