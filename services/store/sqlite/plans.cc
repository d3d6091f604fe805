// Plans in the SQLite store.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {
namespace {

constexpr absl::string_view kSelectBody = "SELECT body FROM plans WHERE name = ?";

std::string What(absl::string_view name) { return absl::StrCat("plan '", name, "'"); }

absl::StatusOr<v1::Plan> Load(Connection& db, absl::string_view name) {
  absl::StatusOr<std::optional<v1::Plan>> found = LoadBody<v1::Plan>(db, kSelectBody, name);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError(absl::StrCat(What(name), " not found"));
  return **std::move(found);
}

// Rewrites the plan's area positions, which order its initiatives, and the positions its
// initiatives keep. Should an area repeat, its first position counts.
absl::Status PutAreas(Connection& db, const v1::Plan& plan) {
  absl::StatusOr<Statement> clear = db.Prepare("DELETE FROM plan_areas WHERE plan = ?");
  if (!clear.ok()) return clear.status();
  clear->Bind(plan.name());
  if (absl::Status s = clear->Run(); !s.ok()) return s;
  for (int i = 0; i < plan.areas_size(); ++i) {
    absl::StatusOr<Statement> insert = db.Prepare(
        "INSERT OR IGNORE INTO plan_areas (plan, area, position) VALUES (?, nfkc(?), ?)");
    if (!insert.ok()) return insert.status();
    insert->Bind(plan.name()).Bind(plan.areas(i)).Bind(int64_t{i});
    if (absl::Status s = insert->Run(); !s.ok()) return s;
  }
  return RefreshAreaPositions(db, plan.name());
}

}  // namespace

absl::StatusOr<v1::Plan> InsertPlan(WriteContext& w, const v1::Plan& plan) {
  const std::string& name = plan.name();
  absl::StatusOr<PlanName> parsed = ParsePlanName(name, "plan.name");
  if (!parsed.ok()) return parsed.status();
  absl::StatusOr<std::string> title = Normalized(plan.title(), "plan.title");
  if (!title.ok()) return title.status();
  const std::string organization = parsed->OrganizationName();
  if (absl::Status s = CheckParentExists(w.db, "organizations", "organization", organization, name);
      !s.ok())
    return s;
  absl::StatusOr<std::optional<v1::Plan>> existing = LoadBody<v1::Plan>(w.db, kSelectBody, name);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(What(name), " already exists"));
  }
  absl::StatusOr<int64_t> version = w.Version();
  if (!version.ok()) return version.status();
  v1::Plan stored = plan;
  *stored.mutable_create_time() = ToTimestamp(w.now);
  *stored.mutable_update_time() = ToTimestamp(w.now);
  stored.set_etag(EtagOf(*version));
  absl::StatusOr<Statement> insert = w.db.Prepare(
      "INSERT INTO plans (name, organization, title_normalized, version, body) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(name)
      .Bind(organization)
      .Bind(*title)
      .Bind(*version)
      .BindBlob(stored.SerializeAsString());
  if (absl::Status s = insert->Run(); !s.ok()) return s;
  if (absl::Status s = PutAreas(w.db, stored); !s.ok()) return s;
  if (absl::Status s = RecordChange(w, v1::CHANGE_TYPE_CREATED, stored); !s.ok()) return s;
  return stored;
}

absl::StatusOr<v1::Plan> ReplacePlan(WriteContext& w, const v1::Plan& plan,
                                     absl::string_view expected_etag) {
  const std::string& name = plan.name();
  if (auto parsed = ParsePlanName(name, "plan.name"); !parsed.ok()) return parsed.status();
  absl::StatusOr<std::string> title = Normalized(plan.title(), "plan.title");
  if (!title.ok()) return title.status();
  absl::StatusOr<v1::Plan> current = Load(w.db, name);
  if (!current.ok()) return current.status();
  if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
  absl::StatusOr<int64_t> version = w.Version();
  if (!version.ok()) return version.status();
  v1::Plan stored = plan;
  *stored.mutable_create_time() = current->create_time();
  *stored.mutable_update_time() = ToTimestamp(w.now);
  stored.set_etag(EtagOf(*version));
  absl::StatusOr<Statement> update =
      w.db.Prepare("UPDATE plans SET title_normalized = ?, version = ?, body = ? WHERE name = ?");
  if (!update.ok()) return update.status();
  update->Bind(*title).Bind(*version).BindBlob(stored.SerializeAsString()).Bind(name);
  if (absl::Status s = update->Run(); !s.ok()) return s;
  if (absl::Status s = PutAreas(w.db, stored); !s.ok()) return s;
  if (absl::Status s = RecordChange(w, v1::CHANGE_TYPE_UPDATED, stored); !s.ok()) return s;
  return stored;
}

