// Plans in the PostgreSQL store.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/postgres/change_log.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {
namespace {

constexpr char kSelectBody[] = "SELECT body FROM plans WHERE name = $1";

std::string What(absl::string_view name) { return absl::StrCat("plan '", name, "'"); }

absl::StatusOr<v1::Plan> Load(Tx& tx, absl::string_view name) {
  std::optional<v1::Plan> found = LoadBody<v1::Plan>(tx, kSelectBody, name);
  if (!found.has_value()) return absl::NotFoundError(absl::StrCat(What(name), " not found"));
  return *std::move(found);
}

// Rewrites the plan's area positions, which order its initiatives. Should an area repeat, its
// first position counts.
void PutAreas(Tx& tx, const v1::Plan& plan) {
  const int64_t plan_id =
      tx.exec_params1("SELECT id FROM plans WHERE name = $1", plan.name())[0].as<int64_t>();
  tx.exec_params("DELETE FROM plan_areas WHERE plan_id = $1", plan_id);
  for (int i = 0; i < plan.areas_size(); ++i) {
    tx.exec_params(
        "INSERT INTO plan_areas (plan_id, area, position) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        plan_id, MatchingForm(plan.areas(i)), i);
  }
}

}  // namespace

absl::StatusOr<v1::Plan> InsertPlan(WriteContext& w, const v1::Plan& plan) {
  const std::string& name = plan.name();
  absl::StatusOr<PlanName> parsed = ParsePlanName(name, "plan.name");
  if (!parsed.ok()) return parsed.status();
  absl::StatusOr<std::string> title = Normalized(plan.title(), "plan.title");
  if (!title.ok()) return title.status();
  const std::string organization = parsed->OrganizationName();
  if (absl::Status s = CheckParentExists(w.tx, "organizations", "organization", organization, name);
      !s.ok())
    return s;
  if (LoadBody<v1::Plan>(w.tx, kSelectBody, name).has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(What(name), " already exists"));
  }
  const int64_t version = w.Version();
  v1::Plan stored = plan;
  *stored.mutable_create_time() = ToTimestamp(w.now);
  *stored.mutable_update_time() = ToTimestamp(w.now);
  stored.set_etag(EtagOf(version));
  w.tx.exec_params(
      "INSERT INTO plans (name, organization_id, title_normalized, version, body) "
      "VALUES ($1, (SELECT id FROM organizations WHERE name = $2), $3, $4, $5)",
      name, organization, *title, version, Bytes(stored));
  PutAreas(w.tx, stored);
  RecordChange(w, events::PlanWritten(v1::CHANGE_TYPE_CREATED, stored));
  return stored;
}

absl::StatusOr<v1::Plan> ReplacePlan(WriteContext& w, const v1::Plan& plan,
                                     absl::string_view expected_etag) {
  const std::string& name = plan.name();
  if (auto parsed = ParsePlanName(name, "plan.name"); !parsed.ok()) return parsed.status();
  absl::StatusOr<std::string> title = Normalized(plan.title(), "plan.title");
  if (!title.ok()) return title.status();
  absl::StatusOr<v1::Plan> current = Load(w.tx, name);
  if (!current.ok()) return current.status();
  if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
  const int64_t version = w.Version();
  v1::Plan stored = plan;
  *stored.mutable_create_time() = current->create_time();
  *stored.mutable_update_time() = ToTimestamp(w.now);
  stored.set_etag(EtagOf(version));
  w.tx.exec_params(
      "UPDATE plans SET title_normalized = $1, version = $2, body = $3 WHERE name = $4", *title,
      version, Bytes(stored), name);
  PutAreas(w.tx, stored);
  RecordChange(w, events::PlanWritten(v1::CHANGE_TYPE_UPDATED, stored));
  return stored;
}

