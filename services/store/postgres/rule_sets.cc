// Rule sets in the PostgreSQL store: every version is its own immutable row.
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/store/postgres/change_log.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {

int32_t LatestRuleSetVersion(Tx& tx, absl::string_view name) {
  return static_cast<int32_t>(
      tx.exec_params1("SELECT coalesce(max(version), 0) FROM rule_sets WHERE name = $1",
                      std::string(name))[0]
          .as<int64_t>());
}

absl::StatusOr<v1::RuleSet> PostgresStore::CreateRuleSetVersion(const v1::RuleSet& rule_set) {
  absl::StatusOr<std::string> organization =
      rules::RuleSetOrganization(rule_set.name(), "rule_set.name");
  if (!organization.ok()) return organization.status();
  v1::RuleSet stored = rule_set;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    if (absl::Status s = CheckParentExists(w.tx, "organizations", "organization", *organization,
                                           rule_set.name());
        !s.ok()) {
      return s;
    }
    const int64_t version = int64_t{LatestRuleSetVersion(w.tx, rule_set.name())} + 1;
    stored.set_version(static_cast<int32_t>(version));
    *stored.mutable_create_time() = ToTimestamp(w.now);
    w.tx.exec_params(
        "INSERT INTO rule_sets (name, version, organization_id, body) "
        "VALUES ($1, $2, (SELECT id FROM organizations WHERE name = $3), $4)",
        rule_set.name(), version, *organization, Bytes(stored));
    RecordChange(w, events::RuleSetCreated(stored));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::RuleSet> PostgresStore::GetRuleSet(absl::string_view name, int32_t version) {
  if (auto organization = rules::RuleSetOrganization(name, "name"); !organization.ok())
    return organization.status();
  if (version < 0) return InvalidField("name", absl::StrCat("version ", version, " is negative"));
  v1::RuleSet found;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    pqxx::result rows =
        version == 0
            ? tx.exec_params(
                  "SELECT body, name FROM rule_sets WHERE name = $1 ORDER BY version DESC LIMIT 1",
                  std::string(name))
            : tx.exec_params("SELECT body, name FROM rule_sets WHERE name = $1 AND version = $2",
                             std::string(name), version);
    if (rows.empty()) {
      return absl::NotFoundError(
          version == 0 ? absl::StrCat("rule set '", name, "' not found")
                       : absl::StrCat("rule set '", name, "@", version, "' not found"));
    }
    found = ParseBody<v1::RuleSet>(rows[0][0], name);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<ListResult<v1::RuleSet>> PostgresStore::ListRuleSets(absl::string_view parent,
                                                                    bool all_versions, Page page) {
  if (auto id = ParseOrganizationName(parent, "parent"); !id.ok()) return id.status();
  std::string where = " WHERE r.organization_id = (SELECT id FROM organizations WHERE name = $1)";
  if (!all_versions) {
    where +=
        " AND r.version = (SELECT max(version) FROM rule_sets latest WHERE latest.name = r.name)";
  }
  return ReadPage<v1::RuleSet>(
      {.select = absl::StrCat("SELECT r.body, r.name FROM rule_sets r", where,
                              " ORDER BY r.name, r.version"),
       .count = absl::StrCat("SELECT count(*) FROM rule_sets r", where),
       .arguments = {std::string(parent)},
       .parent = ListQuery::Parent{"organizations", "organization", std::string(parent)}},
      page);
}

}  // namespace torikumi::store::postgres
