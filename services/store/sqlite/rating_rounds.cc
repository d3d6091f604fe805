// Rating rounds in the SQLite store: one row per round, its entries in the body; a review
// writes the round and the initiative's human rating in one transaction.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/rating_round_progress.h"
#include "services/store/rating_round_rules.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"
#include "services/store/sqlite/stored_body.h"
#include "services/store/sqlite/stored_rating.h"

namespace torikumi::store::sqlite {
namespace {

constexpr absl::string_view kSelectBody = "SELECT body FROM rating_rounds WHERE name = ?";

using rules::RoundWhat;

absl::StatusOr<v1::RatingRound> LoadRound(Connection& db, absl::string_view name) {
  absl::StatusOr<std::optional<v1::RatingRound>> found =
      LoadBody<v1::RatingRound>(db, kSelectBody, name);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError(absl::StrCat(RoundWhat(name), " not found"));
  return **std::move(found);
}

struct RoundRow {
  std::string name;
  int64_t fiscal_year = 0;
  int64_t state = 0;
};

// The plan's round of the latest fiscal year; nullopt when it has none.
absl::StatusOr<std::optional<RoundRow>> NewestRound(Connection& db, absl::string_view plan) {
  absl::StatusOr<Statement> query = db.Prepare(
      "SELECT name, fiscal_year, state FROM rating_rounds WHERE plan = ? "
      "ORDER BY fiscal_year DESC LIMIT 1");
  if (!query.ok()) return query.status();
  query->Bind(plan);
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<RoundRow>();
  return std::optional<RoundRow>(
      RoundRow{query->ColumnText(0), query->ColumnInt(1), query->ColumnInt(2)});
}

// The entry proposing the newest computed rating of `initiative`; FAILED_PRECONDITION when
// it has none.
absl::StatusOr<v1::RatingRoundEntry> Propose(Connection& db, const v1::Initiative& initiative) {
  absl::StatusOr<Statement> query =
      db.Prepare(absl::StrCat("SELECT r.id, ", kRatingBodySql,
                              " FROM computed_ratings r JOIN initiatives i ON i.id = r.initiative"
                              " WHERE i.name = ? ORDER BY r.id DESC LIMIT 1"));
  if (!query.ok()) return query.status();
  query->Bind(initiative.name());
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return rules::NothingToPropose(initiative.name());
  const std::string link =
      absl::StrCat(initiative.name(), "/computedRatings/", query->ColumnInt(0));
  absl::StatusOr<v1::ComputedRating> rating =
      ParseBody<v1::ComputedRating>(query->ColumnBlob(1), link);
  if (!rating.ok()) return rating.status();
  return rules::ProposedEntry(initiative, link, *rating);
}

// One entry per initiative of the plan scheduled in `fiscal_year`, in the plan's order.
absl::StatusOr<std::vector<v1::RatingRoundEntry>> ProposedEntries(Connection& db,
                                                                  absl::string_view plan,
                                                                  int64_t fiscal_year) {
  absl::StatusOr<Statement> rows = db.Prepare(absl::StrCat(
      "SELECT ", kInitiativeBodySql, ", i.name FROM initiatives i",
      " WHERE i.plan = ? AND EXISTS (SELECT 1 FROM initiative_years y WHERE y.initiative = "
      "i.id AND y.fiscal_year = ?) ORDER BY ",
      kInitiativeOrder));
  if (!rows.ok()) return rows.status();
  rows->Bind(plan).Bind(fiscal_year);
  std::vector<v1::Initiative> initiatives;
  if (absl::Status s = AppendBodies(*rows, &initiatives); !s.ok()) return s;
  std::vector<v1::RatingRoundEntry> entries;
  for (const v1::Initiative& initiative : initiatives) {
    absl::StatusOr<v1::RatingRoundEntry> entry = Propose(db, initiative);
    if (!entry.ok()) return entry.status();
    entries.push_back(*std::move(entry));
  }
  return entries;
}

// Stamps `round` (progress, times, etag) and inserts or replaces its row.
absl::StatusOr<v1::RatingRound> PutRound(WriteContext& w, v1::RatingRound round,
                                         absl::string_view plan, bool insert) {
  absl::StatusOr<int64_t> version = w.Version();
  if (!version.ok()) return version.status();
  FillRoundProgress(&round);
  if (insert) *round.mutable_create_time() = ToTimestamp(w.now);
  *round.mutable_update_time() = ToTimestamp(w.now);
  round.set_etag(EtagOf(*version));
  absl::StatusOr<Statement> write = w.db.Prepare(
      insert ? "INSERT INTO rating_rounds (state, version, body, plan, fiscal_year, name) "
               "VALUES (?, ?, ?, ?, ?, ?)"
             : "UPDATE rating_rounds SET state = ?, version = ?, body = ? "
               "WHERE plan = ? AND fiscal_year = ? AND name = ?");
  if (!write.ok()) return write.status();
  write->Bind(int64_t{round.state()})
      .Bind(*version)
      .BindBlob(round.SerializeAsString())
      .Bind(plan)
      .Bind(int64_t{round.fiscal_year()})
      .Bind(round.name());
  if (absl::Status s = write->Run(); !s.ok()) return s;
  const v1::ChangeType type = insert ? v1::CHANGE_TYPE_CREATED : v1::CHANGE_TYPE_UPDATED;
  if (absl::Status s = RecordChange(w, type, round); !s.ok()) return s;
  return round;
}

}  // namespace

absl::Status CheckGradesWritable(Connection& db, absl::string_view plan) {
  absl::StatusOr<std::optional<RoundRow>> newest = NewestRound(db, plan);
  if (!newest.ok()) return newest.status();
  if (!newest->has_value() || (*newest)->state != v1::RatingRound::STATE_CLOSED) {
    return absl::OkStatus();
  }
  return rules::RefuseClosed((*newest)->name, plan);
}

namespace {

// Writes the entry's grade as the initiative's human rating, linked to the round.
absl::Status WriteHumanRating(WriteContext& w, absl::string_view round,
                              const v1::RatingRoundEntry& entry) {
  absl::StatusOr<std::optional<v1::Initiative>> current = LoadBody<v1::Initiative>(
      w.db, "SELECT initiative_body(body, name, version) FROM initiatives WHERE name = ?",
      entry.initiative());
  if (!current.ok()) return current.status();
  if (!current->has_value()) {
    return absl::NotFoundError(absl::StrCat("initiative '", entry.initiative(), "' not found"));
  }
  return ReplaceInitiative(w, rules::RatedByRound(**current, round, entry), **current, "initiative")
      .status();
}

}  // namespace

absl::StatusOr<v1::RatingRound> SqliteStore::OpenRatingRound(absl::string_view name,
                                                             absl::string_view actor) {
  absl::StatusOr<RatingRoundName> parsed = ParseRatingRoundName(name, "name");
  if (!parsed.ok()) return parsed.status();
  const std::string plan = parsed->plan.Format();
  v1::RatingRound stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    if (absl::Status s = CheckParentExists(w.db, "plans", "plan", plan, name); !s.ok()) return s;
    absl::StatusOr<std::optional<RoundRow>> newest = NewestRound(w.db, plan);
    if (!newest.ok()) return newest.status();
    if (newest->has_value() && (*newest)->fiscal_year == parsed->fiscal_year) {
      return absl::AlreadyExistsError(absl::StrCat(RoundWhat(name), " already exists"));
    }
    if (newest->has_value() && (*newest)->fiscal_year > parsed->fiscal_year) {
      return absl::FailedPreconditionError(
          absl::StrCat("plan '", plan, "' already has the later round '", (*newest)->name, "'"));
    }
    absl::StatusOr<std::vector<v1::RatingRoundEntry>> entries =
        ProposedEntries(w.db, plan, parsed->fiscal_year);
    if (!entries.ok()) return entries.status();
    v1::RatingRound round;
    round.set_name(std::string(name));
    round.set_fiscal_year(parsed->fiscal_year);
    round.set_state(v1::RatingRound::STATE_OPEN);
    for (v1::RatingRoundEntry& entry : *entries) *round.add_entries() = std::move(entry);
    *round.add_transitions() = rules::MakeTransition(v1::RatingRound::STATE_OPEN, actor, "", w.now);
    absl::StatusOr<v1::RatingRound> put = PutRound(w, std::move(round), plan, /*insert=*/true);
    if (!put.ok()) return put.status();
    stored = *std::move(put);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::RatingRound> SqliteStore::RestoreRatingRound(const v1::RatingRound& round) {
  absl::StatusOr<RatingRoundName> parsed = ParseRatingRoundName(round.name(), "round.name");
  if (!parsed.ok()) return parsed.status();
  const std::string plan = parsed->plan.Format();
  v1::RatingRound stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    if (absl::Status s = CheckParentExists(w.db, "plans", "plan", plan, round.name()); !s.ok()) {
      return s;
    }
    if (LoadRound(w.db, round.name()).ok()) {
      return absl::AlreadyExistsError(absl::StrCat(RoundWhat(round.name()), " already exists"));
    }
    v1::RatingRound restored = round;
    restored.set_fiscal_year(parsed->fiscal_year);
    absl::StatusOr<v1::RatingRound> put = PutRound(w, std::move(restored), plan, /*insert=*/true);
    if (!put.ok()) return put.status();
    stored = *std::move(put);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::RatingRound> SqliteStore::GetRatingRound(absl::string_view name) {
  if (auto parsed = ParseRatingRoundName(name, "name"); !parsed.ok()) return parsed.status();
  v1::RatingRound round;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<v1::RatingRound> found = LoadRound(db, name);
    if (!found.ok()) return found.status();
    round = *std::move(found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return round;
}

absl::StatusOr<ListResult<v1::RatingRound>> SqliteStore::ListRatingRounds(absl::string_view parent,
                                                                          Page page) {
  if (auto parsed = ParsePlanName(parent, "parent"); !parsed.ok()) return parsed.status();
  return ReadPage<v1::RatingRound>(
      {.select = "SELECT body, name FROM rating_rounds WHERE plan = ? "
                 "ORDER BY fiscal_year LIMIT ? OFFSET ?",
       .count = "SELECT count(*) FROM rating_rounds WHERE plan = ?",
       .arguments = {std::string(parent)},
       .parent = ListQuery::Parent{"plans", "plan", std::string(parent)}},
      page);
}

absl::Status SqliteStore::WriteRound(absl::string_view plan, rules::RoundChange change) {
  return Write([&](WriteContext& w) -> absl::Status {
    auto load = [&](absl::string_view round) { return LoadRound(w.db, round); };
    auto newest_round = [&]() -> absl::StatusOr<std::string> {
      absl::StatusOr<std::optional<RoundRow>> newest = NewestRound(w.db, plan);
      if (!newest.ok()) return newest.status();
      return newest->has_value() ? (*newest)->name : "";
    };
    auto write_rating = [&](absl::string_view round, const v1::RatingRoundEntry& entry) {
      return WriteHumanRating(w, round, entry);
    };
    auto store = [&](v1::RatingRound round) {
      return PutRound(w, std::move(round), plan, /*insert=*/false);
    };
    // The lambdas are named as the fields of rules::RoundWriteSteps, in its order.
    return change({plan, w.now, load, newest_round, write_rating, store});
  });
}

absl::StatusOr<v1::RatingRound> SqliteStore::ReviewRatingRound(const RoundReview& review) {
  return rules::ReviewRound(review, [this](absl::string_view plan, rules::RoundChange change) {
    return WriteRound(plan, change);
  });
}

absl::StatusOr<v1::RatingRound> SqliteStore::SetRatingRoundState(
    const RoundTransition& transition) {
  return rules::MoveRound(transition, [this](absl::string_view plan, rules::RoundChange change) {
    return WriteRound(plan, change);
  });
}

}  // namespace torikumi::store::sqlite
