// The ratings side of the server: the evaluator plugin host, rule sets, computed
// ratings, background re-rating jobs, and their gRPC handlers (RuleSetService,
// RatingService). Owned by Server when ratings are enabled (Server::EnableRatings).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/domain/auto_rerate.h"
#include "services/domain/rating_jobs.h"
#include "services/domain/rating_rounds.h"
#include "services/domain/ratings.h"
#include "services/domain/rule_sets.h"
#include "services/evaluators/evaluator_host.h"
#include "services/server/rating_handler.h"
#include "services/server/rating_round_handler.h"
#include "services/server/rule_set_handler.h"
#include "services/store/store.h"

namespace torikumi::server {

// Declared in this order so that the jobs (whose worker calls `ratings`) and the handlers
// go before what they use.
struct RatingServices {
  RatingServices(const auth::Gate& gate, store::Store& store,
                 evaluators::EvaluatorHost::Options host_options, BoundedExecutor& executor,
                 absl::Duration job_lease, int evaluate_batch)
      : host(std::move(host_options)),
        rule_sets(store, host),
        ratings(store, host, evaluate_batch),
        jobs(ratings, store, {.record_changes = true, .lease = job_lease}),
        triggers(ratings, jobs),
        rating_rounds(store, ratings),
        rule_set_handler(gate, rule_sets),
        rating_handler(gate, host, ratings, jobs, executor),
        rating_round_handler(gate, rating_rounds, executor) {}

  // Reloads the plugins directory and starts the re-rating job (SIGHUP, ReloadEvaluators).
  absl::StatusOr<v1::ReloadEvaluatorsResponse> Reload();

  evaluators::EvaluatorHost host;
  domain::RuleSets rule_sets;
  domain::Ratings ratings;
  domain::RatingJobs jobs;
  // What the domain classes tell after a write that changes a rating (set by Server).
  domain::AutoRerate triggers;
  // Year-end rating rounds: opening one rates what has no computed rating yet.
  domain::RatingRounds rating_rounds;
  RuleSetHandler rule_set_handler;
  RatingHandler rating_handler;
  RatingRoundHandler rating_round_handler;
};

}  // namespace torikumi::server
