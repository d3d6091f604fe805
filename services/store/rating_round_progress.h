// The progress of a rating round, derived from its entries. Every backend stores it with the
// round so that a Get, a List and the change feed carry it without recounting.
#pragma once

#include <string>

#include "torikumi/v1/rating_round_service.pb.h"

namespace torikumi::store {

inline void CountEntry(const v1::RatingRoundEntry& entry, v1::RatingRoundProgress* progress) {
  progress->set_total(progress->total() + 1);
  if (entry.decision() == v1::RatingRoundEntry::DECISION_UNSPECIFIED) return;
  progress->set_reviewed(progress->reviewed() + 1);
  if (entry.decision() == v1::RatingRoundEntry::DECISION_ACCEPTED) {
    progress->set_accepted(progress->accepted() + 1);
  } else {
    progress->set_overridden(progress->overridden() + 1);
  }
}

// Sets round.progress and round.area_progress (areas in the order their entries come, which
// is the plan's area order).
inline void FillRoundProgress(v1::RatingRound* round) {
  round->clear_progress();
  round->clear_area_progress();
  for (const v1::RatingRoundEntry& entry : round->entries()) {
    CountEntry(entry, round->mutable_progress());
    v1::RatingRoundProgress* area = nullptr;
    for (v1::RatingRoundProgress& existing : *round->mutable_area_progress()) {
      if (existing.area() == entry.area()) area = &existing;
    }
    if (area == nullptr) {
      area = round->add_area_progress();
      area->set_area(entry.area());
    }
    CountEntry(entry, area);
  }
}

}  // namespace torikumi::store
