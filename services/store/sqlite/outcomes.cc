// Outcomes in the SQLite store.
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {
namespace {

constexpr absl::string_view kSelectBody = "SELECT body FROM outcomes WHERE name = ?";

std::string What(absl::string_view name) { return absl::StrCat("outcome '", name, "'"); }

using rules::CheckedOutcome;
using rules::CheckOutcome;

}  // namespace

absl::StatusOr<UpsertResult> PutOutcome(WriteContext& w, const v1::Outcome& outcome,
                                        absl::string_view expected_etag) {
  absl::StatusOr<CheckedOutcome> checked = CheckOutcome(outcome);
  if (!checked.ok()) return checked.status();
  const std::string& name = outcome.name();
  const std::string initiative = checked->name.initiative.Format();
  if (absl::Status s = CheckParentExists(w.db, "initiatives", "initiative", initiative, name);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::optional<v1::Outcome>> existing =
      LoadBody<v1::Outcome>(w.db, kSelectBody, name);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    if (absl::Status s = CheckEtag(What(name), (*existing)->etag(), expected_etag); !s.ok()) {
      return s;
    }
  } else if (!expected_etag.empty()) {
    return absl::AbortedError(absl::StrCat(What(name), " does not exist, but etag ", expected_etag,
                                           " was expected: it was deleted since it was read"));
  }
  absl::StatusOr<int64_t> version = w.Version();
  if (!version.ok()) return version.status();
  UpsertResult result;
  result.outcome = outcome;
  *result.outcome.mutable_update_time() = ToTimestamp(w.now);
  result.outcome.set_etag(EtagOf(*version));
  result.created = !existing->has_value();
  absl::StatusOr<Statement> write = w.db.Prepare(
      result.created
          ? absl::StrCat("INSERT INTO outcomes (search_text, version, body, plan, as_of, name, ",
                         "initiative, fiscal_year, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ",
                         NextIdInPlan("outcomes", "?4"), ")")
          : "UPDATE outcomes SET search_text = ?, version = ?, body = ?, plan = ?, as_of = ? "
            "WHERE name = ? AND initiative = ? AND fiscal_year = ?");
  if (!write.ok()) return write.status();
  write->Bind(checked->search_text)
      .Bind(*version)
      .BindBlob(result.outcome.SerializeAsString())
      .Bind(checked->name.initiative.PlanName())
      .Bind(AsOfKey(outcome.as_of()))
      .Bind(name)
      .Bind(initiative)
      .Bind(int64_t{checked->name.fiscal_year});
  if (absl::Status s = write->Run(); !s.ok()) return s;
  if (absl::Status s = RecordChange(
          w, result.created ? v1::CHANGE_TYPE_CREATED : v1::CHANGE_TYPE_UPDATED, result.outcome);
      !s.ok())
    return s;
  return result;
}

absl::StatusOr<UpsertResult> SqliteStore::UpsertOutcome(const v1::Outcome& outcome,
                                                        absl::string_view expected_etag,
                                                        RatingAfterWrite* rating) {
  // Checked before the transaction too, so a malformed request never takes the write lock.
  if (auto checked = CheckOutcome(outcome); !checked.ok()) return checked.status();
  UpsertResult result;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<UpsertResult> put = PutOutcome(w, outcome, expected_etag);
    if (!put.ok()) return put.status();
    result = *std::move(put);
    return RecordRatingAfterWrite(w, rating);
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<ListResult<v1::Outcome>> SqliteStore::ListOutcomes(absl::string_view parent,
                                                                  std::optional<int> fiscal_year,
                                                                  Page page) {
  absl::StatusOr<InitiativeName> parsed =
      ParseInitiativeName(parent, "parent", /*allow_wildcard=*/true);
  if (!parsed.ok()) return parsed.status();
  // ".../initiatives/-" lists the outcomes of every initiative of the plan.
  const bool whole_plan = parsed->initiative == "-";

  std::string where;
  Arguments arguments;
  if (whole_plan) {
    where = " WHERE i.plan = ?";
    arguments.emplace_back(parsed->PlanName());
  } else {
    where = " WHERE o.initiative = ?";
    arguments.emplace_back(std::string(parent));
  }
  if (fiscal_year.has_value()) {
    where += " AND o.fiscal_year = ?";
    arguments.emplace_back(int64_t{*fiscal_year});
  }
  const std::string from = " FROM outcomes o JOIN initiatives i ON i.name = o.initiative";
  // The period outcome (fiscal year 0) comes before the yearly ones.
  return ReadPage<v1::Outcome>(
      {.select = absl::StrCat("SELECT o.body, o.name", from, where, " ORDER BY ", kInitiativeOrder,
                              ", o.fiscal_year LIMIT ? OFFSET ?"),
       .count = absl::StrCat("SELECT count(*)", from, where),
       .arguments = std::move(arguments),
       .parent = whole_plan ? ListQuery::Parent{"plans", "plan", parsed->PlanName()}
                            : ListQuery::Parent{"initiatives", "initiative", std::string(parent)}},
      page);
}

absl::Status SqliteStore::DeleteOutcome(absl::string_view name, absl::string_view expected_etag,
                                        RatingAfterWrite* rating) {
  if (auto parsed = ParseOutcomeName(name, "name"); !parsed.ok()) return parsed.status();
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<std::optional<v1::Outcome>> current =
        LoadBody<v1::Outcome>(w.db, kSelectBody, name);
    if (!current.ok()) return current.status();
    if (!current->has_value()) return absl::NotFoundError(absl::StrCat(What(name), " not found"));
    if (absl::Status s = CheckEtag(What(name), (*current)->etag(), expected_etag); !s.ok()) {
      return s;
    }
    if (absl::Status s = DeleteRow(w.db, "outcomes", name); !s.ok()) return s;
    if (absl::Status s = RecordDeletion(w, v1::RESOURCE_KIND_OUTCOME, name); !s.ok()) return s;
    return RecordRatingAfterWrite(w, rating);
  });
}

}  // namespace torikumi::store::sqlite
