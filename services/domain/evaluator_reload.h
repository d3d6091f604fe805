// The evaluator plugins as the API shows them, and reloading them: a reload (SIGHUP or
// ReloadEvaluators) replaces the plugins and re-rates every plan that names a rule set in
// the background, since any of its ratings may now come out differently.
#pragma once

#include "absl/status/statusor.h"
#include "services/domain/rating_jobs.h"
#include "services/domain/ratings.h"
#include "services/evaluators/evaluator_host.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::domain {

// The loaded evaluators, and the files the last (re)load refused.
v1::ListEvaluatorsResponse ListEvaluators(const evaluators::EvaluatorHost& host);

// Reloads the host's plugins directory and starts the re-rating job (none when no plan
// names a rule set).
absl::StatusOr<v1::ReloadEvaluatorsResponse> ReloadAndRerate(evaluators::EvaluatorHost& host,
                                                             Ratings& ratings, RatingJobs& jobs);

}  // namespace torikumi::domain
