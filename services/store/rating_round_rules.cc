#include "services/store/rating_round_rules.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/timestamp.h"

namespace torikumi::store::rules {

std::string RoundWhat(absl::string_view name) { return absl::StrCat("rating round '", name, "'"); }

absl::Status RefuseClosed(absl::string_view round, absl::string_view plan) {
  return absl::FailedPreconditionError(
      absl::StrCat(RoundWhat(round), " is closed: the grades of plan '", plan,
                   "' are read-only; reopen the round with a reason to change them"));
}

bool HumanRatingChanges(const v1::Initiative* current, const v1::Initiative& initiative) {
  const bool had = current != nullptr && current->has_human_rating();
  if (had != initiative.has_human_rating()) return true;
  return had && !google::protobuf::util::MessageDifferencer::Equals(current->human_rating(),
                                                                    initiative.human_rating());
}

v1::RatingRoundEntry ProposedEntry(const v1::Initiative& initiative, absl::string_view link,
                                   const v1::ComputedRating& rating) {
  v1::RatingRoundEntry entry;
  entry.set_initiative(initiative.name());
  entry.set_area(initiative.area());
  entry.set_number(initiative.number());
  entry.set_title(initiative.title());
  entry.set_computed_rating(std::string(link));
  entry.set_proposed_grade(rating.grade());
  entry.set_proposed_reason(rating.reason());
  return entry;
}

absl::Status NothingToPropose(absl::string_view initiative) {
  return absl::FailedPreconditionError(absl::StrCat(
      "initiative '", initiative, "' has no computed rating to propose; evaluate the plan first"));
}

v1::RatingRoundTransition MakeTransition(v1::RatingRound::State state, absl::string_view actor,
                                         absl::string_view reason, absl::Time now) {
  v1::RatingRoundTransition transition;
  transition.set_state(state);
  transition.set_actor(std::string(actor));
  transition.set_reason(std::string(reason));
  *transition.mutable_time() = ToTimestamp(now);
  return transition;
}

absl::StatusOr<v1::RatingRoundEntry*> EntryOf(v1::RatingRound& round,
                                              absl::string_view initiative) {
  for (v1::RatingRoundEntry& entry : *round.mutable_entries()) {
    if (entry.initiative() == initiative) return &entry;
  }
  return absl::NotFoundError(
      absl::StrCat("initiative '", initiative, "' is not in ", RoundWhat(round.name())));
}

absl::Status Decide(const RoundReview& review, absl::Time now, v1::RatingRoundEntry* entry) {
  const bool accept = review.decision == v1::RatingRoundEntry::DECISION_ACCEPTED;
  if (accept && entry->proposed_grade().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("initiative '", entry->initiative(),
                     "' has no computed grade to accept (insufficient data); override it"));
  }
  entry->set_decision(review.decision);
  entry->set_grade(accept ? entry->proposed_grade() : review.grade);
  entry->set_reviewer(review.reviewer);
  entry->set_reason(review.reason);
  *entry->mutable_review_time() = ToTimestamp(now);
  return absl::OkStatus();
}

v1::Initiative RatedByRound(v1::Initiative initiative, absl::string_view round,
                            const v1::RatingRoundEntry& entry) {
  v1::HumanRating* rating = initiative.mutable_human_rating();
  rating->Clear();
  rating->set_grade(entry.grade());
  rating->set_rater(entry.reviewer());
  rating->set_reason(entry.reason());
  *rating->mutable_rate_time() = entry.review_time();
  rating->set_rating_round(std::string(round));
  if (entry.decision() == v1::RatingRoundEntry::DECISION_ACCEPTED) {
    rating->set_computed_rating(entry.computed_rating());
  }
  return initiative;
}

absl::Status CheckTransition(const v1::RatingRound& round, v1::RatingRound::State state,
                             absl::string_view newest_round) {
  if (state == v1::RatingRound::STATE_CLOSED) {
    if (round.state() != v1::RatingRound::STATE_OPEN) {
      return absl::FailedPreconditionError(
          absl::StrCat(RoundWhat(round.name()), " is already closed"));
    }
    if (round.progress().reviewed() < round.progress().total()) {
      return absl::FailedPreconditionError(absl::StrCat(
          RoundWhat(round.name()), " has ", round.progress().reviewed(), " of ",
          round.progress().total(), " entries reviewed; review the rest before closing it"));
    }
    return absl::OkStatus();
  }
  if (round.state() != v1::RatingRound::STATE_CLOSED) {
    return absl::FailedPreconditionError(absl::StrCat(RoundWhat(round.name()), " is not closed"));
  }
  if (!newest_round.empty() && newest_round != round.name()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "only the plan's newest round can be reopened, and that is '", newest_round, "'"));
  }
  return absl::OkStatus();
}

}  // namespace torikumi::store::rules
