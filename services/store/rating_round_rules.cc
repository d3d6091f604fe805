#include "services/store/rating_round_rules.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/resource_name.h"
#include "services/common/timestamp.h"
#include "services/store/store_rules.h"

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

namespace {

// The round named `name` as `steps` load it, for a change: ABORTED when `expected_etag` is
// not empty and stale.
absl::StatusOr<v1::RatingRound> LoadToChange(const RoundWriteSteps& steps, absl::string_view name,
                                             absl::string_view expected_etag) {
  absl::StatusOr<v1::RatingRound> round = steps.load(name);
  if (!round.ok()) return round.status();
  if (absl::Status s = CheckEtag(RoundWhat(name), round->etag(), expected_etag); !s.ok()) return s;
  return round;
}

absl::StatusOr<v1::RatingRound> Review(const RoundReview& review, const RoundWriteSteps& steps) {
  absl::StatusOr<v1::RatingRound> round = LoadToChange(steps, review.round, review.expected_etag);
  if (!round.ok()) return round.status();
  if (round->state() != v1::RatingRound::STATE_OPEN) return RefuseClosed(review.round, steps.plan);
  absl::StatusOr<v1::RatingRoundEntry*> entry = EntryOf(*round, review.initiative);
  if (!entry.ok()) return entry.status();
  if (absl::Status s = Decide(review, steps.now, *entry); !s.ok()) return s;
  if (absl::Status s = steps.write_rating(review.round, **entry); !s.ok()) return s;
  return steps.store(*std::move(round));
}

absl::StatusOr<v1::RatingRound> Move(const RoundTransition& transition,
                                     const RoundWriteSteps& steps) {
  absl::StatusOr<v1::RatingRound> round =
      LoadToChange(steps, transition.round, transition.expected_etag);
  if (!round.ok()) return round.status();
  absl::StatusOr<std::string> newest = steps.newest_round();
  if (!newest.ok()) return newest.status();
  if (absl::Status s = CheckTransition(*round, transition.state, *newest); !s.ok()) return s;
  round->set_state(transition.state);
  *round->add_transitions() =
      MakeTransition(transition.state, transition.actor, transition.reason, steps.now);
  return steps.store(*std::move(round));
}

// Runs `change` of a round of `plan` in one `write`; the round as stored.
absl::StatusOr<v1::RatingRound> WriteChange(
    absl::string_view plan, RoundWriter write,
    absl::FunctionRef<absl::StatusOr<v1::RatingRound>(const RoundWriteSteps&)> change) {
  v1::RatingRound stored;
  absl::Status status = write(plan, [&](const RoundWriteSteps& steps) -> absl::Status {
    absl::StatusOr<v1::RatingRound> changed = change(steps);
    if (!changed.ok()) return changed.status();
    stored = *std::move(changed);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

}  // namespace

absl::StatusOr<v1::RatingRound> ReviewRound(const RoundReview& review, RoundWriter write) {
  absl::StatusOr<RatingRoundName> parsed = ParseRatingRoundName(review.round, "name");
  if (!parsed.ok()) return parsed.status();
  if (auto name = ParseInitiativeName(review.initiative, "initiative"); !name.ok()) {
    return name.status();
  }
  return WriteChange(parsed->plan.Format(), write,
                     [&](const RoundWriteSteps& steps) { return Review(review, steps); });
}

absl::StatusOr<v1::RatingRound> MoveRound(const RoundTransition& transition, RoundWriter write) {
  absl::StatusOr<RatingRoundName> parsed = ParseRatingRoundName(transition.round, "name");
  if (!parsed.ok()) return parsed.status();
  return WriteChange(parsed->plan.Format(), write,
                     [&](const RoundWriteSteps& steps) { return Move(transition, steps); });
}

}  // namespace torikumi::store::rules
