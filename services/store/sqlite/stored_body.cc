#include "services/store/sqlite/stored_body.h"

#include <sqlite3.h>

namespace torikumi::store::sqlite {
namespace {

constexpr int kLengthDelimited = 2;

void AppendField(int field, absl::string_view value, std::string* out) {
  out->push_back(static_cast<char>((field << 3) | kLengthDelimited));
  for (uint64_t size = value.size(); true; size >>= 7) {
    if (size < 0x80) {
      out->push_back(static_cast<char>(size));
      break;
    }
    out->push_back(static_cast<char>((size & 0x7f) | 0x80));
  }
  out->append(value.data(), value.size());
}

// initiative_body(body, name, version).
void InitiativeBody(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(context);
  ResultBlob(context, WholeBody(BlobArg(argv[0]), TextArg(argv[1]), kInitiativeEtagField,
                                sqlite3_value_int64(argv[2])));
}

// stored_initiative(whole body, version).
void StoredInitiative(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  v1::Initiative initiative;
  absl::string_view bytes = BlobArg(argv[0]);
  if (!initiative.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return sqlite3_result_error(context, "a stored torikumi.v1.Initiative does not parse", -1);
  }
  ResultBlob(context, StoredBody(initiative, initiative.name(), sqlite3_value_int64(argv[1])));
}

}  // namespace

std::string WholeBody(absl::string_view body, absl::string_view name, int etag_field,
                      int64_t version) {
  constexpr char kNameTag = (1 << 3) | kLengthDelimited;
  if (!body.empty() && body[0] == kNameTag) return std::string(body);
  std::string out;
  AppendField(1, name, &out);
  out.append(body.data(), body.size());
  AppendField(etag_field, rules::EtagOf(version), &out);
  return out;
}

absl::string_view BlobArg(sqlite3_value* value) {
  const auto* blob = static_cast<const char*>(sqlite3_value_blob(value));
  return blob == nullptr ? absl::string_view()
                         : absl::string_view(blob, sqlite3_value_bytes(value));
}

absl::string_view TextArg(sqlite3_value* value) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
  return text == nullptr ? absl::string_view()
                         : absl::string_view(text, sqlite3_value_bytes(value));
}

void ResultBlob(sqlite3_context* context, absl::string_view bytes) {
  sqlite3_result_blob(context, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
}

int RegisterFunctions(sqlite3* db, std::initializer_list<SqlFunction> functions) {
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  for (const SqlFunction& f : functions) {
    int rc = sqlite3_create_function_v2(db, f.name, f.arguments, kFlags, nullptr, f.call, nullptr,
                                        nullptr, nullptr);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

int RegisterInitiativeFunctions(sqlite3* db) {
  return RegisterFunctions(
      db, {{"initiative_body", 3, &InitiativeBody}, {"stored_initiative", 2, &StoredInitiative}});
}

}  // namespace torikumi::store::sqlite
