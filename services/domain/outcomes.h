// Domain logic for outcomes: fiscal year within the plan's period, metrics, status, then the store.
#pragma once

#include <optional>
#include <string>
#include <thread>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "services/common/bounded_executor.h"
#include "services/domain/rating_triggers.h"
#include "services/store/store.h"
#include "torikumi/v1/outcome_service.pb.h"

namespace torikumi::domain {

class Outcomes {
 public:
  // `rerating` runs the re-ratings that a write's commit leaves to do (see Upsert), so that
  // the store's single writer, which tells the commit, never evaluates.
  Outcomes(store::Store& store, BoundedExecutor& rerating) : store_(store), rerating_(rerating) {}

  using UpsertDone = absl::AnyInvocable<void(absl::StatusOr<v1::UpsertOutcomeResponse>)>;
  // Checks the request and computes the rating the outcome leads to on this thread, then
  // hands the write to the store without waiting for its commit: `done` gets the answer once
  // the write is durable, possibly on the store's writer thread after this has returned.
  // When that rating no longer held at the commit (another write to the initiative, or a new
  // version of its rule set, came between), `done` gets the answer only once the initiative
  // has been re-rated (Ratings::RerateInitiative), which runs on `rerating` while the writer
  // goes on. When `rerating` refuses the work, `done` gets its refusal's code and a message
  // saying that the outcome was written and its initiative not re-rated.
  void Upsert(const v1::UpsertOutcomeRequest& request, UpsertDone done);
  // The same, waiting for the answer: not on a thread of `rerating`, which it may wait for.
  absl::StatusOr<v1::UpsertOutcomeResponse> Upsert(const v1::UpsertOutcomeRequest& request);
  absl::StatusOr<v1::ListOutcomesResponse> List(const v1::ListOutcomesRequest& request);
  absl::StatusOr<v1::DeleteOutcomeResponse> Delete(const v1::DeleteOutcomeRequest& request);

  // Told after every write that changes what a computed rating depends on; none by default.
  void set_rating_triggers(RatingTriggers* triggers) { triggers_ = triggers; }

 private:
  // An outcome checked against its plan, with the rating it leads to.
  struct CheckedUpsert {
    v1::Outcome outcome;
    std::optional<store::RatingAfterWrite> rating;
  };
  absl::StatusOr<CheckedUpsert> Check(const v1::UpsertOutcomeRequest& request);
  // Re-rates `initiative` after its write, then answers `done` with `response`: on this
  // thread when it is `caller` (the store told the commit before UpsertOutcomeThen returned),
  // else on `rerating_`.
  void RerateThenAnswer(std::string initiative, v1::UpsertOutcomeResponse response,
                        std::thread::id caller, UpsertDone done);

  store::Store& store_;
  BoundedExecutor& rerating_;
  RatingTriggers* triggers_ = nullptr;
};

}  // namespace torikumi::domain
