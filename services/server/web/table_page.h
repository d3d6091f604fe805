// The plan as its published table: areas, themes, numbers and titles, the schedule and the
// outcome per year, the human and the computed grade side by side with disagreements
// marked, each row opening onto its computed rating's reason, rules, evidence and history.
// The filters are a GET form, so the page works without JavaScript.
#pragma once

#include <map>
#include <string>

#include "services/server/web/plan_data.h"

namespace torikumi::server::web {

// What the filter form asks for; empty or 0: no filter.
struct TableFilter {
  std::string area;
  std::string grade;  // matches the human or the computed grade
  int year = 0;       // rows planned or reported that year, and only that year's columns
  std::string text;   // in the theme, subtheme, title or an outcome
  bool disagreements_only = false;
};

TableFilter FilterFromQuery(const std::multimap<std::string, std::string>& query);

// The page's <main> content.
std::string RenderPlanTable(const PlanView& view, const TableFilter& filter);

}  // namespace torikumi::server::web
