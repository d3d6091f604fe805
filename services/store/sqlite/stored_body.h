// Bodies kept without the name and etag their row gives (migration 15). A resource's name is
// field 1 of its message and its etag the last field, so the body without them, put between
// them again, is byte for byte the resource's own serialization. A stored resource always
// has a name: a body that starts with one was kept whole (its name or etag were not the ones
// its row gives) and is given back as it is.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "absl/strings/string_view.h"
#include "services/store/store_rules.h"
#include "torikumi/v1/resources.pb.h"

struct sqlite3;
struct sqlite3_context;
struct sqlite3_value;

namespace torikumi::store::sqlite {

// The body a row keeps of `resource`, whose row gives `row_name` and `version`.
template <typename Message>
std::string StoredBody(const Message& resource, absl::string_view row_name, int64_t version) {
  if (resource.name() != row_name || resource.etag() != rules::EtagOf(version)) {
    return resource.SerializeAsString();
  }
  Message stored = resource;
  stored.clear_name();
  stored.clear_etag();
  return stored.SerializeAsString();
}

// The whole serialized resource of a stored `body`; `etag_field` is its message's etag field.
std::string WholeBody(absl::string_view body, absl::string_view name, int etag_field,
                      int64_t version);

// Outcome.etag and Initiative.etag.
inline constexpr int kOutcomeEtagField = 8;
inline constexpr int kInitiativeEtagField = 13;

// The SQL expression of the whole serialized initiative of a row of initiatives aliased `i`.
inline constexpr absl::string_view kInitiativeBodySql =
    "initiative_body(i.body, i.name, i.version)";

// A SQL function's argument as bytes (empty for NULL).
absl::string_view BlobArg(sqlite3_value* value);
absl::string_view TextArg(sqlite3_value* value);

// The result of a SQL function: a copy of `bytes` as a blob.
void ResultBlob(sqlite3_context* context, absl::string_view bytes);

// A deterministic SQL function of UTF-8 text.
struct SqlFunction {
  const char* name;
  int arguments;
  void (*call)(sqlite3_context*, int, sqlite3_value**);
};
// Registers `functions` on `db`; returns SQLite's result code, of the first that failed.
int RegisterFunctions(sqlite3* db, std::initializer_list<SqlFunction> functions);

// Registers initiative_body(body, name, version) and stored_initiative(whole body, version)
// (for converting the bodies a release stored) on `db`; returns SQLite's result code.
int RegisterInitiativeFunctions(sqlite3* db);

}  // namespace torikumi::store::sqlite
