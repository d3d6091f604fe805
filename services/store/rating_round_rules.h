// The rules of rating rounds that are not SQL, shared by every backend: the messages, the
// entries a round opens with, a review's decision and which state changes are allowed.
#pragma once

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/store/store.h"
#include "torikumi/v1/rating_round_service.pb.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::store::rules {

// "rating round '<name>'", for messages.
std::string RoundWhat(absl::string_view name);

// FAILED_PRECONDITION: the grades of `plan` are read-only while `round` is closed.
absl::Status RefuseClosed(absl::string_view round, absl::string_view plan);

// A human rating changes when it appears, goes or differs in any field (`current` is nullptr
// for a create).
bool HumanRatingChanges(const v1::Initiative* current, const v1::Initiative& initiative);

// The entry a round opens with for `initiative`, proposing `rating` (found under `link`).
v1::RatingRoundEntry ProposedEntry(const v1::Initiative& initiative, absl::string_view link,
                                   const v1::ComputedRating& rating);
// FAILED_PRECONDITION: `initiative` has no computed rating a round could propose.
absl::Status NothingToPropose(absl::string_view initiative);

v1::RatingRoundTransition MakeTransition(v1::RatingRound::State state, absl::string_view actor,
                                         absl::string_view reason, absl::Time now);

// The entry of `initiative` in `round`; NOT_FOUND when the round has none.
absl::StatusOr<v1::RatingRoundEntry*> EntryOf(v1::RatingRound& round, absl::string_view initiative);

// Fills the entry's decision from `review`; FAILED_PRECONDITION for an accept of an entry
// that proposes no grade.
absl::Status Decide(const RoundReview& review, absl::Time now, v1::RatingRoundEntry* entry);

// The initiative as rated by the reviewed `entry` of `round`.
v1::Initiative RatedByRound(v1::Initiative initiative, absl::string_view round,
                            const v1::RatingRoundEntry& entry);

// Why `round` may not move to `state`, given the name of the plan's newest round; OK when
// it may.
absl::Status CheckTransition(const v1::RatingRound& round, v1::RatingRound::State state,
                             absl::string_view newest_round);

// What a backend does, inside a write's transaction, to change one of `plan`'s rounds at
// `now`: the SQL of a change, around which ReviewRound and MoveRound decide the same way on
// every backend.
struct RoundWriteSteps {
  absl::string_view plan;
  absl::Time now;
  // The round; NOT_FOUND when there is none.
  absl::FunctionRef<absl::StatusOr<v1::RatingRound>(absl::string_view round)> load;
  // The name of the plan's newest round; "" when it has none.
  absl::FunctionRef<absl::StatusOr<std::string>()> newest_round;
  // Writes the reviewed `entry` as its initiative's human rating, linked to `round`.
  absl::FunctionRef<absl::Status(absl::string_view round, const v1::RatingRoundEntry& entry)>
      write_rating;
  // Stamps the changed round (progress, update time, etag), replaces its row, records the
  // change and returns the round as stored.
  absl::FunctionRef<absl::StatusOr<v1::RatingRound>(v1::RatingRound round)> store;
};
// One change of a round, made with a backend's steps.
using RoundChange = absl::FunctionRef<absl::Status(const RoundWriteSteps&)>;
// A backend's write transaction: runs `change` with its steps for the rounds of `plan`,
// committed when it returns OK, undone otherwise.
using RoundWriter = absl::FunctionRef<absl::Status(absl::string_view plan, RoundChange change)>;

// Store::ReviewRatingRound: checks the names, then in one `write` loads the round (ABORTED
// for a stale etag), refuses a closed one, decides the entry, rates its initiative and stores
// the round.
absl::StatusOr<v1::RatingRound> ReviewRound(const RoundReview& review, RoundWriter write);

// Store::SetRatingRoundState: checks the name, then in one `write` loads the round (ABORTED
// for a stale etag), checks the transition against the plan's newest round, records it and
// stores the round.
absl::StatusOr<v1::RatingRound> MoveRound(const RoundTransition& transition, RoundWriter write);

}  // namespace torikumi::store::rules
