#include "services/server/migrate_command.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/domain/copy_store.h"
#include "services/store/postgres/postgres_store.h"
#include "services/store/sqlite/sqlite_store.h"

namespace torikumi::server {

absl::Status MigrateSqliteToPostgres(const std::string& from, const std::string& to,
                                     int pool_size) {
  if (!store::IsPostgresUri(to)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--migrate_from moves a SQLite file into PostgreSQL: --db must be a "
                     "postgresql:// URI, not '",
                     to, "'"));
  }
  std::error_code error;
  if (!std::filesystem::is_regular_file(from, error)) {
    return absl::NotFoundError(absl::StrCat("--migrate_from: no database file ", from));
  }
  absl::StatusOr<std::unique_ptr<store::Store>> source = store::OpenSqliteStore(from);
  if (!source.ok()) return source.status();
  absl::StatusOr<std::unique_ptr<store::Store>> target =
      store::OpenPostgresStore(to, {.pool_size = pool_size});
  if (!target.ok()) return target.status();
  absl::StatusOr<domain::CopyCounts> copied = domain::CopyStore(**source, **target);
  if (!copied.ok()) return copied.status();
  log::Info("migrated ", from, " into ", store::RedactedUri(to), ": ", copied->organizations,
            " organizations, ", copied->rule_set_versions, " rule set versions, ", copied->plans,
            " plans, ", copied->initiatives, " initiatives, ", copied->outcomes, " outcomes, ",
            copied->ratings, " computed ratings, ", copied->rating_rounds, " rating rounds, ",
            copied->subscriptions, " subscriptions, ", copied->tokens, " API tokens, ",
            copied->audit_events, " audit events");
  return absl::OkStatus();
}

}  // namespace torikumi::server
