// The frame every page shares: the document head, the navigation and the style sheet.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace torikumi::server::web {

// A link of the navigation bar; `href` and `label` are escaped by Page.
struct NavLink {
  std::string href;
  std::string label;
};

// A whole HTML document in Japanese: `title` (escaped) in <title> and <h1>, `nav` as the
// top links, then `body_html`, which the caller has built from escaped parts.
std::string Page(absl::string_view title, const std::vector<NavLink>& nav,
                 absl::string_view body_html);

// The web path of a resource name: "/web/organizations/demo/plans/p".
std::string WebPath(absl::string_view resource_name);

}  // namespace torikumi::server::web
