#include "services/domain/plans.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/domain/etag_retry.h"
#include "services/domain/field_mask.h"
#include "services/domain/normalize.h"
#include "services/domain/page_token.h"
#include "services/domain/validation.h"
#include "services/table/layout.h"

namespace torikumi::domain {
namespace {

constexpr absl::string_view kAllOrganizations = "organizations/-";

const UpdatePolicy& PlanUpdatePolicy() {
  static const UpdatePolicy* policy = new UpdatePolicy{
      {"title", "period", "period.first_fiscal_year", "period.last_fiscal_year", "areas",
       "rating_scale", "rule_set", "table_layout"},
      {"name", "create_time", "update_time", "etag"},
  };
  return *policy;
}

template <typename Container, typename Value>
bool Has(const Container& container, const Value& value) {
  return std::find(container.begin(), container.end(), value) != container.end();
}

// How many match, reading at most one row.
absl::StatusOr<int64_t> CountInitiatives(store::Store& store, const std::string& plan,
                                         const v1::InitiativeFilter& filter) {
  absl::StatusOr<store::ListResult<v1::Initiative>> found =
      store.ListInitiatives(plan, filter, store::Page{0, 1});
  if (!found.ok()) return found.status();
  return found->total;
}

// A plan change must not strand what already hangs below the plan: an area still used by an
// initiative, a fiscal year that still has schedule entries or outcomes, a grade still given.
// FAILED_PRECONDITION lists everything in the way, so the caller can fix the children first.
absl::Status CheckChildrenStillFit(store::Store& store, const v1::Plan& before,
                                   const v1::Plan& after) {
  std::vector<std::string> problems;
  std::vector<std::string> kept;
  for (const std::string& area : after.areas()) kept.push_back(MatchingKey(area));
  for (const std::string& area : before.areas()) {
    // An area spelled anew (ＯＪＴ研修 for OJT研修) is still the same area.
    if (Has(kept, MatchingKey(area))) continue;
    v1::InitiativeFilter filter;
    filter.set_area(area);
    absl::StatusOr<int64_t> n = CountInitiatives(store, before.name(), filter);
    if (!n.ok()) return n.status();
    if (*n > 0) problems.push_back(absl::StrCat("area '", area, "' has ", *n, " initiative(s)"));
  }
  const std::string all_initiatives = absl::StrCat(before.name(), "/initiatives/-");
  for (int year = before.period().first_fiscal_year(); year <= before.period().last_fiscal_year();
       ++year) {
    if (year >= after.period().first_fiscal_year() && year <= after.period().last_fiscal_year()) {
      continue;
    }
    v1::InitiativeFilter filter;
    filter.set_fiscal_year(year);
    absl::StatusOr<int64_t> scheduled = CountInitiatives(store, before.name(), filter);
    if (!scheduled.ok()) return scheduled.status();
    if (*scheduled > 0) {
      problems.push_back(absl::StrCat("fiscal year ", year, " is in the schedule of ", *scheduled,
                                      " initiative(s)"));
    }
    absl::StatusOr<store::ListResult<v1::Outcome>> outcomes =
        store.ListOutcomes(all_initiatives, year, store::Page{0, 1});
    if (!outcomes.ok()) return outcomes.status();
    if (outcomes->total > 0) {
      problems.push_back(
          absl::StrCat("fiscal year ", year, " has ", outcomes->total, " outcome(s)"));
    }
  }
  for (const v1::Grade& grade : before.rating_scale().grades()) {
    if (IsGradeOnScale(after, grade.code())) continue;
    v1::InitiativeFilter filter;
    filter.set_grade(grade.code());
    absl::StatusOr<int64_t> n = CountInitiatives(store, before.name(), filter);
    if (!n.ok()) return n.status();
    if (*n > 0) {
      problems.push_back(
          absl::StrCat("grade '", grade.code(), "' is the rating of ", *n, " initiative(s)"));
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "plan ", before.name(), " cannot change that way: ", absl::StrJoin(problems, "; "),
      "; change or delete those first"));
}

}  // namespace

absl::StatusOr<v1::GetPlanResponse> Plans::Get(const v1::GetPlanRequest& request) {
  absl::StatusOr<PlanName> name = ParsePlanName(request.name(), "name");
  if (!name.ok()) return name.status();
  absl::StatusOr<v1::Plan> plan = store_.GetPlan(request.name());
  if (!plan.ok()) return plan.status();
  v1::GetPlanResponse response;
  *response.mutable_plan() = *std::move(plan);
  return response;
}

absl::StatusOr<v1::ListPlansResponse> Plans::List(const v1::ListPlansRequest& request) {
  if (request.parent() != kAllOrganizations) {
    absl::StatusOr<std::string> organization = ParseOrganizationName(request.parent(), "parent");
    if (!organization.ok()) return organization.status();
    // An unknown organization is NOT_FOUND rather than an empty list.
    absl::StatusOr<v1::Organization> exists = store_.GetOrganization(request.parent());
    if (!exists.ok()) return exists.status();
  }
  FieldViolations violations;
  std::string title_contains = request.title_contains();
  NormalizeText(&title_contains, "title_contains", &violations);
  if (!violations.empty()) return violations.ToStatus();

  const std::string query = absl::StrCat("plans\n", request.parent(), "\n", title_contains);
  absl::StatusOr<store::Page> page =
      PageFromRequest(request.page_size(), request.page_token(), query);
  if (!page.ok()) return page.status();
  absl::StatusOr<store::ListResult<v1::Plan>> result =
      store_.ListPlans(request.parent(), title_contains, *page);
  if (!result.ok()) return result.status();
  v1::ListPlansResponse response;
  for (v1::Plan& plan : result->items) *response.add_plans() = std::move(plan);
  response.set_next_page_token(NextPageToken(*page, response.plans_size(), result->total, query));
  response.set_total_size(TotalSize(result->total));
  return response;
}

absl::StatusOr<v1::CreatePlanResponse> Plans::Create(const v1::CreatePlanRequest& request) {
  absl::StatusOr<std::string> organization = ParseOrganizationName(request.parent(), "parent");
  if (!organization.ok()) return organization.status();
  FieldViolations violations;
  ValidateOptionalId(request.plan_id(), "plan_id", &violations);
  v1::Plan plan = request.plan();
  // A plan made without a table prints in the default layout until a table is imported.
  if (!plan.table_layout().recorded()) *plan.mutable_table_layout() = table::DefaultTableLayout();
  NormalizePlan(&plan, "plan", &violations);
  ValidatePlan(plan, "plan", &violations);
  if (!violations.empty()) return violations.ToStatus();

  std::string id = request.plan_id().empty() ? GenerateId('p') : request.plan_id();
  plan.set_name(PlanName{*organization, id}.Format());
  absl::StatusOr<v1::Plan> created = store_.CreatePlan(plan, request.request_id());
  if (!created.ok()) return created.status();
  v1::CreatePlanResponse response;
  *response.mutable_plan() = *std::move(created);
  return response;
}

absl::StatusOr<v1::UpdatePlanResponse> Plans::Update(const v1::UpdatePlanRequest& request) {
  const v1::Plan& change = request.plan();
  absl::StatusOr<PlanName> name = ParsePlanName(change.name(), "plan.name");
  if (!name.ok()) return name.status();
  if (absl::Status mask = CheckUpdateMask(request.update_mask(), PlanUpdatePolicy()); !mask.ok()) {
    return mask;
  }

  std::string previous_rule_set;
  absl::StatusOr<v1::Plan> updated = ReadModifyWrite(
      change.name(), change.etag(), [&] { return store_.GetPlan(change.name()); },
      [&](const v1::Plan& current, absl::string_view expected_etag) -> absl::StatusOr<v1::Plan> {
        previous_rule_set = current.rule_set();
        v1::Plan merged = current;
        ApplyUpdateMask(request.update_mask(), PlanUpdatePolicy(), change, &merged);
        FieldViolations violations;
        NormalizePlan(&merged, "plan", &violations);
        ValidatePlan(merged, "plan", &violations);
        if (!violations.empty()) return violations.ToStatus();
        if (absl::Status fits = CheckChildrenStillFit(store_, current, merged); !fits.ok()) {
          return fits;
        }
        return store_.UpdatePlan(merged, expected_etag);
      });
  if (!updated.ok()) return updated.status();
  v1::UpdatePlanResponse response;
  // Another rule set (or another pinned version) rates the plan anew; other fields (title,
  // areas) change no rating.
  if (triggers_ != nullptr && updated->rule_set() != previous_rule_set) {
    response.set_rating_job(triggers_->PlanChanged(updated->name(), kTriggerPlan));
  }
  *response.mutable_plan() = *std::move(updated);
  return response;
}

absl::StatusOr<v1::DeletePlanResponse> Plans::Delete(const v1::DeletePlanRequest& request) {
  absl::StatusOr<PlanName> name = ParsePlanName(request.name(), "name");
  if (!name.ok()) return name.status();
  if (absl::Status deleted = store_.DeletePlan(request.name(), request.force(), request.etag());
      !deleted.ok()) {
    return deleted;
  }
  return v1::DeletePlanResponse();
}

}  // namespace torikumi::domain
