// ImportPlan in the PostgreSQL store: a plan, its initiatives and their outcomes written in
// one transaction with the same row writers the single-resource methods use (records.h).
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {
namespace {

using rules::ImportKey;

// The initiative `item` becomes: named, its link resolved, times and etag left to the store.
absl::StatusOr<v1::Initiative> RowOf(Tx& tx, const InitiativeImport& item, const std::string& name,
                                     const std::string& plan,
                                     const std::map<ImportKey, std::string>& names, size_t i) {
  v1::Initiative row = item.initiative;
  row.set_name(name);
  row.clear_relists();
  row.clear_create_time();
  row.clear_update_time();
  row.clear_etag();
  if (item.relists.area.empty()) return row;
  const ImportKey target{MatchingForm(item.relists.area), item.relists.number};
  if (auto it = names.find(target); it != names.end()) {
    row.set_relists(it->second);
    return row;
  }
  // Not in the import: an initiative the plan already had.
  std::optional<v1::Initiative> found = FindInitiativeAt(tx, plan, target.first, target.second);
  if (!found.has_value()) {
    return ForItem(absl::NotFoundError(absl::StrCat("re-lists ", rules::KeyText(target),
                                                    ", which plan '", plan, "' does not have")),
                   i);
  }
  row.set_relists(found->name());
  return row;
}

// Upserts the outcomes of the item whose initiative is `initiative`.
absl::Status PutOutcomes(WriteContext& w, const InitiativeImport& item,
                         const std::string& initiative, size_t i, ImportResult& result) {
  for (const v1::Outcome& input : item.outcomes) {
    v1::Outcome outcome = input;
    outcome.set_name(absl::StrCat(initiative, "/outcomes/", OutcomeId(outcome.fiscal_year())));
    outcome.clear_update_time();
    outcome.clear_etag();
    absl::StatusOr<UpsertResult> put = PutOutcome(w, outcome, "");
    if (!put.ok()) return ForItem(put.status(), i);
    ++result.outcomes_written;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ImportResult> PostgresStore::ImportPlan(const PlanImport& import) {
  if (absl::Status s = rules::CheckImport(import); !s.ok()) return s;
  const std::string& plan_name = import.plan.name();
  const size_t n = import.initiatives.size();
  ImportResult result;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    result = ImportResult();
    absl::StatusOr<v1::Plan> plan = import.create_plan
                                        ? InsertPlan(w, import.plan)
                                        : ReplacePlan(w, import.plan, import.expected_plan_etag);
    if (!plan.ok()) return plan.status();
    result.plan = *std::move(plan);
    result.plan_created = import.create_plan;

    // Which stored initiative each item updates, and so every item's name before any write,
    // which lets a re-list link point at an item written later.
    std::vector<std::optional<v1::Initiative>> current(n);
    std::map<ImportKey, std::string> names;
    result.initiative_names.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const v1::Initiative& initiative = import.initiatives[i].initiative;
      current[i] = FindInitiativeAt(w.tx, plan_name, initiative.area(), initiative.number());
      result.initiative_names[i] =
          current[i].has_value()
              ? current[i]->name()
              : absl::StrCat(plan_name, "/initiatives/", import.initiatives[i].new_id);
      names[rules::KeyOf(initiative)] = result.initiative_names[i];
    }
    std::vector<v1::Initiative> written;
    for (size_t i = 0; i < n; ++i) {
      const InitiativeImport& item = import.initiatives[i];
      absl::StatusOr<v1::Initiative> row =
          RowOf(w.tx, item, result.initiative_names[i], plan_name, names, i);
      if (!row.ok()) return row.status();
      const std::string field = absl::StrCat("initiatives[", i, "]");
      absl::StatusOr<v1::Initiative> stored = current[i].has_value()
                                                  ? ReplaceInitiative(w, *row, *current[i], field)
                                                  : InsertInitiative(w, *row, field);
      if (!stored.ok()) return ForItem(stored.status(), i);
      ++(current[i].has_value() ? result.initiatives_updated : result.initiatives_created);
      if (absl::Status s = PutOutcomes(w, item, result.initiative_names[i], i, result); !s.ok()) {
        return s;
      }
      written.push_back(*std::move(stored));
    }
    for (size_t i = 0; i < written.size(); ++i) {
      if (absl::Status s = CheckRelistsTarget(w.tx, written[i]); !s.ok()) return ForItem(s, i);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace torikumi::store::postgres
