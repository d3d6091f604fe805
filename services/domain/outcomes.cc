#include "services/domain/outcomes.h"

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/mutex.h"
#include "services/common/resource_name.h"
#include "services/domain/normalize.h"
#include "services/domain/page_token.h"
#include "services/domain/plan_records.h"
#include "services/domain/validation.h"
#include "services/store/write_origin.h"

namespace torikumi::domain {

namespace {

// The API's fiscal_year 0 lists every outcome; the store says that with nullopt, since for
// it 0 is the year of the whole-period outcome.
std::optional<int> YearFilter(int fiscal_year) {
  if (fiscal_year == 0) return std::nullopt;
  return fiscal_year;
}

}  // namespace

absl::StatusOr<Outcomes::CheckedUpsert> Outcomes::Check(const v1::UpsertOutcomeRequest& request) {
  absl::StatusOr<InitiativeName> parent = ParseInitiativeName(request.parent(), "parent");
  if (!parent.ok()) return parent.status();
  // One snapshot of the plan and the initiative (NOT_FOUND without either), which both the
  // checks below and the rating are made from.
  absl::StatusOr<PlanRecords> records =
      LoadPlanRecords(store_, parent->PlanName(), "parent", request.parent());
  if (!records.ok()) return records.status();

  FieldViolations violations;
  CheckedUpsert checked;
  v1::Outcome& outcome = checked.outcome;
  outcome = request.outcome();
  // The name follows from parent and fiscal year; a name the caller sent must say the same.
  const std::string name =
      absl::StrCat(request.parent(), "/outcomes/", OutcomeId(outcome.fiscal_year()));
  if (!outcome.name().empty() && outcome.name() != name) {
    violations.Add("outcome.name",
                   absl::StrCat(Quoted(outcome.name()), " does not match parent and fiscal_year ",
                                outcome.fiscal_year(), " (expected ", Quoted(name), ")"));
  }
  outcome.set_name(name);
  NormalizeOutcome(&outcome, "outcome", &violations);
  ValidateOutcome(outcome, records->plan, "outcome", &violations);
  if (!violations.empty()) return violations.ToStatus();

  // The rating the outcome leads to is recorded in the outcome's own transaction.
  if (triggers_ != nullptr) {
    checked.rating =
        triggers_->RatingBeforeWrite(*std::move(records), request.parent(), kTriggerOutcome,
                                     [&](PlanRecords* edited) { PutOutcome(outcome, edited); });
  }
  return checked;
}

void Outcomes::Upsert(const v1::UpsertOutcomeRequest& request, UpsertDone done) {
  absl::StatusOr<CheckedUpsert> checked = Check(request);
  if (!checked.ok()) {
    done(checked.status());
    return;
  }
  store_.UpsertOutcomeThen(
      std::move(checked->outcome), request.etag(), std::move(checked->rating),
      [this, initiative = request.parent(), caller = std::this_thread::get_id(),
       done = std::move(done)](absl::StatusOr<store::UpsertResult> result,
                               std::optional<store::RatingAfterWrite> rating) mutable {
        if (!result.ok()) {
          done(result.status());
          return;
        }
        v1::UpsertOutcomeResponse response;
        *response.mutable_outcome() = std::move(result->outcome);
        response.set_created(result->created);
        if (triggers_ == nullptr || !NeedsRerating(rating)) {
          done(std::move(response));
          return;
        }
        RerateThenAnswer(std::move(initiative), std::move(response), caller, std::move(done));
      });
}

void Outcomes::RerateThenAnswer(std::string initiative, v1::UpsertOutcomeResponse response,
                                std::thread::id caller, UpsertDone done) {
  // The re-rating and the answer after it, under the write's origin (its record is audited
  // under the caller's name) wherever they run.
  struct Rerating {
    std::string initiative;
    v1::UpsertOutcomeResponse response;
    UpsertDone done;
    std::optional<store::WriteOrigin> origin;
  };
  auto rerating = std::make_shared<Rerating>(
      Rerating{std::move(initiative), std::move(response), std::move(done), std::nullopt});
  if (const store::WriteOrigin* origin = store::CurrentWriteOrigin(); origin != nullptr)
    rerating->origin = *origin;
  auto rerate_then_answer = [&triggers = *triggers_, rerating] {
    std::optional<store::ScopedWriteOrigin> scope;
    if (rerating->origin.has_value()) scope.emplace(*rerating->origin);
    triggers.InitiativeChanged(rerating->initiative, kTriggerOutcome);
    rerating->done(std::move(rerating->response));
  };
  if (std::this_thread::get_id() == caller) {
    rerate_then_answer();
    return;
  }
  // Else this is the thread that told the commit, the store's writer, which must not
  // evaluate: every write queued behind this one would wait for the plugin.
  absl::Status queued = rerating_.TrySubmit(rerate_then_answer);
  if (queued.ok()) return;
  // The write has committed, so the caller must not be told it failed; the writer's thread
  // re-rates in the executor's place, which slows the writes behind it while the server is
  // overloaded or stopping instead of leaving the initiative's rating behind its write.
  log::Warning("re-rating ", rerating->initiative,
               " on the store's writer thread: ", queued.message());
  rerate_then_answer();
}

absl::StatusOr<v1::UpsertOutcomeResponse> Outcomes::Upsert(
    const v1::UpsertOutcomeRequest& request) {
  Mutex mu;
  CondVar answered;
  std::optional<absl::StatusOr<v1::UpsertOutcomeResponse>> answer;
  Upsert(request, [&](absl::StatusOr<v1::UpsertOutcomeResponse> response) {
    MutexLock lock(&mu);
    answer = std::move(response);
    answered.Signal();
  });
  MutexLock lock(&mu);
  while (!answer.has_value()) answered.Wait(&mu);
  return *std::move(answer);
}

absl::StatusOr<v1::ListOutcomesResponse> Outcomes::List(const v1::ListOutcomesRequest& request) {
  absl::StatusOr<InitiativeName> parent =
      ParseInitiativeName(request.parent(), "parent", /*allow_wildcard=*/true);
  if (!parent.ok()) return parent.status();
  FieldViolations violations;
  ValidateFiscalYearFilter(request.fiscal_year(), "fiscal_year", &violations);
  if (!violations.empty()) return violations.ToStatus();
  // An unknown initiative (or plan, for "-") is NOT_FOUND rather than an empty list.
  if (parent->initiative == "-") {
    absl::StatusOr<v1::Plan> plan = store_.GetPlan(parent->PlanName());
    if (!plan.ok()) return plan.status();
  } else {
    absl::StatusOr<v1::Initiative> initiative = store_.GetInitiative(request.parent());
    if (!initiative.ok()) return initiative.status();
  }

  const std::string query =
      absl::StrCat("outcomes\n", request.parent(), "\n", request.fiscal_year());
  absl::StatusOr<store::Page> page =
      PageFromRequest(request.page_size(), request.page_token(), query);
  if (!page.ok()) return page.status();
  absl::StatusOr<store::ListResult<v1::Outcome>> result =
      store_.ListOutcomes(request.parent(), YearFilter(request.fiscal_year()), *page);
  if (!result.ok()) return result.status();
  v1::ListOutcomesResponse response;
  for (v1::Outcome& outcome : result->items) *response.add_outcomes() = std::move(outcome);
  response.set_next_page_token(
      NextPageToken(*page, response.outcomes_size(), result->total, query));
  response.set_total_size(TotalSize(result->total));
  return response;
}

absl::StatusOr<v1::DeleteOutcomeResponse> Outcomes::Delete(
    const v1::DeleteOutcomeRequest& request) {
  absl::StatusOr<OutcomeName> name = ParseOutcomeName(request.name(), "name");
  if (!name.ok()) return name.status();
  const std::string initiative = name->initiative.Format();
  std::optional<store::RatingAfterWrite> rating;
  if (triggers_ != nullptr) {
    rating = triggers_->RatingBeforeWrite(initiative, kTriggerOutcome, [&](PlanRecords* records) {
      RemoveOutcome(request.name(), records);
    });
  }
  if (absl::Status deleted =
          store_.DeleteOutcome(request.name(), request.etag(), rating ? &*rating : nullptr);
      !deleted.ok()) {
    return deleted;
  }
  if (triggers_ != nullptr) triggers_->InitiativeWritten(initiative, kTriggerOutcome, rating);
  return v1::DeleteOutcomeResponse();
}

}  // namespace torikumi::domain
