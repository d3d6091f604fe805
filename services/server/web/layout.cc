#include "services/server/web/layout.h"

#include "absl/strings/str_cat.h"
#include "services/server/web/assets.h"
#include "services/server/web/html.h"

namespace torikumi::server::web {

std::string Page(absl::string_view title, const std::vector<NavLink>& nav,
                 absl::string_view body_html) {
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>",
      Escape(title), " — torikumi</title><link rel=\"stylesheet\" href=\"", kStyleSheetPath,
      "\"></head><body><a class=\"skip\" href=\"#main\">本文へ移動</a>"
      "<nav class=\"top\" aria-label=\"ナビゲーション\">"
      "<a href=\"/web/\">組織一覧</a>");
  for (const NavLink& link : nav) {
    absl::StrAppend(&html, "<a href=\"", Escape(link.href), "\">", Escape(link.label), "</a>");
  }
  absl::StrAppend(&html, "</nav><main id=\"main\"><h1>", Escape(title), "</h1>", body_html,
                  "</main></body></html>\n");
  return html;
}

std::string WebPath(absl::string_view resource_name) {
  return absl::StrCat("/web/", resource_name);
}

}  // namespace torikumi::server::web
