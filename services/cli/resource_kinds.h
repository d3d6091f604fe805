// The resource kinds of the change feed as the CLI writes them: plan, initiative, outcome,
// human-rating, computed-rating, rule-set, job.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "torikumi/v1/change_service.pb.h"

namespace torikumi::cli {

// "plan,outcome" → the kinds; false with `bad` naming the first word that is not one.
bool ParseKinds(absl::string_view text, std::vector<v1::ResourceKind>* kinds, std::string* bad);

}  // namespace torikumi::cli
