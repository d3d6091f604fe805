// The year-end rating round in the browser: a plan's rounds with the form that opens one, and
// one round's page: its state and progress (overall and by area), the next initiative not
// reviewed yet with its proposed computed grade and reason, the forms that accept or
// override it, close or reopen the round, and every entry's review.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "torikumi/v1/rating_round_service.pb.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::server::web {

// What a round's page shows.
struct RoundView {
  v1::Plan plan;
  v1::RatingRound round;
  // The next entry not reviewed yet (of `area` when given) and that part's progress.
  v1::NextRatingRoundEntryResponse next;
  // The area the next entry is taken from; "" for any.
  std::string area;
};

// What the caller posted and why the API refused it, shown again on the page so that a
// typed reason is not lost.
struct RoundForm {
  std::string grade;
  std::string reason;
  // The API's error message; "" when nothing was refused.
  std::string error;
};

// The web path of a plan's rounds: /web/organizations/o/plans/p/ratingRounds.
std::string RoundsPath(absl::string_view plan_name);

// The plan's rounds, newest last, and the form that opens the round of a fiscal year.
std::string RenderRoundList(const v1::Plan& plan, const std::vector<v1::RatingRound>& rounds,
                            const RoundForm& form);

// "令和4年度の年度末評価".
std::string RoundTitle(const v1::RatingRound& round);

// One round's page.
std::string RenderRound(const RoundView& view, const RoundForm& form);

}  // namespace torikumi::server::web
