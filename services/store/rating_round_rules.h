// The rules of rating rounds that are not SQL, shared by every backend: the messages, the
// entries a round opens with, a review's decision and which state changes are allowed.
#pragma once

#include <string>

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

}  // namespace torikumi::store::rules
