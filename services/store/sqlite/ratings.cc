// Computed ratings in the SQLite store: an append-only history per initiative.
#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"

namespace torikumi::store::sqlite {

absl::Status InsertRating(WriteContext& w, const v1::ComputedRating& rating,
                          absl::string_view plan) {
  if (absl::Status s =
          CheckParentExists(w.db, "initiatives", "initiative", rating.initiative(), "");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<Statement> insert =
      w.db.Prepare("INSERT INTO computed_ratings (initiative, plan, body) VALUES (?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(rating.initiative()).Bind(plan).BindBlob(rating.SerializeAsString());
  if (absl::Status s = insert->Run(); !s.ok()) return s;
  return RecordChange(w, rating);
}

absl::Status SqliteStore::RecordRatings(const std::vector<v1::ComputedRating>& ratings) {
  std::vector<std::string> plans;
  for (size_t i = 0; i < ratings.size(); ++i) {
    absl::StatusOr<InitiativeName> parsed =
        ParseInitiativeName(ratings[i].initiative(), absl::StrCat("ratings[", i, "].initiative"));
    if (!parsed.ok()) return parsed.status();
    plans.push_back(parsed->PlanName());
  }
  return Write([&](WriteContext& w) -> absl::Status {
    for (size_t i = 0; i < ratings.size(); ++i) {
      if (absl::Status s = InsertRating(w, ratings[i], plans[i]); !s.ok()) return ForItem(s, i);
    }
    return absl::OkStatus();
  });
}

absl::Status RecordRatingAfterWrite(WriteContext& w, RatingAfterWrite* rating) {
  if (rating == nullptr) return absl::OkStatus();
  rating->recorded = false;
  absl::StatusOr<InitiativeName> name =
      ParseInitiativeName(rating->rating.initiative(), "rating.initiative");
  if (!name.ok()) return name.status();
  const std::string plan = name->PlanName();
  absl::StatusOr<PlanInputs> inputs = ReadPlanInputsIn(w.db, plan, rating->rating.initiative());
  // The write removed what the rating was of: there is nothing to rate any more.
  if (absl::IsNotFound(inputs.status())) return absl::OkStatus();
  if (!inputs.ok()) return inputs.status();
  absl::StatusOr<int32_t> latest = LatestRuleSetVersion(w.db, rating->rating.rule_set());
  if (!latest.ok()) return latest.status();
  if (!rating->holds || !rating->holds(*inputs, *latest)) return absl::OkStatus();
  if (absl::Status s = InsertRating(w, rating->rating, plan); !s.ok()) return s;
  rating->recorded = true;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::ComputedRating>> SqliteStore::ListRatings(
    absl::string_view plan, absl::string_view initiative, bool history) {
  if (auto parsed = ParsePlanName(plan, "plan"); !parsed.ok()) return parsed.status();
  if (!initiative.empty()) {
    if (auto parsed = ParseInitiativeName(initiative, "initiative"); !parsed.ok())
      return parsed.status();
  }
  std::string sql = "SELECT body, initiative FROM computed_ratings WHERE plan = ?";
  if (!initiative.empty()) sql += " AND initiative = ?";
  if (!history) {
    sql +=
        " AND id = (SELECT max(id) FROM computed_ratings latest WHERE latest.initiative = "
        "computed_ratings.initiative)";
  }
  sql += " ORDER BY initiative, id DESC";
  std::vector<v1::ComputedRating> ratings;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    if (absl::Status s = CheckParentExists(db, "plans", "plan", plan, ""); !s.ok()) return s;
    absl::StatusOr<Statement> query = db.Prepare(sql);
    if (!query.ok()) return query.status();
    query->Bind(plan);
    if (!initiative.empty()) query->Bind(initiative);
    return AppendBodies(*query, &ratings);
  });
  if (!status.ok()) return status;
  return ratings;
}

}  // namespace torikumi::store::sqlite
