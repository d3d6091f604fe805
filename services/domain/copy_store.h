// Moving a city's data from one Store to another (torikumi-server --migrate_from: a SQLite
// file into PostgreSQL) through the Store interface alone, so any two backends work.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "services/store/store.h"

namespace torikumi::domain {

struct CopyCounts {
  int64_t organizations = 0;
  int64_t rule_set_versions = 0;
  int64_t plans = 0;
  int64_t initiatives = 0;
  int64_t outcomes = 0;
  int64_t ratings = 0;
  int64_t rating_rounds = 0;
  int64_t subscriptions = 0;
  int64_t tokens = 0;
  int64_t audit_events = 0;
};

// Copies the audit log (its events under their names and times, before anything else, so
// the events of the move's own writes, by "system", follow them), every organization, rule
// set version, plan with its initiatives (their human ratings and re-listing links included)
// and outcomes, the whole history of computed ratings, the rating rounds with their reviews
// and state, the API tokens (role, expiry, creator and create_time, with the hash of their
// secret: a token authenticates as before; a revoked one was deleted and stays gone) and the
// webhook subscriptions of `from` into `to`, which must hold no organization, server admin
// token or audit event yet (FAILED_PRECONDITION). A plan's records land in one transaction,
// then its ratings, then its rounds. The target gives resources new times and etags (and
// computed ratings new ids, which the rounds' entries are linked to); not copied: the change
// feed: the target's starts after the source's newest change, with everything before pruned,
// so a watcher resuming from a cursor of the source is told to list again.
absl::StatusOr<CopyCounts> CopyStore(store::Store& from, store::Store& to);

}  // namespace torikumi::domain
