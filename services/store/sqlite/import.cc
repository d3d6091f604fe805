// ImportPlan in the SQLite store: a plan, its initiatives and their outcomes written in one
// transaction with the same row writers the single-resource methods use (records.h).
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {
namespace {

using Key = rules::ImportKey;
using rules::CheckImport;
using rules::KeyOf;
using rules::KeyText;

}  // namespace

absl::StatusOr<ImportResult> SqliteStore::ImportPlan(const PlanImport& import) {
  if (absl::Status s = CheckImport(import); !s.ok()) return s;
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
    std::map<Key, std::string> names;
    result.initiative_names.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const v1::Initiative& initiative = import.initiatives[i].initiative;
      absl::StatusOr<std::optional<v1::Initiative>> found =
          FindInitiativeAt(w.db, plan_name, initiative.area(), initiative.number());
      if (!found.ok()) return found.status();
      current[i] = *std::move(found);
      result.initiative_names[i] =
          current[i].has_value()
              ? current[i]->name()
              : absl::StrCat(plan_name, "/initiatives/", import.initiatives[i].new_id);
      names[KeyOf(initiative)] = result.initiative_names[i];
    }

    std::vector<v1::Initiative> written;
    written.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const InitiativeImport& item = import.initiatives[i];
      v1::Initiative row = item.initiative;
      row.set_name(result.initiative_names[i]);
      row.clear_relists();
      row.clear_create_time();
      row.clear_update_time();
      row.clear_etag();
      if (!item.relists.area.empty()) {
        const Key target{MatchingForm(item.relists.area), item.relists.number};
        auto it = names.find(target);
        if (it != names.end()) {
          row.set_relists(it->second);
        } else {
          // Not in the import: an initiative the plan already had.
          absl::StatusOr<std::optional<v1::Initiative>> found =
              FindInitiativeAt(w.db, plan_name, target.first, target.second);
          if (!found.ok()) return found.status();
          if (!found->has_value()) {
            return ForItem(
                absl::NotFoundError(absl::StrCat("re-lists ", KeyText(target), ", which plan '",
                                                 plan_name, "' does not have")),
                i);
          }
          row.set_relists((*found)->name());
        }
      }
      const std::string field = absl::StrCat("initiatives[", i, "]");
      absl::StatusOr<v1::Initiative> stored = current[i].has_value()
                                                  ? ReplaceInitiative(w, row, *current[i], field)
                                                  : InsertInitiative(w, row, field);
      if (!stored.ok()) return ForItem(stored.status(), i);
      ++(current[i].has_value() ? result.initiatives_updated : result.initiatives_created);

      for (const v1::Outcome& input : item.outcomes) {
        v1::Outcome outcome = input;
        outcome.set_name(absl::StrCat(result.initiative_names[i], "/outcomes/",
                                      OutcomeId(outcome.fiscal_year())));
        outcome.clear_update_time();
        outcome.clear_etag();
        absl::StatusOr<UpsertResult> put = PutOutcome(w, outcome, "");
        if (!put.ok()) return ForItem(put.status(), i);
        ++result.outcomes_written;
      }
      written.push_back(*std::move(stored));
    }
    for (size_t i = 0; i < written.size(); ++i) {
      if (absl::Status s = CheckRelistsTarget(w.db, written[i]); !s.ok()) return ForItem(s, i);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace torikumi::store::sqlite
