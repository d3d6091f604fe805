// Domain logic for outcomes: fiscal year within the plan's period, metrics, status, then the store.
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "services/store/store.h"
#include "torikumi/v1/outcome_service.pb.h"

namespace torikumi::domain {

class Outcomes {
 public:
  explicit Outcomes(store::Store& store) : store_(store) {}

  absl::StatusOr<v1::UpsertOutcomeResponse> Upsert(const v1::UpsertOutcomeRequest& request);
  absl::StatusOr<v1::ListOutcomesResponse> List(const v1::ListOutcomesRequest& request);
  absl::StatusOr<v1::DeleteOutcomeResponse> Delete(const v1::DeleteOutcomeRequest& request);

  // Called with the initiative's name after every successful Upsert (the server re-rates the
  // initiative there). It must not fail the upsert: it reports its own errors.
  void set_after_upsert(std::function<void(const std::string& initiative)> hook) { after_upsert_ = std::move(hook); }

 private:
  store::Store& store_;
  std::function<void(const std::string&)> after_upsert_;
};

}  // namespace torikumi::domain
