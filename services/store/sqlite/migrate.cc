// Applies the migrations of migrations.cc at open.
#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/store/sqlite/migrations.h"

namespace torikumi::store::sqlite {
namespace {

absl::StatusOr<int> SchemaVersion(Connection& db) {
  absl::StatusOr<Statement> query = db.Prepare("PRAGMA user_version");
  if (!query.ok()) return query.status();
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("sqlite: PRAGMA user_version returned no row");
  return static_cast<int>(query->ColumnInt(0));
}

// INTERNAL when the schema change left a row pointing at a parent that does not exist.
absl::Status CheckForeignKeys(Connection& db) {
  absl::StatusOr<Statement> check = db.Prepare("PRAGMA foreign_key_check");
  if (!check.ok()) return check.status();
  absl::StatusOr<bool> row = check->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("a row of table '", check->ColumnText(0),
                                          "' points at a missing row of '", check->ColumnText(2),
                                          "'"));
}

// Applies `migration` if the schema is exactly one version behind it; false when another
// process got there first. Foreign keys are off meanwhile (the pragma is a no-op inside a
// transaction), so that a migration may rebuild a table (create the new one, copy, drop the
// old one, rename) without the drop cascading; the keys are checked before the commit.
absl::StatusOr<bool> ApplyOne(Connection& db, const Migration& migration) {
  if (absl::Status s = db.Exec("PRAGMA foreign_keys = OFF"); !s.ok()) return s;
  absl::Status status = db.Exec("BEGIN IMMEDIATE");
  bool applied = false;
  absl::StatusOr<int> current = status.ok() ? SchemaVersion(db) : status;
  if (!current.ok()) {
    status = current.status();
  } else if (*current == migration.version - 1) {
    status = db.Exec(migration.sql);
    if (status.ok()) status = CheckForeignKeys(db);
    // user_version lives in the database header and is part of the transaction.
    if (status.ok()) status = db.Exec(absl::StrCat("PRAGMA user_version = ", migration.version));
    applied = true;
  }
  if (status.ok()) status = db.Exec("COMMIT");
  if (!status.ok() && db.InTransaction()) db.Exec("ROLLBACK").IgnoreError();
  absl::Status keys_on = db.Exec("PRAGMA foreign_keys = ON");
  if (!status.ok()) return status;
  if (!keys_on.ok()) return keys_on;
  return applied;
}

}  // namespace

absl::Status CheckSchemaIsOurs(Connection& db) {
  const std::vector<Migration>& migrations = Migrations();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  absl::StatusOr<int> current = SchemaVersion(db);
  if (!current.ok()) return current.status();
  if (*current > latest) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database '", db.path(), "' has schema version ", *current,
        ", but this torikumi only knows versions up to ", latest,
        "; it was written by a newer torikumi, so run that one (or restore a backup)"));
  }
  if (*current == 0) {
    // Version 0 with tables in it is some other program's database: leave it alone.
    absl::StatusOr<Statement> tables = db.Prepare("SELECT count(*) FROM sqlite_schema");
    if (!tables.ok()) return tables.status();
    absl::StatusOr<bool> row = tables->Step();
    if (!row.ok()) return row.status();
    if (*row && tables->ColumnInt(0) > 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "database '", db.path(),
          "' is an SQLite database but not a torikumi one (it has tables and no schema "
          "version); give torikumi a new file"));
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyMigrations(Connection& db) {
  const std::vector<Migration>& migrations = Migrations();
  absl::StatusOr<int> current = SchemaVersion(db);
  if (!current.ok()) return current.status();
  for (const Migration& migration : migrations) {
    if (migration.version <= *current) continue;
    absl::StatusOr<bool> applied = ApplyOne(db, migration);
    if (!applied.ok()) {
      return absl::Status(
          applied.status().code(),
          absl::StrCat("migrating database '", db.path(), "' to schema version ", migration.version,
                       " (", migration.description, "): ", applied.status().message()));
    }
    if (*applied) {
      log::Info("database ", db.path(), ": applied schema migration ", migration.version, " (",
                migration.description, ")");
    }
  }
  return absl::OkStatus();
}

}  // namespace torikumi::store::sqlite
