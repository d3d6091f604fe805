#include "bench/load/sqlite_floor.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/store/sqlite/connection.h"

namespace torikumi::bench {
namespace {

constexpr int kRows = 5000;

}  // namespace

using store::sqlite::Connection;

absl::StatusOr<SqliteFloor> RunSqliteFloor(const std::string& path, int64_t row_bytes,
                                           absl::Duration duration) {
  absl::StatusOr<std::unique_ptr<Connection>> db =
      Connection::Open(path, Connection::Role::kWriter);
  if (!db.ok()) return db.status();
  if (absl::Status s = (*db)->EnableWal(); !s.ok()) return s;
  if (absl::Status s = (*db)->Exec("CREATE TABLE rows (name TEXT PRIMARY KEY, body BLOB NOT NULL)");
      !s.ok()) {
    return s;
  }
  const std::string body(static_cast<size_t>(row_bytes), 'x');
  // Filled before the clock starts, like the server's seeded database: the table holds its
  // rows and the WAL has reached its full length once (a checkpoint ran), so commits reuse
  // WAL space instead of growing the file, whose every extension costs the fsync more.
  for (int round = 0; round < 4; ++round) {
    if (absl::Status s = (*db)->Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    for (int i = 0; i < kRows; ++i) {
      absl::StatusOr<store::sqlite::Statement> fill =
          (*db)->Prepare("INSERT OR REPLACE INTO rows (name, body) VALUES (?, ?)");
      if (!fill.ok()) return fill.status();
      fill->Bind(absl::StrCat("row-", i)).BindBlob(body);
      if (absl::Status s = fill->Run(); !s.ok()) return s;
    }
    if (absl::Status s = (*db)->Exec("COMMIT"); !s.ok()) return s;
  }
  SqliteFloor floor;
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  while (absl::Now() < end) {
    if (absl::Status s = (*db)->Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    {
      absl::StatusOr<store::sqlite::Statement> insert =
          (*db)->Prepare("INSERT OR REPLACE INTO rows (name, body) VALUES (?, ?)");
      if (!insert.ok()) return insert.status();
      // A few thousand names written over and over, as upserts of outcomes are.
      insert->Bind(absl::StrCat("row-", floor.transactions % kRows)).BindBlob(body);
      if (absl::Status s = insert->Run(); !s.ok()) return s;
    }
    if (absl::Status s = (*db)->Exec("COMMIT"); !s.ok()) return s;
    ++floor.transactions;
  }
  floor.transactions_per_second = floor.transactions / absl::ToDoubleSeconds(absl::Now() - start);
  return floor;
}

}  // namespace torikumi::bench
