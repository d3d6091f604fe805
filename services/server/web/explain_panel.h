// What opening a row of the plan table shows: the computed rating's reason, the rules that
// fired and the facts they used, the human rating beside it, and every recorded rating.
#pragma once

#include <string>

#include "services/server/web/plan_data.h"

namespace torikumi::server::web {

// A <details> element for the row `row` of `view`.
std::string RenderExplainPanel(const PlanView& view, const v1::TableInitiative& row);

}  // namespace torikumi::server::web
