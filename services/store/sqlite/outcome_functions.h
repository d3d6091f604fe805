// An outcome's stored body and the SQL functions over it, which the schema needs where a
// column no longer copies a field: outcome_text(body) for the trigram index of outcomes whose
// search_text is NULL (NFKC left their text unchanged, migration 12); outcome_name(...) for
// the audit log; outcome_body(...) to give back the whole torikumi.v1.Outcome of a row whose
// body leaves out the name and etag its row gives (migration 15).
#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "torikumi/v1/resources.pb.h"

struct sqlite3;

namespace torikumi::store::sqlite {

// The body an outcome row keeps: the serialized outcome without its name and etag when they
// are the ones its row gives (the name of `initiative`'s outcome for `fiscal_year`, the etag
// of `version`); otherwise the whole outcome. A stored outcome always has a name, so a body
// that starts with one is whole.
std::string StoredOutcomeBody(const v1::Outcome& outcome, absl::string_view initiative,
                              int fiscal_year, int64_t version);

// The SQL expression of the whole serialized outcome of a row, in a query where the row of
// outcomes is aliased `o` and its initiative's row `i`.
inline constexpr absl::string_view kOutcomeBodySql =
    "outcome_body(o.body, i.name, o.fiscal_year, o.version)";

// Registers on `db`: outcome_text(body); outcome_name(body) (bodies written before migration
// 14) and outcome_name(body, initiative, fiscal_year); outcome_body(body, initiative,
// fiscal_year, version); stored_outcome(whole body, initiative, fiscal_year, version) for
// converting the bodies a release stored. Returns SQLite's result code.
int RegisterOutcomeFunctions(sqlite3* db);

}  // namespace torikumi::store::sqlite
