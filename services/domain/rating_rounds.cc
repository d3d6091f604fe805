#include "services/domain/rating_rounds.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/domain/list_all.h"
#include "services/domain/normalize.h"
#include "services/domain/page_token.h"
#include "services/domain/rating_triggers.h"
#include "services/domain/text_limits.h"
#include "services/domain/validation.h"
#include "services/store/rating_round_progress.h"

namespace torikumi::domain {
namespace {

// The round's plan; INVALID_ARGUMENT on "name" for a malformed name.
absl::StatusOr<std::string> PlanOfRound(absl::string_view round) {
  absl::StatusOr<RatingRoundName> name = ParseRatingRoundName(round, "name");
  if (!name.ok()) return name.status();
  return name->plan.Format();
}

// INVALID_ARGUMENT on "initiative" unless it names an initiative of `plan`.
absl::Status CheckInitiativeOfPlan(absl::string_view initiative, absl::string_view plan) {
  absl::StatusOr<InitiativeName> name = ParseInitiativeName(initiative, "initiative");
  if (!name.ok()) return name.status();
  if (name->PlanName() == plan) return absl::OkStatus();
  return InvalidField("initiative",
                      absl::StrCat(Quoted(initiative), " is not an initiative of plan ", plan));
}

// A required free-text field: present, UTF-8 and not too long.
void RequireText(absl::string_view text, absl::string_view field, absl::string_view why,
                 FieldViolations* violations) {
  if (text.empty()) {
    violations->Add(std::string(field), absl::StrCat("is required: ", why));
    return;
  }
  CheckUtf8(text, field, violations);
  CheckTextLength(text, kMaxTextChars, std::string(field), violations);
}

// The entry of a review and the round's progress and etag, as Accept and Override answer.
template <typename Response>
absl::StatusOr<Response> ReviewAnswer(const absl::StatusOr<v1::RatingRound>& round,
                                      absl::string_view initiative) {
  if (!round.ok()) return round.status();
  Response response;
  for (const v1::RatingRoundEntry& entry : round->entries()) {
    if (entry.initiative() == initiative) *response.mutable_entry() = entry;
  }
  *response.mutable_progress() = round->progress();
  response.set_etag(round->etag());
  return response;
}

}  // namespace

absl::StatusOr<v1::GetRatingRoundResponse> RatingRounds::Get(
    const v1::GetRatingRoundRequest& request) {
  absl::StatusOr<v1::RatingRound> round = store_.GetRatingRound(request.name());
  if (!round.ok()) return round.status();
  v1::GetRatingRoundResponse response;
  *response.mutable_rating_round() = *std::move(round);
  return response;
}

absl::StatusOr<v1::ListRatingRoundsResponse> RatingRounds::List(
    const v1::ListRatingRoundsRequest& request) {
  if (auto parent = ParsePlanName(request.parent(), "parent"); !parent.ok()) {
    return parent.status();
  }
  const std::string query = absl::StrCat("ratingRounds\n", request.parent());
  absl::StatusOr<store::Page> page =
      PageFromRequest(request.page_size(), request.page_token(), query);
  if (!page.ok()) return page.status();
  absl::StatusOr<store::ListResult<v1::RatingRound>> result =
      store_.ListRatingRounds(request.parent(), *page);
  if (!result.ok()) return result.status();
  v1::ListRatingRoundsResponse response;
  for (v1::RatingRound& round : result->items) *response.add_rating_rounds() = std::move(round);
  response.set_next_page_token(
      NextPageToken(*page, response.rating_rounds_size(), result->total, query));
  response.set_total_size(TotalSize(result->total));
  return response;
}

absl::Status RatingRounds::RateUnrated(absl::string_view plan, int fiscal_year) {
  v1::InitiativeFilter scheduled;
  scheduled.set_fiscal_year(fiscal_year);
  absl::StatusOr<std::vector<v1::Initiative>> initiatives = ListAll<v1::Initiative>(
      [&](store::Page page) { return store_.ListInitiatives(plan, scheduled, page); });
  if (!initiatives.ok()) return initiatives.status();
  absl::StatusOr<std::vector<v1::ComputedRating>> latest = ListAll<v1::ComputedRating>(
      [&](store::Page page) { return store_.ListRatings(plan, "", false, page); });
  if (!latest.ok()) return latest.status();
  std::set<std::string> rated;
  for (const v1::ComputedRating& rating : *latest) rated.insert(rating.initiative());
  v1::RatingServiceEvaluateRequest evaluate;
  evaluate.set_plan(std::string(plan));
  for (const v1::Initiative& initiative : *initiatives) {
    if (rated.count(initiative.name()) == 0) evaluate.add_initiatives(initiative.name());
  }
  if (evaluate.initiatives().empty()) return absl::OkStatus();
  return ratings_.Evaluate(evaluate, kTriggerRound).status();
}

absl::StatusOr<v1::OpenRatingRoundResponse> RatingRounds::Open(
    const v1::OpenRatingRoundRequest& request, absl::string_view actor) {
  absl::StatusOr<PlanName> parent = ParsePlanName(request.parent(), "parent");
  if (!parent.ok()) return parent.status();
  absl::StatusOr<v1::Plan> plan = store_.GetPlan(request.parent());
  if (!plan.ok()) return plan.status();
  const v1::Period& period = plan->period();
  if (request.fiscal_year() < period.first_fiscal_year() ||
      request.fiscal_year() > period.last_fiscal_year()) {
    return InvalidField(
        "fiscal_year",
        absl::StrCat(request.fiscal_year(), " is outside the period of plan ", plan->name(), " (",
                     period.first_fiscal_year(), "..", period.last_fiscal_year(), ")"));
  }
  if (absl::Status s = RateUnrated(request.parent(), request.fiscal_year()); !s.ok()) return s;
  const std::string name = RatingRoundName{*parent, request.fiscal_year()}.Format();
  absl::StatusOr<v1::RatingRound> round = store_.OpenRatingRound(name, actor);
  if (!round.ok()) return round.status();
  v1::OpenRatingRoundResponse response;
  *response.mutable_rating_round() = *std::move(round);
  return response;
}

absl::StatusOr<v1::NextRatingRoundEntryResponse> RatingRounds::Next(
    const v1::NextRatingRoundEntryRequest& request) {
  FieldViolations violations;
  std::string area = request.area();
  NormalizeText(&area, "area", &violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::RatingRound> round = store_.GetRatingRound(request.name());
  if (!round.ok()) return round.status();
  v1::NextRatingRoundEntryResponse response;
  v1::RatingRoundProgress* progress = response.mutable_progress();
  progress->set_area(area);
  for (const v1::RatingRoundEntry& entry : round->entries()) {
    if (!area.empty() && entry.area() != area) continue;
    store::CountEntry(entry, progress);
    if (!response.has_entry() && entry.decision() == v1::RatingRoundEntry::DECISION_UNSPECIFIED) {
      *response.mutable_entry() = entry;
    }
  }
  if (!area.empty() && progress->total() == 0) {
    return InvalidField("area", absl::StrCat(Quoted(area), " has no entry in ", request.name()));
  }
  return response;
}

absl::StatusOr<v1::AcceptRatingResponse> RatingRounds::Accept(
    const v1::AcceptRatingRequest& request, absl::string_view reviewer) {
  absl::StatusOr<std::string> plan = PlanOfRound(request.name());
  if (!plan.ok()) return plan.status();
  if (absl::Status s = CheckInitiativeOfPlan(request.initiative(), *plan); !s.ok()) return s;
  store::RoundReview review{.round = request.name(),
                            .initiative = request.initiative(),
                            .decision = v1::RatingRoundEntry::DECISION_ACCEPTED,
                            .reviewer = std::string(reviewer),
                            .expected_etag = request.etag()};
  return ReviewAnswer<v1::AcceptRatingResponse>(store_.ReviewRatingRound(review),
                                                request.initiative());
}

absl::StatusOr<v1::OverrideRatingResponse> RatingRounds::Override(
    const v1::OverrideRatingRequest& request, absl::string_view reviewer) {
  absl::StatusOr<std::string> plan_name = PlanOfRound(request.name());
  if (!plan_name.ok()) return plan_name.status();
  if (absl::Status s = CheckInitiativeOfPlan(request.initiative(), *plan_name); !s.ok()) return s;
  FieldViolations violations;
  std::string grade = request.grade();
  NormalizeText(&grade, "grade", &violations);
  if (grade.empty())
    violations.Add("grade", "is required: the grade that replaces the computed one");
  RequireText(request.reason(), "reason", "why the computed grade is overridden", &violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Plan> plan = store_.GetPlan(*plan_name);
  if (!plan.ok()) return plan.status();
  if (!IsGradeOnScale(*plan, grade)) {
    return InvalidField("grade", absl::StrCat(Quoted(grade), " is not a grade of plan ",
                                              plan->name(), " (grades: ", GradeCodes(*plan), ")"));
  }
  store::RoundReview review{.round = request.name(),
                            .initiative = request.initiative(),
                            .decision = v1::RatingRoundEntry::DECISION_OVERRIDDEN,
                            .grade = grade,
                            .reviewer = std::string(reviewer),
                            .reason = request.reason(),
                            .expected_etag = request.etag()};
  return ReviewAnswer<v1::OverrideRatingResponse>(store_.ReviewRatingRound(review),
                                                  request.initiative());
}

absl::StatusOr<v1::CloseRatingRoundResponse> RatingRounds::Close(
    const v1::CloseRatingRoundRequest& request, absl::string_view actor) {
  absl::StatusOr<v1::RatingRound> round =
      store_.SetRatingRoundState({.round = request.name(),
                                  .state = v1::RatingRound::STATE_CLOSED,
                                  .actor = std::string(actor),
                                  .expected_etag = request.etag()});
  if (!round.ok()) return round.status();
  v1::CloseRatingRoundResponse response;
  *response.mutable_rating_round() = *std::move(round);
  return response;
}

absl::StatusOr<v1::ReopenRatingRoundResponse> RatingRounds::Reopen(
    const v1::ReopenRatingRoundRequest& request, absl::string_view actor) {
  if (auto plan = PlanOfRound(request.name()); !plan.ok()) return plan.status();
  FieldViolations violations;
  RequireText(request.reason(), "reason", "why the closed grades must change", &violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::RatingRound> round =
      store_.SetRatingRoundState({.round = request.name(),
                                  .state = v1::RatingRound::STATE_OPEN,
                                  .actor = std::string(actor),
                                  .reason = request.reason(),
                                  .expected_etag = request.etag()});
  if (!round.ok()) return round.status();
  v1::ReopenRatingRoundResponse response;
  *response.mutable_rating_round() = *std::move(round);
  return response;
}

}  // namespace torikumi::domain
