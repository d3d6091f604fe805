#include "services/store/sqlite/outcome_functions.h"

#include <sqlite3.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/sqlite/stored_body.h"

namespace torikumi::store::sqlite {

namespace {

std::string NameOf(absl::string_view initiative, int64_t fiscal_year) {
  return absl::StrCat(initiative, "/outcomes/", OutcomeId(static_cast<int>(fiscal_year)));
}

// Parses argv[0]; false after reporting the error (a damaged row must not index as empty
// text, nor name an outcome wrongly).
bool ParseOutcome(sqlite3_context* context, sqlite3_value* body, v1::Outcome* outcome) {
  absl::string_view bytes = BlobArg(body);
  if (outcome->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return true;
  sqlite3_result_error(context, "a stored torikumi.v1.Outcome does not parse", -1);
  return false;
}

void ResultText(sqlite3_context* context, absl::string_view text) {
  sqlite3_result_text(context, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void OutcomeText(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(context);
  v1::Outcome outcome;
  if (ParseOutcome(context, argv[0], &outcome)) ResultText(context, outcome.text());
}

// outcome_name(body) or outcome_name(body, initiative, fiscal_year): the name in the body, else
// the one the row gives; NULL for a NULL body or an initiative that is gone.
void OutcomeName(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(context);
  v1::Outcome outcome;
  if (!ParseOutcome(context, argv[0], &outcome)) return;
  if (!outcome.name().empty() || argc == 1) return ResultText(context, outcome.name());
  if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return sqlite3_result_null(context);
  ResultText(context, NameOf(TextArg(argv[1]), sqlite3_value_int64(argv[2])));
}

// outcome_body(body, initiative, fiscal_year, version). The initiative must be known: an
// outcome's change must not be kept without its name (the triggers of migration 15 read it
// before the initiative's row is deleted).
void OutcomeBody(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(context);
  if (sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    return sqlite3_result_error(context, "outcome_body: the outcome's initiative is gone", -1);
  }
  ResultBlob(context,
             WholeBody(BlobArg(argv[0]), NameOf(TextArg(argv[1]), sqlite3_value_int64(argv[2])),
                       kOutcomeEtagField, sqlite3_value_int64(argv[3])));
}

// stored_outcome(whole body, initiative, fiscal_year, version).
void StoredOutcome(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  v1::Outcome outcome;
  if (!ParseOutcome(context, argv[0], &outcome)) return;
  ResultBlob(context, StoredOutcomeBody(outcome, TextArg(argv[1]),
                                        static_cast<int>(sqlite3_value_int64(argv[2])),
                                        sqlite3_value_int64(argv[3])));
}

}  // namespace

std::string StoredOutcomeBody(const v1::Outcome& outcome, absl::string_view initiative,
                              int fiscal_year, int64_t version) {
  return StoredBody(outcome, NameOf(initiative, fiscal_year), version);
}

int RegisterOutcomeFunctions(sqlite3* db) {
  return RegisterFunctions(db, {{"outcome_text", 1, &OutcomeText},
                                {"outcome_name", 1, &OutcomeName},
                                {"outcome_name", 3, &OutcomeName},
                                {"outcome_body", 4, &OutcomeBody},
                                {"stored_outcome", 4, &StoredOutcome}});
}

}  // namespace torikumi::store::sqlite
