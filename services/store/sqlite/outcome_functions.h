// SQL functions over a stored outcome's body, which the schema needs where a column no longer
// copies the field (migration 12): outcome_text(body) for the trigram index of outcomes whose
// search_text is NULL (NFKC left their text unchanged), outcome_name(body) for the audit log.
#pragma once

struct sqlite3;

namespace torikumi::store::sqlite {

// Registers both on `db`; returns SQLite's result code.
int RegisterOutcomeFunctions(sqlite3* db);

}  // namespace torikumi::store::sqlite
