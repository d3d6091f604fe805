// Helpers the per-resource files of the SQLite store share: etags, stored bodies,
// paging, deletes, request ids and the clean-up of re-listing links.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/common/timestamp.h"
#include "services/store/sqlite/connection.h"
#include "services/store/sqlite/sqlite_store_impl.h"
#include "services/store/store.h"
#include "services/store/store_rules.h"

namespace torikumi::store::sqlite {

// Shared with the other backends (services/store/store_rules.h).
using rules::AsOfKey;
using rules::CheckEtag;
using rules::CheckPage;
using rules::DateOfKey;
using rules::EtagOf;
using rules::ForItem;
using rules::MatchingForm;
using rules::Normalized;
using rules::RequestTargetGone;

// The SQL expression of the id a new row of `table` (initiatives or outcomes) gets: the next
// one in its plan's range of ids, (plans.id << 32) + n (migration 9), so that the trigram
// indexes can be asked for one plan's rows. `plan` is the SQL expression of the plan's name
// (a numbered parameter such as "?4").
std::string NextIdInPlan(absl::string_view table, absl::string_view plan);

// The SQL condition that `column` (an initiative's or outcome's id) lies in the range of ids
// of the plan named by the SQL expression `plan`.
std::string IdInPlan(absl::string_view column, absl::string_view plan);

// Parameters of a statement built at run time, bound in order.
using Arguments = std::vector<std::variant<int64_t, std::string>>;
void BindAll(Statement& statement, const Arguments& arguments);

// Parses a stored body; INTERNAL naming the row when it does not parse (a damaged file).
template <typename Message>
absl::StatusOr<Message> ParseBody(absl::string_view bytes, absl::string_view name) {
  Message message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InternalError(absl::StrCat("stored ", Message::descriptor()->full_name(), " '",
                                            name, "' does not parse; the database is damaged"));
  }
  return message;
}

// The body of the row `sql` selects (its first column) with `name` bound; nullopt when none.
template <typename Message>
absl::StatusOr<std::optional<Message>> LoadBody(Connection& db, absl::string_view sql,
                                                absl::string_view name) {
  absl::StatusOr<Statement> query = db.Prepare(sql);
  if (!query.ok()) return query.status();
  query->Bind(name);
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Message>();
  absl::StatusOr<Message> message = ParseBody<Message>(query->ColumnBlob(0), name);
  if (!message.ok()) return message.status();
  return std::optional<Message>(*std::move(message));
}

// Runs a SELECT whose first column is a body and whose second is the row's name, appending
// every parsed body to `out`.
template <typename Message>
absl::Status AppendBodies(Statement& rows, std::vector<Message>* out) {
  while (true) {
    absl::StatusOr<bool> row = rows.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    absl::string_view bytes = rows.ColumnBlob(0);
    Message& message = out->emplace_back();
    if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return ParseBody<Message>(bytes, rows.ColumnText(1)).status();
    }
  }
}

// NOT_FOUND unless `table` has a row named `parent`: "<kind> '<parent>' not found", followed
// by " (the parent of '<child>')" when `child` is not empty.
absl::Status CheckParentExists(Connection& db, absl::string_view table, absl::string_view kind,
                               absl::string_view parent, absl::string_view child);

// One page of a listing: `select_sql` returns (body, name) rows in order and ends in
// "LIMIT ? OFFSET ?"; `count_sql` counts every match. Both take `arguments` first.
template <typename Message>
absl::StatusOr<ListResult<Message>> ListPage(Connection& db, const std::string& select_sql,
                                             const std::string& count_sql,
                                             const Arguments& arguments, const Page& page) {
  ListResult<Message> result;
  absl::StatusOr<Statement> count = db.Prepare(count_sql);
  if (!count.ok()) return count.status();
  BindAll(*count, arguments);
  absl::StatusOr<bool> row = count->Step();
  if (!row.ok()) return row.status();
  result.total = *row ? count->ColumnInt(0) : 0;
  if (page.limit == 0 || page.offset >= result.total) return result;

  absl::StatusOr<Statement> select = db.Prepare(select_sql);
  if (!select.ok()) return select.status();
  BindAll(*select, arguments);
  select->Bind(int64_t{page.limit}).Bind(page.offset);
  if (absl::Status s = AppendBodies(*select, &result.items); !s.ok()) return s;
  return result;
}