absl::StatusOr<v1::Plan> SqliteStore::CreatePlan(const v1::Plan& plan,
                                                 absl::string_view request_id) {
  const std::string& name = plan.name();
  // Checked before the transaction too, so a malformed request never takes the write lock.
  if (auto parsed = ParsePlanName(name, "plan.name"); !parsed.ok()) return parsed.status();
  if (auto title = Normalized(plan.title(), "plan.title"); !title.ok()) return title.status();
  v1::Plan stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<std::optional<v1::Plan>> previous =
        PreviousCreate<v1::Plan>(w.db, kPlanRequest, request_id, kSelectBody);
    if (!previous.ok()) return previous.status();
    if (previous->has_value()) {
      stored = **previous;
      return absl::OkStatus();
    }
    absl::StatusOr<v1::Plan> created = InsertPlan(w, plan);
    if (!created.ok()) return created.status();
    stored = *std::move(created);
    return RecordRequest(w, kPlanRequest, request_id, {name});
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::Plan> SqliteStore::GetPlan(absl::string_view name) {
  if (auto parsed = ParsePlanName(name, "name"); !parsed.ok()) return parsed.status();
  v1::Plan plan;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<v1::Plan> found = Load(db, name);
    if (!found.ok()) return found.status();
    plan = *std::move(found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return plan;
}

absl::StatusOr<ListResult<v1::Plan>> SqliteStore::ListPlans(absl::string_view parent,
                                                            absl::string_view title_contains,
                                                            Page page) {
  const bool all = parent == "organizations/-";
  if (!all) {
    if (auto id = ParseOrganizationName(parent, "parent"); !id.ok()) return id.status();
  }
  std::string where = " WHERE 1";
  Arguments arguments;
  if (!all) {
    where += " AND organization = ?";
    arguments.emplace_back(std::string(parent));
  }
  if (!title_contains.empty()) {
    where += " AND instr(title_normalized, ?) > 0";
    arguments.emplace_back(std::string(title_contains));
  }
  ListQuery query{.select = absl::StrCat("SELECT body, name FROM plans", where,
                                         " ORDER BY name LIMIT ? OFFSET ?"),
                  .count = absl::StrCat("SELECT count(*) FROM plans", where),
                  .arguments = std::move(arguments)};
  if (!all) query.parent = ListQuery::Parent{"organizations", "organization", std::string(parent)};
  return ReadPage<v1::Plan>(query, page);
}

absl::StatusOr<v1::Plan> SqliteStore::UpdatePlan(const v1::Plan& plan,
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

absl::Status SqliteStore::DeletePlan(absl::string_view name, bool force,
                                     absl::string_view expected_etag) {
  if (auto parsed = ParsePlanName(name, "name"); !parsed.ok()) return parsed.status();
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Plan> current = Load(w.db, name);
    if (!current.ok()) return current.status();
    if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
    if (!force) {
      absl::Status refused = RefuseIfChildren(
          w.db, What(name), name,
          {"SELECT count(*) FROM initiatives WHERE plan = ?", "initiative", "initiatives",
           "delete them first, or delete with force to remove them and their outcomes"});
      if (!refused.ok()) return refused;
    }
    // ON DELETE CASCADE removes its areas, initiatives and their outcomes.
    if (absl::Status s = DeleteRow(w.db, "plans", name); !s.ok()) return s;
    if (absl::Status s = RecordDeletion(w, v1::RESOURCE_KIND_PLAN, name); !s.ok()) return s;
    return force ? ClearDanglingRelists(w) : absl::OkStatus();
  });
}

}  // namespace torikumi::store::sqlite
