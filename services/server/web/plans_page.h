// The organizations, and one organization's plans with each plan's period, areas and grade
// counts.
#pragma once

#include <string>
#include <vector>

#include "torikumi/v1/resources.pb.h"

namespace torikumi::server::web {

std::string RenderOrganizations(const std::vector<v1::Organization>& organizations);

// `initiatives[i]` are the initiatives of `plans[i]`.
std::string RenderPlans(const std::string& organization_name, const std::vector<v1::Plan>& plans,
                        const std::vector<std::vector<v1::Initiative>>& initiatives);

}  // namespace torikumi::server::web
