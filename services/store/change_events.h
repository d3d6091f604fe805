// The change-feed events each kind of store write makes, built the same way by every
// backend; the backend files them (in the write's transaction) under rules::ScopeOf(name).
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "torikumi/v1/change_service.pb.h"
#include "torikumi/v1/rating_round_service.pb.h"
#include "torikumi/v1/rating_service.pb.h"
#include "torikumi/v1/resources.pb.h"
#include "torikumi/v1/rule_set_service.pb.h"

namespace torikumi::store::events {

v1::ChangeEvent Deletion(v1::ResourceKind kind, absl::string_view name);
v1::ChangeEvent PlanWritten(v1::ChangeType type, const v1::Plan& plan);
v1::ChangeEvent OutcomeWritten(v1::ChangeType type, const v1::Outcome& outcome);
// Always CREATED: both are append-only.
v1::ChangeEvent RatingRecorded(const v1::ComputedRating& rating);
v1::ChangeEvent RuleSetCreated(const v1::RuleSet& rule_set);
v1::ChangeEvent RatingRoundWritten(v1::ChangeType type, const v1::RatingRound& round);
// An initiative written (`before` is nullptr when it was created), followed by its human
// rating's event when that was set, changed or cleared.
std::vector<v1::ChangeEvent> InitiativeWritten(const v1::Initiative* before,
                                               const v1::Initiative& after);

}  // namespace torikumi::store::events
