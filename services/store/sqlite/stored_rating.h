// A computed rating's body as the SQLite store keeps it (torikumi.storage.v1.StoredRating):
// without the initiative's and the rule set's names, which its row gives, without the
// deciding fact values a second time in the reason, and with the input hash as 32 bytes.
// RestoreRating gives back the ComputedRating that was stored, field for field.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "torikumi/v1/rating_service.pb.h"

struct sqlite3;

namespace torikumi::store::sqlite {

// The stored body of `rating` (its initiative and rule set left out).
std::string StoredRatingBody(const v1::ComputedRating& rating);

// The rating stored as `body`, with the initiative and rule set names its row gives.
// INTERNAL naming `what` when the body does not parse (a damaged file).
absl::StatusOr<v1::ComputedRating> RestoreRating(absl::string_view body,
                                                 absl::string_view initiative,
                                                 absl::string_view rule_set,
                                                 absl::string_view what);

// The SQL expression of the serialized ComputedRating of a row, in a query where the row of
// computed_ratings is aliased `r` and its initiative's row `i`.
inline constexpr absl::string_view kRatingBodySql =
    "rating_body(r.body, i.name, (SELECT name FROM rating_rule_sets WHERE id = r.rule_set))";

// Registers on `db` the SQL functions the schema needs around stored ratings (migration 15):
// rating_body(stored, initiative, rule_set), the serialized torikumi.v1.ComputedRating, for
// reads and for the change feed's copy of a deleted rating; stored_rating(full) and
// rating_rule_set(full), for converting the bodies a release stored. Returns SQLite's code.
int RegisterRatingFunctions(sqlite3* db);

}  // namespace torikumi::store::sqlite
