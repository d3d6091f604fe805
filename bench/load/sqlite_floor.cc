#include "bench/load/sqlite_floor.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/store/sqlite/connection.h"

namespace torikumi::bench {
namespace {

using store::sqlite::Connection;

// A few thousand names written over and over, as upserts of outcomes are.
constexpr int kRows = 5000;
// The warm-up gives up after this long (a very slow disk).
constexpr absl::Duration kMaxWarmUp = absl::Seconds(60);

absl::Status WriteRow(Connection& db, int64_t n, const std::string& body) {
  absl::StatusOr<store::sqlite::Statement> insert =
      db.Prepare("INSERT OR REPLACE INTO rows (name, body) VALUES (?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(absl::StrCat("row-", n % kRows)).BindBlob(body);
  return insert->Run();
}

absl::Status OneRowTransaction(Connection& db, int64_t n, const std::string& body) {
  if (absl::Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  if (absl::Status s = WriteRow(db, n, body); !s.ok()) return s;
  return db.Exec("COMMIT");
}

absl::StatusOr<int64_t> PragmaValue(Connection& db, const std::string& pragma) {
  absl::StatusOr<store::sqlite::Statement> query = db.Prepare(absl::StrCat("PRAGMA ", pragma));
  if (!query.ok()) return query.status();
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError(absl::StrCat("PRAGMA ", pragma, " returned no row"));
  return query->ColumnInt(0);
}

// One-row transactions until the WAL has reached the length at which SQLite checkpoints
// (wal_autocheckpoint pages) and starts it over. While it grows, every commit extends the
// file, and an fdatasync that must also commit the file system's journal (the new blocks
// and size) costs several times one that only overwrites blocks the file has: measured on
// a growing WAL, the floor was that much too low. A server under load reaches this state
// after its first few hundred commits.
absl::Status WarmUpWal(Connection& db, const std::string& wal, const std::string& body) {
  absl::StatusOr<int64_t> pages = PragmaValue(db, "wal_autocheckpoint");
  if (!pages.ok()) return pages.status();
  absl::StatusOr<int64_t> page_size = PragmaValue(db, "page_size");
  if (!page_size.ok()) return page_size.status();
  const uintmax_t full = static_cast<uintmax_t>(*pages * *page_size);
  const absl::Time give_up = absl::Now() + kMaxWarmUp;
  std::error_code ignored;
  for (int64_t n = 0; std::filesystem::file_size(wal, ignored) < full && absl::Now() < give_up;
       ++n) {
    if (absl::Status s = OneRowTransaction(db, n, body); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

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
  // The table holds its rows before the clock starts, like the server's seeded database.
  if (absl::Status s = (*db)->Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  for (int i = 0; i < kRows; ++i) {
    if (absl::Status s = WriteRow(**db, i, body); !s.ok()) return s;
  }
  if (absl::Status s = (*db)->Exec("COMMIT"); !s.ok()) return s;
  if (absl::Status s = WarmUpWal(**db, path + "-wal", body); !s.ok()) return s;
  SqliteFloor floor;
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  while (absl::Now() < end) {
    if (absl::Status s = OneRowTransaction(**db, floor.transactions, body); !s.ok()) return s;
    ++floor.transactions;
  }
  floor.transactions_per_second = floor.transactions / absl::ToDoubleSeconds(absl::Now() - start);
  return floor;
}

}  // namespace torikumi::bench
