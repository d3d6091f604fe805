#include "services/domain/change_feed.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"

namespace torikumi::domain {

std::string FormatCursor(int64_t seq) { return absl::StrCat(seq); }

absl::StatusOr<int64_t> ParseCursor(absl::string_view text, absl::string_view field) {
  int64_t seq = 0;
  if (!absl::SimpleAtoi(text, &seq) || seq < 0) {
    return InvalidField(std::string(field),
                        absl::StrCat("'", text, "' is not a cursor of the change feed"));
  }
  return seq;
}

absl::StatusOr<store::ChangeQuery> ChangeScope(absl::string_view parent,
                                               const std::vector<v1::ResourceKind>& kinds,
                                               absl::string_view field) {
  store::ChangeQuery query;
  if (absl::StrContains(parent, "/plans/")) {
    absl::StatusOr<PlanName> plan = ParsePlanName(parent, field);
    if (!plan.ok()) return plan.status();
    query.organization = plan->OrganizationName();
    query.plan = plan->Format();
  } else {
    absl::StatusOr<std::string> organization = ParseOrganizationName(parent, field);
    if (!organization.ok()) return organization.status();
    query.organization = std::string(parent);
  }
  for (v1::ResourceKind kind : kinds) {
    if (kind == v1::RESOURCE_KIND_UNSPECIFIED || !v1::ResourceKind_IsValid(kind)) {
      return InvalidField("kinds", absl::StrCat(int{kind}, " is not a resource kind"));
    }
    query.kinds.push_back(kind);
  }
  return query;
}

absl::StatusOr<store::ChangeQuery> ChangeFeed::StartWatch(const v1::WatchChangesRequest& request) {
  std::vector<v1::ResourceKind> kinds;
  for (int kind : request.kinds()) kinds.push_back(static_cast<v1::ResourceKind>(kind));
  absl::StatusOr<store::ChangeQuery> query = ChangeScope(request.parent(), kinds, "parent");
  if (!query.ok()) return query.status();
  if (request.cursor().empty()) {
    absl::StatusOr<int64_t> last = store_.LastChange();
    if (!last.ok()) return last.status();
    query->after = *last;
    return query;
  }
  absl::StatusOr<int64_t> after = ParseCursor(request.cursor(), "cursor");
  if (!after.ok()) return after.status();
  query->after = *after;
  // Checks the cursor now, so an expired one fails the call before it streams anything.
  query->limit = 1;
  if (absl::StatusOr<store::ChangePage> page = store_.ListChanges(*query); !page.ok()) {
    return page.status();
  }
  query->limit = store::ChangeQuery().limit;
  return query;
}

absl::StatusOr<store::ChangePage> ChangeFeed::NextPage(const store::ChangeQuery& query) {
  return store_.ListChanges(query);
}

absl::StatusOr<int64_t> ChangeFeed::Prune(absl::Duration retention) {
  return store_.PruneChanges(absl::Now() - retention);
}

namespace {

// What a watcher of `plan` may see of a job that re-rates `plan_count` plans, perhaps of
// several organizations: the errors of its own plan, and its plan as the whole count.
v1::Job PlansPartOfJob(const v1::Job& job, absl::string_view plan, size_t plan_count) {
  if (plan_count <= 1) return job;
  v1::Job part = job;
  part.clear_errors();
  const std::string prefix = absl::StrCat(plan, ":");
  for (const std::string& error : job.errors()) {
    if (absl::StartsWith(error, prefix)) part.add_errors(error);
  }
  const bool ended =
      job.state() == v1::Job::STATE_SUCCEEDED || job.state() == v1::Job::STATE_FAILED;
  part.set_total(1);
  part.set_done(ended ? 1 : 0);
  return part;
}

}  // namespace

absl::Status RecordJobChange(store::Store& store, v1::ChangeType type, const v1::Job& job,
                             const std::vector<std::string>& plans) {
  std::vector<store::PlanChange> changes;
  for (const std::string& plan : plans) {
    store::PlanChange& change = changes.emplace_back();
    change.plan = plan;
    change.event.set_type(type);
    change.event.set_kind(v1::RESOURCE_KIND_JOB);
    change.event.set_name(job.name());
    *change.event.mutable_job() = PlansPartOfJob(job, plan, plans.size());
  }
  return store.AppendChanges(changes);
}

}  // namespace torikumi::domain
