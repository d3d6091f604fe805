// The plan's pictures: grades by area (human and computed), human against computed as a
// heat map, planned against achieved per year, and the consistency findings.
#pragma once

#include <string>

#include "services/server/web/plan_data.h"

namespace torikumi::server::web {

// The page's <main> content.
std::string RenderPictures(const PlanView& view);

}  // namespace torikumi::server::web
