// Outcomes in the PostgreSQL store.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/postgres/change_log.h"
#include "services/store/postgres/records.h"

namespace torikumi::store::postgres {
namespace {

constexpr char kSelectBody[] = "SELECT body FROM outcomes WHERE name = $1";

std::string What(absl::string_view name) { return absl::StrCat("outcome '", name, "'"); }

}  // namespace

absl::StatusOr<UpsertResult> PutOutcome(WriteContext& w, const v1::Outcome& outcome,
                                        absl::string_view expected_etag) {
  absl::StatusOr<rules::CheckedOutcome> checked = rules::CheckOutcome(outcome);
  if (!checked.ok()) return checked.status();
  const std::string& name = outcome.name();
  const std::string initiative = checked->name.initiative.Format();
  if (absl::Status s = CheckParentExists(w.tx, "initiatives", "initiative", initiative, name);
      !s.ok()) {
    return s;
  }
  std::optional<v1::Outcome> existing = LoadBody<v1::Outcome>(w.tx, kSelectBody, name);
  if (existing.has_value()) {
    if (absl::Status s = CheckEtag(What(name), existing->etag(), expected_etag); !s.ok()) return s;
  } else if (!expected_etag.empty()) {
    return absl::AbortedError(absl::StrCat(What(name), " does not exist, but etag ", expected_etag,
                                           " was expected: it was deleted since it was read"));
  }
  const int64_t version = w.Version();
  UpsertResult result;
  result.outcome = outcome;
  *result.outcome.mutable_update_time() = ToTimestamp(w.now);
  result.outcome.set_etag(EtagOf(version));
  result.created = !existing.has_value();
  w.tx.exec_params(
      result.created
          ? "INSERT INTO outcomes (search_text, version, body, as_of, name, initiative_id, "
            "plan_id, fiscal_year) SELECT $1, $2, $3, $4, $5, i.id, i.plan_id, $7 "
            "FROM initiatives i WHERE i.name = $6"
          : "UPDATE outcomes SET search_text = $1, version = $2, body = $3, as_of = $4 "
            "WHERE name = $5 AND initiative_id = (SELECT id FROM initiatives WHERE name = $6) "
            "AND fiscal_year = $7",
      checked->search_text, version, Bytes(result.outcome), rules::AsOfKey(outcome.as_of()), name,
      initiative, checked->name.fiscal_year);
  RecordChange(
      w, events::OutcomeWritten(result.created ? v1::CHANGE_TYPE_CREATED : v1::CHANGE_TYPE_UPDATED,
                                result.outcome));
  return result;
}

absl::StatusOr<UpsertResult> PostgresStore::UpsertOutcome(const v1::Outcome& outcome,
                                                          absl::string_view expected_etag,
                                                          RatingAfterWrite* rating) {
  if (rating != nullptr) rating->recorded = false;
  if (auto checked = rules::CheckOutcome(outcome); !checked.ok()) return checked.status();
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

absl::StatusOr<ListResult<v1::Outcome>> PostgresStore::ListOutcomes(absl::string_view parent,
                                                                    std::optional<int> fiscal_year,
                                                                    Page page) {
  absl::StatusOr<InitiativeName> parsed =
      ParseInitiativeName(parent, "parent", /*allow_wildcard=*/true);
  if (!parsed.ok()) return parsed.status();
  // ".../initiatives/-" lists the outcomes of every initiative of the plan.
  const bool whole_plan = parsed->initiative == "-";
  std::string where = whole_plan ? " WHERE i.plan_id = (SELECT id FROM plans WHERE name = $1)"
                                 : " WHERE i.name = $1";
  Arguments arguments{whole_plan ? parsed->PlanName() : std::string(parent)};
  if (fiscal_year.has_value()) {
    where += " AND o.fiscal_year = $2";
    arguments.push_back(absl::StrCat(*fiscal_year));
  }
  const std::string from = " FROM outcomes o JOIN initiatives i ON i.id = o.initiative_id";
  // The period outcome (fiscal year 0) comes before the yearly ones.
  return ReadPage<v1::Outcome>(
      {.select = absl::StrCat("SELECT o.body, o.name", from, kJoinAreaPosition, where, " ORDER BY ",
                              kInitiativeOrder, ", o.fiscal_year"),
       .count = absl::StrCat("SELECT count(*)", from, where),
       .arguments = std::move(arguments),
       .parent = whole_plan ? ListQuery::Parent{"plans", "plan", parsed->PlanName()}
                            : ListQuery::Parent{"initiatives", "initiative", std::string(parent)}},
      page);
}

absl::Status PostgresStore::DeleteOutcome(absl::string_view name, absl::string_view expected_etag,
                                          RatingAfterWrite* rating) {
  if (rating != nullptr) rating->recorded = false;
  if (auto parsed = ParseOutcomeName(name, "name"); !parsed.ok()) return parsed.status();
  return Write([&](WriteContext& w) -> absl::Status {
    std::optional<v1::Outcome> current = LoadBody<v1::Outcome>(w.tx, kSelectBody, name);
    if (!current.has_value()) return absl::NotFoundError(absl::StrCat(What(name), " not found"));
    if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
    DeleteRow(w.tx, "outcomes", name);
    RecordChange(w, events::Deletion(v1::RESOURCE_KIND_OUTCOME, name));
    return RecordRatingAfterWrite(w, rating);
  });
}

}  // namespace torikumi::store::postgres
