// Outcomes in the SQLite store.
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/outcome_functions.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {
namespace {

// An outcome's row is found by its initiative's id and its fiscal year (migration 12): the
// name's two parts, bound as the initiative's name and the year.
constexpr absl::string_view kOutcomeRow =
    "initiative = (SELECT id FROM initiatives WHERE name = ?) AND fiscal_year = ?";

std::string What(absl::string_view name) { return absl::StrCat("outcome '", name, "'"); }

using rules::CheckedOutcome;
using rules::CheckOutcome;

// The stored outcome `name`; nullopt when there is none.
absl::StatusOr<std::optional<v1::Outcome>> LoadOutcome(Connection& db, const OutcomeName& name) {
  absl::StatusOr<Statement> query =
      db.Prepare(absl::StrCat("SELECT ", kOutcomeBodySql,
                              " FROM outcomes o JOIN initiatives i ON i.id = o.initiative"
                              " WHERE i.name = ? AND o.fiscal_year = ?"));
  if (!query.ok()) return query.status();
  query->Bind(name.initiative.Format()).Bind(int64_t{name.fiscal_year});
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<v1::Outcome>();
  absl::StatusOr<v1::Outcome> outcome = ParseBody<v1::Outcome>(query->ColumnBlob(0), name.Format());
  if (!outcome.ok()) return outcome.status();
  return std::optional<v1::Outcome>(*std::move(outcome));
}

// Inserts or replaces the row of `stored`; returns its id.
absl::StatusOr<int64_t> WriteOutcomeRow(WriteContext& w, const CheckedOutcome& checked,
                                        const v1::Outcome& stored, int64_t version, bool insert) {
  // ?1-?4 the row's values, ?5 and ?6 the initiative's name and the year, ?7 the plan.
  absl::StatusOr<Statement> write = w.db.Prepare(
      insert
          ? absl::StrCat("INSERT INTO outcomes (search_text, version, body, as_of, initiative, ",
                         "fiscal_year, id) VALUES (?1, ?2, ?3, ?4, (SELECT id FROM initiatives ",
                         "WHERE name = ?5), ?6, ", NextIdInPlan("outcomes", "?7"), ") RETURNING id")
          : absl::StrCat("UPDATE outcomes SET search_text = ?1, version = ?2, body = ?3, ",
                         "as_of = ?4 WHERE ", kOutcomeRow, " RETURNING id"));
  if (!write.ok()) return write.status();
  // The text itself when NFKC leaves it as it is: the trigram index reads it from the body.
  if (checked.search_text == stored.text()) {
    write->BindNull();
  } else {
    write->Bind(checked.search_text);
  }
  write->Bind(version)
      .BindBlob(StoredOutcomeBody(stored, checked.name.initiative.Format(),
                                  checked.name.fiscal_year, version))
      .Bind(AsOfKey(stored.as_of()))
      .Bind(checked.name.initiative.Format())
      .Bind(int64_t{checked.name.fiscal_year});
  if (insert) write->Bind(checked.name.initiative.PlanName());
  return write->RunReturningInt();
}

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
  absl::StatusOr<std::optional<v1::Outcome>> existing = LoadOutcome(w.db, checked->name);
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
  absl::StatusOr<int64_t> id =
      WriteOutcomeRow(w, *checked, result.outcome, *version, result.created);
  if (!id.ok()) return id.status();
  if (absl::Status s =
          RecordChange(w, result.created ? v1::CHANGE_TYPE_CREATED : v1::CHANGE_TYPE_UPDATED,
                       result.outcome, *id);
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

void SqliteStore::UpsertOutcomeThen(v1::Outcome outcome, std::string expected_etag,
                                    std::optional<RatingAfterWrite> rating,
                                    UpsertOutcomeDone done) {
  if (auto checked = CheckOutcome(outcome); !checked.ok()) {
    done(checked.status(), std::move(rating));
    return;
  }
  // What the write needs once this has returned, and what it answers with.
  struct Upsert {
    v1::Outcome outcome;
    std::string expected_etag;
    std::optional<RatingAfterWrite> rating;
    UpsertResult result;
  };
  auto upsert = std::make_shared<Upsert>(
      Upsert{std::move(outcome), std::move(expected_etag), std::move(rating), {}});
  Submit(
      [upsert](WriteContext& w) -> absl::Status {
        absl::StatusOr<UpsertResult> put = PutOutcome(w, upsert->outcome, upsert->expected_etag);
        if (!put.ok()) return put.status();
        upsert->result = *std::move(put);
        return RecordRatingAfterWrite(w, upsert->rating ? &*upsert->rating : nullptr);
      },
      [upsert, done = std::move(done)](absl::Status status) mutable {
        if (!status.ok()) {
          done(status, std::move(upsert->rating));
          return;
        }
        done(std::move(upsert->result), std::move(upsert->rating));
      });
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
    where = " WHERE i.name = ?";
    arguments.emplace_back(std::string(parent));
  }
  if (fiscal_year.has_value()) {
    where += " AND o.fiscal_year = ?";
    arguments.emplace_back(int64_t{*fiscal_year});
  }
  const std::string from = " FROM outcomes o JOIN initiatives i ON i.id = o.initiative";
  // The period outcome (fiscal year 0) comes before the yearly ones.
  return ReadPage<v1::Outcome>(
      {.select = absl::StrCat("SELECT ", kOutcomeBodySql, ", 'outcome ' || o.id", from, where,
                              " ORDER BY ", kInitiativeOrder, ", o.fiscal_year LIMIT ? OFFSET ?"),
       .count = absl::StrCat("SELECT count(*)", from, where),
       .arguments = std::move(arguments),
       .parent = whole_plan ? ListQuery::Parent{"plans", "plan", parsed->PlanName()}
                            : ListQuery::Parent{"initiatives", "initiative", std::string(parent)}},
      page);
}

absl::Status SqliteStore::DeleteOutcome(absl::string_view name, absl::string_view expected_etag,
                                        RatingAfterWrite* rating) {
  absl::StatusOr<OutcomeName> parsed = ParseOutcomeName(name, "name");
  if (!parsed.ok()) return parsed.status();
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<std::optional<v1::Outcome>> current = LoadOutcome(w.db, *parsed);
    if (!current.ok()) return current.status();
    if (!current->has_value()) return absl::NotFoundError(absl::StrCat(What(name), " not found"));
    if (absl::Status s = CheckEtag(What(name), (*current)->etag(), expected_etag); !s.ok()) {
      return s;
    }
    absl::StatusOr<Statement> remove =
        w.db.Prepare(absl::StrCat("DELETE FROM outcomes WHERE ", kOutcomeRow));
    if (!remove.ok()) return remove.status();
    remove->Bind(parsed->initiative.Format()).Bind(int64_t{parsed->fiscal_year});
    if (absl::Status s = remove->Run(); !s.ok()) return s;
    if (absl::Status s = RecordDeletion(w, v1::RESOURCE_KIND_OUTCOME, name); !s.ok()) return s;
    return RecordRatingAfterWrite(w, rating);
  });
}

}  // namespace torikumi::store::sqlite
