#include "services/domain/default_rule_set.h"

#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/common/read_file.h"
#include "services/domain/list_all.h"

namespace torikumi::domain {

namespace {

// Creates `name` from the file at `path`, checked against `plan`'s scale, unless it exists.
absl::Status CreateIfMissing(store::Store& store, RuleSets& rule_sets, absl::string_view path,
                             const std::string& organization, const std::string& id,
                             const std::string& name, const v1::Plan& plan) {
  absl::StatusOr<v1::RuleSet> existing = store.GetRuleSet(name, 0);
  if (existing.ok()) return absl::OkStatus();
  if (existing.status().code() != absl::StatusCode::kNotFound) return existing.status();
  absl::StatusOr<std::string> body = ReadSmallFile(path);
  if (!body.ok()) {
    return absl::Status(body.status().code(),
                        absl::StrCat("default rule set: ", body.status().message()));
  }
  v1::CreateRuleSetRequest request;
  request.set_parent(organization);
  request.set_rule_set_id(id);
  request.mutable_rule_set()->set_evaluator("rules");
  request.mutable_rule_set()->set_body(*std::move(body));
  request.mutable_rule_set()->set_description(absl::StrCat("shipped default, from ", path));
  request.set_plan(plan.name());
  absl::StatusOr<v1::CreateRuleSetResponse> created = rule_sets.Create(request);
  if (!created.ok()) {
    return absl::Status(created.status().code(),
                        absl::StrCat("default rule set ", path, ": ", created.status().message()));
  }
  log::Info("created the default rule set ", name);
  return absl::OkStatus();
}

// Names `rule_set` on each of `plans` that names none.
absl::Status SetOnPlansWithout(Plans& plans, const std::vector<v1::Plan>& listed,
                               const std::string& rule_set) {
  for (const v1::Plan& plan : listed) {
    if (!plan.rule_set().empty()) continue;
    v1::UpdatePlanRequest update;
    update.mutable_plan()->set_name(plan.name());
    update.mutable_plan()->set_rule_set(rule_set);
    update.mutable_plan()->set_etag(plan.etag());
    update.mutable_update_mask()->add_paths("rule_set");
    absl::StatusOr<v1::UpdatePlanResponse> updated = plans.Update(update);
    if (!updated.ok()) return updated.status();
    log::Info("plan ", plan.name(), " now rates with ", rule_set,
              updated->rating_job().empty()
                  ? ""
                  : absl::StrCat(" (rating it: ", updated->rating_job(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status EnsureDefaultRuleSet(store::Store& store, RuleSets& rule_sets, Plans& plans,
                                  absl::string_view path, absl::string_view organization_id) {
  const std::string organization = absl::StrCat("organizations/", organization_id);
  if (absl::StatusOr<v1::Organization> found = store.GetOrganization(organization); !found.ok()) {
    if (found.status().code() != absl::StatusCode::kNotFound) return found.status();
    log::Info("default rule set ", path, ": ", organization, " does not exist; skipped");
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<v1::Plan>> listed =
      ListAll<v1::Plan>([&](store::Page page) { return store.ListPlans(organization, "", page); });
  if (!listed.ok()) return listed.status();
  if (listed->empty()) {
    log::Info("default rule set ", path, ": ", organization, " has no plan; skipped");
    return absl::OkStatus();
  }
  const std::string id = std::filesystem::path(std::string(path)).stem().string();
  const std::string name = absl::StrCat(organization, "/ruleSets/", id);
  if (absl::Status created =
          CreateIfMissing(store, rule_sets, path, organization, id, name, listed->front());
      !created.ok()) {
    return created;
  }
  return SetOnPlansWithout(plans, *listed, name);
}

}  // namespace torikumi::domain
