// Helpers the per-resource files of the PostgreSQL store share: stored bodies, paging,
// parents, deletes and request ids. SQL errors travel as pqxx exceptions up to Write/Read
// (postgres_store.cc), which turn them into absl::Status; a damaged body travels as a
// StatusError the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/timestamp.h"
#include "services/store/postgres/postgres_store_impl.h"
#include "services/store/store.h"
#include "services/store/store_rules.h"

namespace torikumi::store::postgres {

using rules::CheckEtag;
using rules::CheckPage;
using rules::EtagOf;
using rules::ForItem;
using rules::MatchingForm;
using rules::Normalized;

using Tx = pqxx::transaction_base;

// A Status thrown through pqxx code, caught by Write/Read.
class StatusError : public std::runtime_error {
 public:
  explicit StatusError(absl::Status status)
      : std::runtime_error(std::string(status.message())), status_(std::move(status)) {}
  const absl::Status& status() const { return status_; }

 private:
  absl::Status status_;
};

// The bytes of a serialized message as a bytea parameter.
inline pqxx::binarystring Bytes(const google::protobuf::Message& message) {
  return pqxx::binarystring(message.SerializeAsString());
}

// Parses a bytea column; throws StatusError (INTERNAL) naming the row when it does not parse.
template <typename Message>
Message ParseBody(const pqxx::field& body, absl::string_view name) {
  pqxx::binarystring bytes(body);
  Message message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw StatusError(
        absl::InternalError(absl::StrCat("stored ", Message::descriptor()->full_name(), " '", name,
                                         "' does not parse; the database is damaged")));
  }
  return message;
}

// The body of the row `sql` selects (its first column) with `key` bound as $1; nullopt when
// none.
template <typename Message>
std::optional<Message> LoadBody(Tx& tx, const std::string& sql, absl::string_view key) {
  pqxx::result rows = tx.exec_params(sql, std::string(key));
  if (rows.empty()) return std::nullopt;
  return ParseBody<Message>(rows[0][0], key);
}

// Rows of (body, name), parsed in order.
template <typename Message>
void AppendBodies(const pqxx::result& rows, std::vector<Message>* out) {
  for (const pqxx::row& row : rows) {
    out->push_back(ParseBody<Message>(row[0], row[1].c_str()));
  }
}

// Parameters of a statement built at run time, bound in order as $1, $2, ... (numbers as
// their decimal text: PostgreSQL infers each parameter's type from where it is used).
using Arguments = std::vector<std::string>;

// NOT_FOUND unless `table` has a row named `parent`: "<kind> '<parent>' not found", followed
// by " (the parent of '<child>')" when `child` is not empty.
absl::Status CheckParentExists(Tx& tx, absl::string_view table, absl::string_view kind,
                               absl::string_view parent, absl::string_view child);

// For a delete without force: FAILED_PRECONDITION when `count_sql` (with `name` as $1) counts
// any row, "<what> still has N <child|children>; <hint>".
struct Children {
  absl::string_view count_sql;
  absl::string_view one;
  absl::string_view many;
  absl::string_view hint;
};
absl::Status RefuseIfChildren(Tx& tx, absl::string_view what, absl::string_view name,
                              const Children& children);

// Deletes the row of `table` named `name` (ON DELETE CASCADE takes what hangs below it).
void DeleteRow(Tx& tx, absl::string_view table, absl::string_view name);

// What a List method reads: `select` returns (body, name) rows in order (the helper appends
// LIMIT and OFFSET); `count` counts every match; both take `arguments` as $1... A listing
// below a parent is NOT_FOUND when the parent does not exist.
struct ListQuery {
  struct Parent {
    absl::string_view table;
    absl::string_view kind;
    std::string name;
  };
  std::string select;
  std::string count;
  Arguments arguments = {};
  std::optional<Parent> parent = std::nullopt;
};

pqxx::result ExecWith(Tx& tx, const std::string& sql, const Arguments& arguments);