absl::StatusOr<v1::Plan> PostgresStore::CreatePlan(const v1::Plan& plan,
                                                   absl::string_view request_id) {
  const std::string& name = plan.name();
  if (auto parsed = ParsePlanName(name, "plan.name"); !parsed.ok()) return parsed.status();
  if (auto title = Normalized(plan.title(), "plan.title"); !title.ok()) return title.status();
  v1::Plan stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<std::optional<v1::Plan>> previous =
        PreviousCreate<v1::Plan>(w.tx, kPlanRequest, request_id, kSelectBody);
    if (!previous.ok()) return previous.status();
    if (previous->has_value()) {
      stored = **previous;
      return absl::OkStatus();
    }
    absl::StatusOr<v1::Plan> created = InsertPlan(w, plan);
    if (!created.ok()) return created.status();
    stored = *std::move(created);
    RecordRequest(w, kPlanRequest, request_id, {name});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::Plan> PostgresStore::GetPlan(absl::string_view name) {
  if (auto parsed = ParsePlanName(name, "name"); !parsed.ok()) return parsed.status();
  v1::Plan plan;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    absl::StatusOr<v1::Plan> found = Load(tx, name);
    if (!found.ok()) return found.status();
    plan = *std::move(found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return plan;
}

absl::StatusOr<ListResult<v1::Plan>> PostgresStore::ListPlans(absl::string_view parent,
                                                              absl::string_view title_contains,
                                                              Page page) {
  const bool all = parent == "organizations/-";
  if (!all) {
    if (auto id = ParseOrganizationName(parent, "parent"); !id.ok()) return id.status();
  }
  std::string where = " WHERE true";
  Arguments arguments;
  if (!all) {
    where += " AND o.name = $1";
    arguments.emplace_back(parent);
  }
  if (!title_contains.empty()) {
    absl::StrAppend(&where, " AND strpos(p.title_normalized, $", arguments.size() + 1, ") > 0");
    arguments.emplace_back(title_contains);
  }
  const std::string from = " FROM plans p JOIN organizations o ON o.id = p.organization_id";
  ListQuery query{.select = absl::StrCat("SELECT p.body, p.name", from, where, " ORDER BY p.name"),
                  .count = absl::StrCat("SELECT count(*)", from, where),
                  .arguments = std::move(arguments)};
  if (!all) query.parent = ListQuery::Parent{"organizations", "organization", std::string(parent)};
  return ReadPage<v1::Plan>(query, page);
}

absl::StatusOr<v1::Plan> PostgresStore::UpdatePlan(const v1::Plan& plan,
                                                   absl::string_view expected_etag) {
  if (auto parsed = ParsePlanName(plan.name(), "plan.name"); !parsed.ok()) return parsed.status();
  if (auto title = Normalized(plan.title(), "plan.title"); !title.ok()) return title.status();
  v1::Plan stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Plan> replaced = ReplacePlan(w, plan, expected_etag);
    if (!replaced.ok()) return replaced.status();
    stored = *std::move(replaced);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::Status PostgresStore::DeletePlan(absl::string_view name, bool force,
                                       absl::string_view expected_etag) {
  if (auto parsed = ParsePlanName(name, "name"); !parsed.ok()) return parsed.status();
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Plan> current = Load(w.tx, name);
    if (!current.ok()) return current.status();
    if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
    if (!force) {
      absl::Status refused = RefuseIfChildren(
          w.tx, What(name), name,
          {"SELECT count(*) FROM initiatives i JOIN plans p ON p.id = i.plan_id WHERE p.name = $1",
           "initiative", "initiatives",
           "delete them first, or delete with force to remove them and their outcomes"});
      if (!refused.ok()) return refused;
    }
    // ON DELETE CASCADE removes its areas, initiatives and their outcomes.
    DeleteRow(w.tx, "plans", name);
    RecordChange(w, events::Deletion(v1::RESOURCE_KIND_PLAN, name));
    if (force) ClearDanglingRelists(w);
    return absl::OkStatus();
  });
}

}  // namespace torikumi::store::postgres
