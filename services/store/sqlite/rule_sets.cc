// Rule sets in the SQLite store: every version is its own immutable row.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {
namespace {

using rules::RuleSetOrganization;

absl::StatusOr<v1::RuleSet> ParseRow(Statement& row) {
  return ParseBody<v1::RuleSet>(row.ColumnBlob(0), row.ColumnText(1));
}

}  // namespace

absl::StatusOr<int32_t> LatestRuleSetVersion(Connection& db, absl::string_view name) {
  absl::StatusOr<Statement> query =
      db.Prepare("SELECT coalesce(max(version), 0) FROM rule_sets WHERE name = ?");
  if (!query.ok()) return query.status();
  query->Bind(name);
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  return *row ? static_cast<int32_t>(query->ColumnInt(0)) : 0;
}

absl::StatusOr<v1::RuleSet> SqliteStore::CreateRuleSetVersion(const v1::RuleSet& rule_set) {
  absl::StatusOr<std::string> organization = RuleSetOrganization(rule_set.name(), "rule_set.name");
  if (!organization.ok()) return organization.status();
  v1::RuleSet stored = rule_set;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    if (absl::Status s = CheckParentExists(w.db, "organizations", "organization", *organization,
                                           rule_set.name());
        !s.ok()) {
      return s;
    }
    absl::StatusOr<int32_t> last = LatestRuleSetVersion(w.db, rule_set.name());
    if (!last.ok()) return last.status();
    const int64_t version = int64_t{*last} + 1;
    stored.set_version(static_cast<int32_t>(version));
    *stored.mutable_create_time() = ToTimestamp(w.now);
    absl::StatusOr<Statement> insert = w.db.Prepare(
        "INSERT INTO rule_sets (name, version, organization, body) VALUES (?, ?, ?, ?)");
    if (!insert.ok()) return insert.status();
    insert->Bind(rule_set.name())
        .Bind(version)
        .Bind(*organization)
        .BindBlob(stored.SerializeAsString());
    if (absl::Status s = insert->Run(); !s.ok()) return s;
    return RecordChange(w, stored);
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::RuleSet> SqliteStore::GetRuleSet(absl::string_view name, int32_t version) {
  if (auto organization = RuleSetOrganization(name, "name"); !organization.ok())
    return organization.status();
  if (version < 0) return InvalidField("name", absl::StrCat("version ", version, " is negative"));
  v1::RuleSet found;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<Statement> query =
        version == 0
            ? db.Prepare(
                  "SELECT body, name FROM rule_sets WHERE name = ? ORDER BY version DESC LIMIT 1")
            : db.Prepare("SELECT body, name FROM rule_sets WHERE name = ? AND version = ?");
    if (!query.ok()) return query.status();
    query->Bind(name);
    if (version != 0) query->Bind(int64_t{version});
    absl::StatusOr<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return absl::NotFoundError(
          version == 0 ? absl::StrCat("rule set '", name, "' not found")
                       : absl::StrCat("rule set '", name, "@", version, "' not found"));
    }
    absl::StatusOr<v1::RuleSet> parsed = ParseRow(*query);
    if (!parsed.ok()) return parsed.status();
    found = *std::move(parsed);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<ListResult<v1::RuleSet>> SqliteStore::ListRuleSets(absl::string_view parent,
                                                                  bool all_versions, Page page) {
  if (auto id = ParseOrganizationName(parent, "parent"); !id.ok()) return id.status();
  const std::string where =
      all_versions
          ? " WHERE organization = ?"
          : " WHERE organization = ? AND version = "
            "(SELECT max(version) FROM rule_sets latest WHERE latest.name = rule_sets.name)";
  return ReadPage<v1::RuleSet>(
      {.select = absl::StrCat("SELECT body, name FROM rule_sets", where,
                              " ORDER BY name, version LIMIT ? OFFSET ?"),
       .count = absl::StrCat("SELECT count(*) FROM rule_sets", where),
       .arguments = {std::string(parent)},
       .parent = ListQuery::Parent{"organizations", "organization", std::string(parent)}},
      page);
}

}  // namespace torikumi::store::sqlite