// For a delete without force: FAILED_PRECONDITION when `count_sql` (with `name` bound) counts
// any row, "<what> still has N <child|children>; <hint>".
struct Children {
  absl::string_view count_sql;  // "SELECT count(*) FROM plans WHERE organization = ?"
  absl::string_view one;        // "plan"
  absl::string_view many;       // "plans"
  absl::string_view hint;       // what to do instead
};
absl::Status RefuseIfChildren(Connection& db, absl::string_view what, absl::string_view name,
                              const Children& children);

// Deletes the row of `table` named `name` (ON DELETE CASCADE takes what hangs below it).
absl::Status DeleteRow(Connection& db, absl::string_view table, absl::string_view name);

// What a List method reads: `select` returns (body, name) rows in order and ends in
// "LIMIT ? OFFSET ?"; `count` counts every match; both take `arguments` first. A listing
// below a parent is NOT_FOUND when the parent does not exist (an empty list would hide a
// mistyped name); a listing of everything has no parent.
struct ListQuery {
  struct Parent {
    absl::string_view table;  // "plans"
    absl::string_view kind;   // "plan", for the message
    std::string name;
  };
  std::string select;
  std::string count;
  Arguments arguments = {};
  std::optional<Parent> parent = std::nullopt;
};

template <typename Message>
absl::StatusOr<ListResult<Message>> SqliteStore::ReadPage(const ListQuery& query,
                                                          const Page& page) {
  if (absl::Status s = CheckPage(page); !s.ok()) return s;
  ListResult<Message> result;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    if (const std::optional<ListQuery::Parent>& parent = query.parent; parent.has_value()) {
      absl::Status exists = CheckParentExists(db, parent->table, parent->kind, parent->name, "");
      if (!exists.ok()) return exists;
    }
    absl::StatusOr<ListResult<Message>> listed =
        ListPage<Message>(db, query.select, query.count, query.arguments, page);
    if (!listed.ok()) return listed.status();
    result = *std::move(listed);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

// Listing initiatives (and their outcomes) in the plan's order: by the position of their area
// in the plan (areas the plan does not list come last, by name), then number. The initiatives
// table must be aliased `i`. (plan, area, number) is unique, so this is a complete order of a
// plan's rows (the PostgreSQL store's final "name" never decides either), and the index
// initiatives_in_order (migration 13) gives it without reading the rows.
inline constexpr absl::string_view kInitiativeOrder = "i.area_position, i.area, i.number";

// The SQL expression of the area position an initiative row keeps (migration 13): the position
// of its area among the plan's areas (plan_areas), or 2147483647 for an area the plan does not
// list. `plan` and `area_key` are SQL expressions of the plan's name and the NFKC area.
std::string AreaPositionOf(absl::string_view plan, absl::string_view area_key);

// Rewrites the area position of every initiative of `plan` whose area moved, after the plan's
// areas were rewritten.
absl::Status RefreshAreaPositions(Connection& db, absl::string_view plan);

// Kinds of create that take a request_id (the `kind` column of request_ids).
inline constexpr absl::string_view kOrganizationRequest = "organization";
inline constexpr absl::string_view kPlanRequest = "plan";
inline constexpr absl::string_view kInitiativeRequest = "initiative";
inline constexpr absl::string_view kInitiativeBatchRequest = "initiative-batch";

// The names a create of `kind` with `request_id` made before, in order; empty when none.
absl::StatusOr<std::vector<std::string>> FindRequest(Connection& db, absl::string_view kind,
                                                     absl::string_view request_id);
// Remembers what a create with `request_id` made. Nothing for an empty request_id.
absl::Status RecordRequest(WriteContext& w, absl::string_view kind, absl::string_view request_id,
                           const std::vector<std::string>& names);

// For a create carrying `request_id`: what an earlier create of `kind` with the same id made,
// as it is now (its body selected by `select_sql`); nullopt when there was no such create.
template <typename Message>
absl::StatusOr<std::optional<Message>> PreviousCreate(Connection& db, absl::string_view kind,
                                                      absl::string_view request_id,
                                                      absl::string_view select_sql) {
  absl::StatusOr<std::vector<std::string>> names = FindRequest(db, kind, request_id);
  if (!names.ok()) return names.status();
  if (names->empty()) return std::optional<Message>();
  absl::StatusOr<std::optional<Message>> found = LoadBody<Message>(db, select_sql, names->front());
  if (!found.ok()) return found.status();
  if (!found->has_value()) return RequestTargetGone(request_id, names->front());
  return found;
}

// After a delete: clears `relists` (in the index and the body, with a new version) of every
// initiative that re-lists one that no longer exists. Defined in initiatives.cc.
absl::Status ClearDanglingRelists(WriteContext& w);

// --- Row writes inside a write transaction, shared by the single-resource methods and by
// ImportPlan (import.cc), so every path writes a resource the same way. Each sets the times
// and the etag, checks what the row itself needs, and returns the stored resource.

// plans.cc. InsertPlan: NOT_FOUND without the organization, ALREADY_EXISTS when the name is
// taken. ReplacePlan: NOT_FOUND when missing, ABORTED on an etag mismatch; keeps create_time.
absl::StatusOr<v1::Plan> InsertPlan(WriteContext& w, const v1::Plan& plan);
absl::StatusOr<v1::Plan> ReplacePlan(WriteContext& w, const v1::Plan& plan,
                                     absl::string_view expected_etag);

// initiatives.cc. `field` names the initiative in errors ("initiative", "initiatives[3]").
// Neither checks the re-listed initiative (a batch may link to a later item): call
// CheckRelistsTarget once every item is written. ReplaceInitiative keeps current's
// create_time and checks no etag.
absl::StatusOr<v1::Initiative> InsertInitiative(WriteContext& w, const v1::Initiative& initiative,
                                                absl::string_view field);
absl::StatusOr<v1::Initiative> ReplaceInitiative(WriteContext& w, const v1::Initiative& initiative,
                                                 const v1::Initiative& current,
                                                 absl::string_view field);
// NOT_FOUND when the initiative re-lists one that does not exist.
absl::Status CheckRelistsTarget(Connection& db, const v1::Initiative& initiative);
// The initiative of `plan` with that area and number; nullopt when there is none.
absl::StatusOr<std::optional<v1::Initiative>> FindInitiativeAt(Connection& db,
                                                               absl::string_view plan,
                                                               absl::string_view area,
                                                               int32_t number);

// rating_rounds.cc: FAILED_PRECONDITION naming the round when the plan's newest rating round
// is closed (its human grades are read-only then).
absl::Status CheckGradesWritable(Connection& db, absl::string_view plan);

// Fills outcomes.as_of from the body where it is NULL (rows written before migration 3).
absl::Status BackfillOutcomeAsOf(Connection& writer);
// ReadPlanInputs on `db`, inside the transaction the caller holds (a read's or a write's).
absl::StatusOr<PlanInputs> ReadPlanInputsIn(Connection& db, absl::string_view plan,
                                            absl::string_view initiative);

// rule_sets.cc: the newest version of the rule set `name`; 0 when it has none.
absl::StatusOr<int32_t> LatestRuleSetVersion(Connection& db, absl::string_view name);

// ratings.cc: appends `rating` to its initiative's history, with its change. NOT_FOUND when
// the initiative does not exist.
absl::Status InsertRating(WriteContext& w, const v1::ComputedRating& rating);
// Records `rating` in the write `w` (after the write's own rows) when its inputs hold, and
// says so in rating->recorded; nothing when `rating` is null.
absl::Status RecordRatingAfterWrite(WriteContext& w, RatingAfterWrite* rating);

// outcomes.cc: creates or replaces outcome.name (ABORTED on an etag mismatch).
absl::StatusOr<UpsertResult> PutOutcome(WriteContext& w, const v1::Outcome& outcome,
                                        absl::string_view expected_etag);

}  // namespace torikumi::store::sqlite
