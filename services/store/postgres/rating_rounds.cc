// Rating rounds in the PostgreSQL store: one row per round, its entries in the body; a review
// writes the round and the initiative's human rating in one transaction. The rules that are
// not SQL are shared with the SQLite store (services/store/rating_round_rules.h).
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/postgres/change_log.h"
#include "services/store/postgres/records.h"
#include "services/store/rating_round_progress.h"
#include "services/store/rating_round_rules.h"

namespace torikumi::store::postgres {
namespace {

using rules::RoundWhat;

constexpr char kSelectBody[] = "SELECT body FROM rating_rounds WHERE name = $1";

absl::StatusOr<v1::RatingRound> LoadRound(Tx& tx, absl::string_view name) {
  std::optional<v1::RatingRound> found = LoadBody<v1::RatingRound>(tx, kSelectBody, name);
  if (!found.has_value()) return absl::NotFoundError(absl::StrCat(RoundWhat(name), " not found"));
  return *std::move(found);
}

struct RoundRow {
  std::string name;
  int64_t fiscal_year = 0;
  int64_t state = 0;
};

// The plan's round of the latest fiscal year; nullopt when it has none.
std::optional<RoundRow> NewestRound(Tx& tx, absl::string_view plan) {
  pqxx::result rows = tx.exec_params(
      "SELECT r.name, r.fiscal_year, r.state FROM rating_rounds r JOIN plans p ON p.id = "
      "r.plan_id WHERE p.name = $1 ORDER BY r.fiscal_year DESC LIMIT 1",
      std::string(plan));
  if (rows.empty()) return std::nullopt;
  return RoundRow{rows[0][0].as<std::string>(), rows[0][1].as<int64_t>(), rows[0][2].as<int64_t>()};
}

// The entry proposing the newest computed rating of `initiative`; FAILED_PRECONDITION when
// it has none.
absl::StatusOr<v1::RatingRoundEntry> Propose(Tx& tx, const v1::Initiative& initiative) {
  pqxx::result rows = tx.exec_params(
      "SELECT r.id, r.body FROM computed_ratings r JOIN initiatives i ON i.id = r.initiative_id "
      "WHERE i.name = $1 ORDER BY r.id DESC LIMIT 1",
      initiative.name());
  if (rows.empty()) return rules::NothingToPropose(initiative.name());
  const std::string link =
      absl::StrCat(initiative.name(), "/computedRatings/", rows[0][0].as<int64_t>());
  return rules::ProposedEntry(initiative, link, ParseBody<v1::ComputedRating>(rows[0][1], link));
}

// One entry per initiative of the plan scheduled in `fiscal_year`, in the plan's order.
absl::StatusOr<std::vector<v1::RatingRoundEntry>> ProposedEntries(Tx& tx, absl::string_view plan,
                                                                  int64_t fiscal_year) {
  std::vector<v1::Initiative> initiatives;
  AppendBodies(ExecWith(tx,
                        absl::StrCat("SELECT i.body, i.name FROM initiatives i", kJoinAreaPosition,
                                     " WHERE i.plan_id = (SELECT id FROM plans WHERE name = $1) "
                                     "AND EXISTS (SELECT 1 FROM initiative_years y WHERE "
                                     "y.initiative_id = i.id AND y.fiscal_year = $2) ORDER BY ",
                                     kInitiativeOrder),
                        {std::string(plan), absl::StrCat(fiscal_year)}),
               &initiatives);
  std::vector<v1::RatingRoundEntry> entries;
  for (const v1::Initiative& initiative : initiatives) {
    absl::StatusOr<v1::RatingRoundEntry> entry = Propose(tx, initiative);
    if (!entry.ok()) return entry.status();
    entries.push_back(*std::move(entry));
  }
  return entries;
}

// Stamps `round` (progress, times, etag) and inserts or replaces its row.
v1::RatingRound PutRound(WriteContext& w, v1::RatingRound round, absl::string_view plan,
                         bool insert) {
  const int64_t version = w.Version();
  FillRoundProgress(&round);
  if (insert) *round.mutable_create_time() = ToTimestamp(w.now);
  *round.mutable_update_time() = ToTimestamp(w.now);
  round.set_etag(EtagOf(version));
  w.tx.exec_params(
      insert ? "INSERT INTO rating_rounds (state, version, body, plan_id, fiscal_year, name) "
               "VALUES ($1, $2, $3, (SELECT id FROM plans WHERE name = $4), $5, $6)"
             : "UPDATE rating_rounds SET state = $1, version = $2, body = $3 "
               "WHERE plan_id = (SELECT id FROM plans WHERE name = $4) AND fiscal_year = $5 "
               "AND name = $6",
      static_cast<int>(round.state()), version, Bytes(round), std::string(plan),
      round.fiscal_year(), round.name());
  RecordChange(w, events::RatingRoundWritten(
                      insert ? v1::CHANGE_TYPE_CREATED : v1::CHANGE_TYPE_UPDATED, round));
  return round;
}

// Writes the entry's grade as the initiative's human rating, linked to the round.
absl::Status WriteHumanRating(WriteContext& w, absl::string_view round,
                              const v1::RatingRoundEntry& entry) {
  std::optional<v1::Initiative> current = LoadBody<v1::Initiative>(
      w.tx, "SELECT body FROM initiatives WHERE name = $1", entry.initiative());
  if (!current.has_value()) {
    return absl::NotFoundError(absl::StrCat("initiative '", entry.initiative(), "' not found"));
  }
  return ReplaceInitiative(w, rules::RatedByRound(*current, round, entry), *current, "initiative")
      .status();
}

}  // namespace

absl::Status CheckGradesWritable(Tx& tx, absl::string_view plan) {
  std::optional<RoundRow> newest = NewestRound(tx, plan);
  if (!newest.has_value() || newest->state != v1::RatingRound::STATE_CLOSED) {
    return absl::OkStatus();
  }
  return rules::RefuseClosed(newest->name, plan);
}

absl::StatusOr<v1::RatingRound> PostgresStore::OpenRatingRound(absl::string_view name,
                                                               absl::string_view actor) {
  absl::StatusOr<RatingRoundName> parsed = ParseRatingRoundName(name, "name");
  if (!parsed.ok()) return parsed.status();
  const std::string plan = parsed->plan.Format();
  v1::RatingRound stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    if (absl::Status s = CheckParentExists(w.tx, "plans", "plan", plan, name); !s.ok()) return s;
    std::optional<RoundRow> newest = NewestRound(w.tx, plan);
    if (newest.has_value() && newest->fiscal_year == parsed->fiscal_year) {
      return absl::AlreadyExistsError(absl::StrCat(RoundWhat(name), " already exists"));
    }
    if (newest.has_value() && newest->fiscal_year > parsed->fiscal_year) {
      return absl::FailedPreconditionError(
          absl::StrCat("plan '", plan, "' already has the later round '", newest->name, "'"));
    }
    absl::StatusOr<std::vector<v1::RatingRoundEntry>> entries =
        ProposedEntries(w.tx, plan, parsed->fiscal_year);
    if (!entries.ok()) return entries.status();
    v1::RatingRound round;
    round.set_name(std::string(name));
    round.set_fiscal_year(parsed->fiscal_year);
    round.set_state(v1::RatingRound::STATE_OPEN);
    for (v1::RatingRoundEntry& entry : *entries) *round.add_entries() = std::move(entry);
    *round.add_transitions() = rules::MakeTransition(v1::RatingRound::STATE_OPEN, actor, "", w.now);
    stored = PutRound(w, std::move(round), plan, /*insert=*/true);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::RatingRound> PostgresStore::RestoreRatingRound(const v1::RatingRound& round) {
  absl::StatusOr<RatingRoundName> parsed = ParseRatingRoundName(round.name(), "round.name");
  if (!parsed.ok()) return parsed.status();
  const std::string plan = parsed->plan.Format();
  v1::RatingRound stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    if (absl::Status s = CheckParentExists(w.tx, "plans", "plan", plan, round.name()); !s.ok()) {
      return s;
    }
    if (LoadRound(w.tx, round.name()).ok()) {
      return absl::AlreadyExistsError(absl::StrCat(RoundWhat(round.name()), " already exists"));
    }
    v1::RatingRound restored = round;
    restored.set_fiscal_year(parsed->fiscal_year);
    stored = PutRound(w, std::move(restored), plan, /*insert=*/true);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<v1::RatingRound> PostgresStore::GetRatingRound(absl::string_view name) {
  if (auto parsed = ParseRatingRoundName(name, "name"); !parsed.ok()) return parsed.status();
  v1::RatingRound round;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    absl::StatusOr<v1::RatingRound> found = LoadRound(tx, name);
    if (!found.ok()) return found.status();
    round = *std::move(found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return round;
}

absl::StatusOr<ListResult<v1::RatingRound>> PostgresStore::ListRatingRounds(
    absl::string_view parent, Page page) {
  if (auto parsed = ParsePlanName(parent, "parent"); !parsed.ok()) return parsed.status();
  const std::string where = " WHERE plan_id = (SELECT id FROM plans WHERE name = $1)";
  return ReadPage<v1::RatingRound>(
      {.select =
           absl::StrCat("SELECT body, name FROM rating_rounds", where, " ORDER BY fiscal_year"),
       .count = absl::StrCat("SELECT count(*) FROM rating_rounds", where),
       .arguments = {std::string(parent)},
       .parent = ListQuery::Parent{"plans", "plan", std::string(parent)}},
      page);
}

absl::Status PostgresStore::WriteRound(absl::string_view plan, rules::RoundChange change) {
  return Write([&](WriteContext& w) -> absl::Status {
    auto load = [&](absl::string_view round) { return LoadRound(w.tx, round); };
    auto newest_round = [&]() -> absl::StatusOr<std::string> {
      std::optional<RoundRow> newest = NewestRound(w.tx, plan);
      return newest.has_value() ? newest->name : "";
    };
    auto write_rating = [&](absl::string_view round, const v1::RatingRoundEntry& entry) {
      return WriteHumanRating(w, round, entry);
    };
    auto store = [&](v1::RatingRound round) -> absl::StatusOr<v1::RatingRound> {
      return PutRound(w, std::move(round), plan, /*insert=*/false);
    };
    // The lambdas are named as the fields of rules::RoundWriteSteps, in its order.
    return change({plan, w.now, load, newest_round, write_rating, store});
  });
}

absl::StatusOr<v1::RatingRound> PostgresStore::ReviewRatingRound(const RoundReview& review) {
  return rules::ReviewRound(review, [this](absl::string_view plan, rules::RoundChange change) {
    return WriteRound(plan, change);
  });
}

absl::StatusOr<v1::RatingRound> PostgresStore::SetRatingRoundState(
    const RoundTransition& transition) {
  return rules::MoveRound(transition, [this](absl::string_view plan, rules::RoundChange change) {
    return WriteRound(plan, change);
  });
}

}  // namespace torikumi::store::postgres
