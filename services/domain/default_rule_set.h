// The rule set a fresh server ships with (--default_rule_set, e.g. abc-implementation):
// created in the demo organization when missing, and named by its plans that name none.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/domain/plans.h"
#include "services/domain/rule_sets.h"
#include "services/store/store.h"

namespace torikumi::domain {

// Reads the `rules` rule set at `path` (its id is the file name without extension) and
// creates it as organizations/{organization_id}/ruleSets/{id}, checked against the scale of
// the organization's first plan, unless it exists; then sets it on every plan of the
// organization that names no rule set, through `plans`, so that each is rated in the
// background as any plan given a rule set is. A missing organization or one without plans is
// logged and skipped (nothing to rate yet); an unreadable file or an invalid body fails.
absl::Status EnsureDefaultRuleSet(store::Store& store, RuleSets& rule_sets, Plans& plans,
                                  absl::string_view path, absl::string_view organization_id);

}  // namespace torikumi::domain
