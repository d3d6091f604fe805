#include "services/store/sqlite/outcome_functions.h"

#include <sqlite3.h>

#include <string>

#include "torikumi/v1/resources.pb.h"

namespace torikumi::store::sqlite {
namespace {

// Which field of the body a function returns.
using Field = const std::string& (v1::Outcome::*)() const;

// NULL for NULL; an error for a body that does not parse (a damaged row must not index as
// empty text).
void OutcomeField(sqlite3_context* context, sqlite3_value* body, Field field) {
  if (sqlite3_value_type(body) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  v1::Outcome outcome;
  if (!outcome.ParseFromArray(sqlite3_value_blob(body), sqlite3_value_bytes(body))) {
    sqlite3_result_error(context, "a stored torikumi.v1.Outcome does not parse", -1);
    return;
  }
  const std::string& value = (outcome.*field)();
  sqlite3_result_text(context, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
}

void OutcomeText(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  OutcomeField(context, argv[0], &v1::Outcome::text);
}

void OutcomeName(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  OutcomeField(context, argv[0], &v1::Outcome::name);
}

}  // namespace

int RegisterOutcomeFunctions(sqlite3* db) {
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  int rc = sqlite3_create_function_v2(db, "outcome_text", 1, kFlags, nullptr, &OutcomeText, nullptr,
                                      nullptr, nullptr);
  if (rc != SQLITE_OK) return rc;
  return sqlite3_create_function_v2(db, "outcome_name", 1, kFlags, nullptr, &OutcomeName, nullptr,
                                    nullptr, nullptr);
}

}  // namespace torikumi::store::sqlite