template <typename Message>
absl::StatusOr<ListResult<Message>> PostgresStore::ReadPage(const ListQuery& query,
                                                            const Page& page) {
  if (absl::Status s = CheckPage(page); !s.ok()) return s;
  ListResult<Message> result;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    if (const std::optional<ListQuery::Parent>& parent = query.parent; parent.has_value()) {
      absl::Status exists = CheckParentExists(tx, parent->table, parent->kind, parent->name, "");
      if (!exists.ok()) return exists;
    }
    result.total = ExecWith(tx, query.count, query.arguments)[0][0].as<int64_t>();
    if (page.limit == 0 || page.offset >= result.total) return absl::OkStatus();
    Arguments arguments = query.arguments;
    const size_t n = arguments.size();
    arguments.push_back(absl::StrCat(page.limit));
    arguments.push_back(absl::StrCat(page.offset));
    AppendBodies(
        ExecWith(tx, absl::StrCat(query.select, " LIMIT $", n + 1, " OFFSET $", n + 2), arguments),
        &result.items);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

// Listing initiatives (and their outcomes) in the plan's order: by the position of their area
// in the plan (areas the plan does not list come last, by name), then number, then name. The
// initiatives table must be aliased `i`; the join gives `a` for plan_areas.
inline constexpr absl::string_view kJoinAreaPosition =
    " LEFT JOIN plan_areas a ON a.plan_id = i.plan_id AND a.area = i.area_key";
inline constexpr absl::string_view kInitiativeOrder =
    "coalesce(a.position, 2147483647), i.area, i.number, i.name";

// Kinds of create that take a request_id (the `kind` column of request_ids).
inline constexpr absl::string_view kOrganizationRequest = "organization";
inline constexpr absl::string_view kPlanRequest = "plan";
inline constexpr absl::string_view kInitiativeRequest = "initiative";
inline constexpr absl::string_view kInitiativeBatchRequest = "initiative-batch";

// The names a create of `kind` with `request_id` made before, in order; empty when none.
std::vector<std::string> FindRequest(Tx& tx, absl::string_view kind, absl::string_view request_id);
// Remembers what a create with `request_id` made. Nothing for an empty request_id.
void RecordRequest(WriteContext& w, absl::string_view kind, absl::string_view request_id,
                   const std::vector<std::string>& names);

// For a create carrying `request_id`: what an earlier create of `kind` with the same id made,
// as it is now (its body selected by `select_sql`); nullopt when there was no such create.
template <typename Message>
absl::StatusOr<std::optional<Message>> PreviousCreate(Tx& tx, absl::string_view kind,
                                                      absl::string_view request_id,
                                                      const std::string& select_sql) {
  std::vector<std::string> names = FindRequest(tx, kind, request_id);
  if (names.empty()) return std::optional<Message>();
  std::optional<Message> found = LoadBody<Message>(tx, select_sql, names.front());
  if (!found.has_value()) return rules::RequestTargetGone(request_id, names.front());
  return found;
}

// After a delete: clears `relists` (in the row and the body, with a new version) of every
// initiative that re-lists one that no longer exists. Defined in initiatives.cc.
void ClearDanglingRelists(WriteContext& w);

// --- Row writes shared by the single-resource methods and ImportPlan (import.cc).
// plans.cc
absl::StatusOr<v1::Plan> InsertPlan(WriteContext& w, const v1::Plan& plan);
absl::StatusOr<v1::Plan> ReplacePlan(WriteContext& w, const v1::Plan& plan,
                                     absl::string_view expected_etag);
// initiatives.cc (see the SQLite store's records.h for the contract).
absl::StatusOr<v1::Initiative> InsertInitiative(WriteContext& w, const v1::Initiative& initiative,
                                                absl::string_view field);
absl::StatusOr<v1::Initiative> ReplaceInitiative(WriteContext& w, const v1::Initiative& initiative,
                                                 const v1::Initiative& current,
                                                 absl::string_view field);
// NOT_FOUND when the initiative re-lists one that does not exist; else stores the link's id.
absl::Status CheckRelistsTarget(Tx& tx, const v1::Initiative& initiative);
std::optional<v1::Initiative> FindInitiativeAt(Tx& tx, absl::string_view plan,
                                               absl::string_view area, int32_t number);
// outcomes.cc
absl::StatusOr<UpsertResult> PutOutcome(WriteContext& w, const v1::Outcome& outcome,
                                        absl::string_view expected_etag);
// plan_inputs.cc: ReadPlanInputs as `tx` sees the database (NOT_FOUND for a missing plan or
// initiative).
absl::StatusOr<PlanInputs> ReadPlanInputsIn(Tx& tx, absl::string_view plan,
                                            absl::string_view initiative);
// rule_sets.cc: the newest version of the rule set `name`; 0 when it has none.
int32_t LatestRuleSetVersion(Tx& tx, absl::string_view name);
// ratings.cc: appends `rating` to its initiative's history, with its change. NOT_FOUND when
// the initiative does not exist.
absl::Status InsertRating(WriteContext& w, const v1::ComputedRating& rating);
// Records `rating` in the write `w` (after the write's own rows) when its inputs hold, and
// says so in rating->recorded; nothing when `rating` is null.
absl::Status RecordRatingAfterWrite(WriteContext& w, RatingAfterWrite* rating);
// rating_rounds.cc: FAILED_PRECONDITION naming the round when the plan's newest rating round
// is closed (its human grades are read-only then).
absl::Status CheckGradesWritable(Tx& tx, absl::string_view plan);

}  // namespace torikumi::store::postgres
