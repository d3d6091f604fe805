// The storage boundary of torikumi. The domain layer validates and decides; a Store keeps
// resources durable and consistent. Every method is one transaction: it happens whole or
// not at all. Implementations: SQLite (embedded default); a second backend must pass the
// conformance suite in tests/store/.
//
// Resources cross this boundary as the generated torikumi.v1 messages (no gRPC types).
// The store owns create_time, update_time and etag: it sets them on every write and
// ignores what the caller put there.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/store/changes.h"
#include "torikumi/v1/audit_service.pb.h"
#include "torikumi/v1/initiative_service.pb.h"
#include "torikumi/v1/rating_round_service.pb.h"
#include "torikumi/v1/rating_service.pb.h"
#include "torikumi/v1/resources.pb.h"
#include "torikumi/v1/rule_set_service.pb.h"
#include "torikumi/v1/subscription_service.pb.h"
#include "torikumi/v1/token_service.pb.h"

namespace torikumi::store {

// A window of a stable ordering.
struct Page {
  int64_t offset = 0;
  int32_t limit = 50;
};

template <typename T>
struct ListResult {
  std::vector<T> items;
  // How many match in all, ignoring the page.
  int64_t total = 0;
};

struct UpsertResult {
  v1::Outcome outcome;
  bool created = false;
};

// An initiative by its place in a plan: area and number are unique within a plan. Areas (and
// themes, in filters) match by their NFKC form: ＯＪＴ研修 and OJT研修 are one area.
struct InitiativeKey {
  std::string area;
  int32_t number = 0;
};

// One initiative of a PlanImport with its outcomes.
struct InitiativeImport {
  // Every field but name, relists, create_time, update_time and etag is stored.
  v1::Initiative initiative;
  // The id the initiative gets when the plan has none with its area and number yet.
  std::string new_id;
  // Each replaces the outcome of its fiscal_year (0: the whole period); names are ignored.
  std::vector<v1::Outcome> outcomes;
  // （再掲）: the initiative of the same plan this one lists again; none when area is empty.
  InitiativeKey relists;
};

// A whole plan to write at once, as a table import does.
struct PlanImport {
  // plan.name is the plan written; create_time, update_time and etag are ignored.
  v1::Plan plan;
  // true: the plan must not exist yet (ALREADY_EXISTS); false: it must exist (NOT_FOUND) and
  // its fields are replaced (its name and create_time stay).
  bool create_plan = true;
  // For an existing plan: ABORTED unless empty or equal to the stored etag.
  std::string expected_plan_etag;
  // No two with the same area and number.
  std::vector<InitiativeImport> initiatives;
};

struct ImportResult {
  v1::Plan plan;
  bool plan_created = false;
  int32_t initiatives_created = 0;
  int32_t initiatives_updated = 0;
  int32_t outcomes_written = 0;
  // The stored names of PlanImport.initiatives, in the same order.
  std::vector<std::string> initiative_names;
};

// Which audit events to list; empty fields match everything.
struct AuditQuery {
  std::string organization;  // "organizations/{o}"
  std::string resource;      // this name or below it
  std::string principal;
  absl::Time start_time = absl::InfinitePast();  // at or after
  absl::Time end_time = absl::InfiniteFuture();  // before
};

// What the ratings of a plan are computed from, read in one snapshot.
struct PlanInputs {
  v1::Plan plan;
  // In ListInitiatives order: every initiative of the plan, or only the one asked for.
  std::vector<v1::Initiative> initiatives;
  // The outcomes of those initiatives, in ListOutcomes order.
  std::vector<v1::Outcome> outcomes;
  // The latest as_of any outcome of the whole plan carries; unset (year 0) when none does.
  v1::Date latest_as_of;
  // The change feed's newest sequence as the snapshot saw it (LastChange): every change after
  // it was committed after the snapshot was taken.
  int64_t last_change = 0;
};

// A review of one entry of a rating round (ReviewRatingRound).
struct RoundReview {
  // organizations/{o}/plans/{p}/ratingRounds/{fiscal_year}
  std::string round;
  std::string initiative;
  // ACCEPTED takes the entry's proposed grade; OVERRIDDEN takes `grade`.
  v1::RatingRoundEntry::Decision decision = v1::RatingRoundEntry::DECISION_UNSPECIFIED;
  std::string grade;
  std::string reviewer;
  std::string reason;
  // The round's; empty: not checked.
  std::string expected_etag;
};

// A close or reopen of a rating round (SetRatingRoundState).
struct RoundTransition {
  std::string round;
  // CLOSED closes an open round; OPEN reopens a closed one.
  v1::RatingRound::State state = v1::RatingRound::STATE_UNSPECIFIED;
  std::string actor;
  std::string reason;
  std::string expected_etag;
};

// A computed rating of one initiative that a write to that initiative records in its own
// transaction, so that the write and the re-rating it causes cost one commit. The caller
// computes it before the write, from a snapshot with the write's change applied; the store
// records it only when, inside the write's transaction and after the write, `holds` says the
// initiative's inputs are still the ones it was computed from. Otherwise (someone else wrote
// them in between) the write lands without it and `recorded` stays false.
struct RatingAfterWrite {
  // rating.initiative names the initiative written.
  v1::ComputedRating rating;
  // Called inside the write's transaction with ReadPlanInputs(its plan, rating.initiative)
  // as the transaction sees them after the write, and the latest version of
  // rating.rule_set (0 when there is none). The single writer waits for it: it must be quick.
  std::function<bool(const PlanInputs& inputs, int32_t latest_rule_set_version)> holds;
  // Set by the store when the write succeeded: whether the rating was recorded with it.
  bool recorded = false;
};

// The ratings of a whole-plan evaluation, computed from one snapshot of the plan's inputs
// (ReadPlanInputs), which the store records in one write only where they still hold there: a
// write that committed after the snapshot may have changed what one of them was computed
// from (and recorded a rating of its own), and a rating from the older inputs must not be
// recorded over it. Only the initiatives such a write concerns are read again, found in the
// change feed after the snapshot's sequence, so the check costs little when nothing changed.
struct PlanRatings {
  // organizations/{o}/plans/{p}; every rating is of one of its initiatives, all computed with
  // one rule set.
  std::string plan;
  std::vector<v1::ComputedRating> ratings;
  // PlanInputs::last_change of the snapshot the ratings were computed from.
  int64_t after_change = 0;
  // Called inside the write's transaction, once. `checked`: the initiatives of `ratings` that
  // a change committed after `after_change` concerns (a write or deletion of the initiative or
  // of one of its outcomes), or all of them when the plan itself changed; `now`: ReadPlanInputs
  // of the plan as the transaction sees it with only those initiatives (a deleted one is
  // absent); `latest_rule_set_version`: the latest version of the ratings' rule set (0 when
  // none). Returns for each rating whether it holds. The single writer waits for it: it is
  // quick when `checked` is small.
  std::function<std::vector<bool>(const std::set<std::string>& checked, const PlanInputs& now,
                                  int32_t latest_rule_set_version)>
      holds;
  // Set by the store when the write succeeded: whether ratings[i] was recorded.
  std::vector<bool> recorded;
};

// A background re-rating job as the store keeps it: the job as listed, and its work.
struct JobWork {
  v1::Job job;
  // The plans to re-rate, in order; job.done of them are done.
  std::vector<std::string> plans;
  // What made the job (kTriggerRuleSet, kTriggerReload), recorded with each rating.
  std::string trigger;
};

struct EnqueueJobResult {
  v1::Job job;
  // false: an identical job was pending already and is returned instead.
  bool created = false;
};

// An API token with the SHA-256 (hex) of its secret, as moving a database reads and writes it.
struct StoredToken {
  v1::Token token;
  std::string secret_sha256;
};

// Error conventions (absl codes):
//   NOT_FOUND          the named resource (or its parent) does not exist
//   ALREADY_EXISTS     the name is taken, or (plan, area, number) is taken by another initiative
//   ABORTED            expected_etag was given and does not match the stored etag
//   FAILED_PRECONDITION delete without force while children exist
//   INTERNAL/UNAVAILABLE the database failed; nothing was written
class Store {
 public:
  virtual ~Store() = default;

  // --- Organizations: organizations/{o}
  // `request_id`: when not empty and a create with the same id succeeded before, returns the
  // resource that create made (as it is now) and writes nothing.
  virtual absl::StatusOr<v1::Organization> CreateOrganization(const v1::Organization& organization,
                                                              absl::string_view request_id) = 0;
  virtual absl::StatusOr<v1::Organization> GetOrganization(absl::string_view name) = 0;
  // Ordered by name.
  virtual absl::StatusOr<ListResult<v1::Organization>> ListOrganizations(Page page) = 0;
  // Replaces the stored organization of organization.name.
  virtual absl::StatusOr<v1::Organization> UpdateOrganization(const v1::Organization& organization,
                                                              absl::string_view expected_etag) = 0;
  // force: also delete its plans with everything below them.
  virtual absl::Status DeleteOrganization(absl::string_view name, bool force,
                                          absl::string_view expected_etag) = 0;

  // --- Plans: organizations/{o}/plans/{p}
  virtual absl::StatusOr<v1::Plan> CreatePlan(const v1::Plan& plan,
                                              absl::string_view request_id) = 0;
  virtual absl::StatusOr<v1::Plan> GetPlan(absl::string_view name) = 0;
  // parent: "organizations/{o}", or "organizations/-" for all. title_contains: already NFKC
  // normalised, matched against the normalised title. Ordered by name.
  virtual absl::StatusOr<ListResult<v1::Plan>> ListPlans(absl::string_view parent,
                                                         absl::string_view title_contains,
                                                         Page page) = 0;
  virtual absl::StatusOr<v1::Plan> UpdatePlan(const v1::Plan& plan,
                                              absl::string_view expected_etag) = 0;
  // force: also delete its initiatives and outcomes; else FAILED_PRECONDITION if it has any.
  virtual absl::Status DeletePlan(absl::string_view name, bool force,
                                  absl::string_view expected_etag) = 0;

  // --- Initiatives: organizations/{o}/plans/{p}/initiatives/{i}
  virtual absl::StatusOr<v1::Initiative> CreateInitiative(const v1::Initiative& initiative,
                                                          absl::string_view request_id) = 0;
  // All or none, in the given order.
  virtual absl::StatusOr<std::vector<v1::Initiative>> BatchCreateInitiatives(
      const std::vector<v1::Initiative>& initiatives, absl::string_view request_id) = 0;
  virtual absl::StatusOr<v1::Initiative> GetInitiative(absl::string_view name) = 0;
  // parent: the plan. Ordered by the plan's area order (areas not in the plan last), then
  // number, then name. filter.text_contains is already NFKC normalised.
  virtual absl::StatusOr<ListResult<v1::Initiative>> ListInitiatives(
      absl::string_view parent, const v1::InitiativeFilter& filter, Page page) = 0;
  // FAILED_PRECONDITION naming the round when the human rating would change while the plan's
  // newest rating round is closed (so also for ImportPlan and for a created initiative).
  // rating: recorded with the update when it holds (RatingAfterWrite); may be null.
  virtual absl::StatusOr<v1::Initiative> UpdateInitiative(const v1::Initiative& initiative,
                                                          absl::string_view expected_etag,
                                                          RatingAfterWrite* rating = nullptr) = 0;
  // force: also delete its outcomes and clear links from initiatives that re-list it; else
  // FAILED_PRECONDITION if it has outcomes or is re-listed.
  virtual absl::Status DeleteInitiative(absl::string_view name, bool force,
                                        absl::string_view expected_etag) = 0;

  // --- Outcomes: .../initiatives/{i}/outcomes/{fyYYYY|period}
  // outcome.name is set by the caller. Creates or replaces it. rating: recorded with the
  // outcome when it holds (RatingAfterWrite); may be null.
  virtual absl::StatusOr<UpsertResult> UpsertOutcome(const v1::Outcome& outcome,
                                                     absl::string_view expected_etag,
                                                     RatingAfterWrite* rating = nullptr) = 0;
  using UpsertOutcomeDone = absl::AnyInvocable<void(absl::StatusOr<UpsertResult> result,
                                                    std::optional<RatingAfterWrite> rating)>;
  // UpsertOutcome without waiting for the commit: `done` gets its result and `rating` (its
  // `recorded` set) once the write is durable, possibly on another thread after this has
  // returned, where it must be quick: a backend's writer may wait for it. By default it runs
  // UpsertOutcome and calls `done` before returning.
  virtual void UpsertOutcomeThen(v1::Outcome outcome, std::string expected_etag,
                                 std::optional<RatingAfterWrite> rating, UpsertOutcomeDone done) {
    absl::StatusOr<UpsertResult> result =
        UpsertOutcome(outcome, expected_etag, rating ? &*rating : nullptr);
    done(std::move(result), std::move(rating));
  }
  // parent: an initiative, or ".../initiatives/-" for every initiative of the plan.
  // fiscal_year: only that year's outcome (0: only the whole-period one); nullopt: all.
  // Ordered like ListInitiatives, then fiscal year (period outcome first).
  virtual absl::StatusOr<ListResult<v1::Outcome>> ListOutcomes(absl::string_view parent,
                                                               std::optional<int> fiscal_year,
                                                               Page page) = 0;
  // rating: recorded with the deletion when it holds (RatingAfterWrite); may be null.
  virtual absl::Status DeleteOutcome(absl::string_view name, absl::string_view expected_etag,
                                     RatingAfterWrite* rating = nullptr) = 0;

  // --- Imports: a plan with its initiatives and outcomes in one transaction.
  // Creates the plan (or replaces the fields of the existing one, see create_plan); then, for
  // each initiative in order, updates in place the plan's initiative with the same area and
  // number (its name and create_time stay; initiatives the import does not list are left
  // alone) or creates one named ".../initiatives/{new_id}"; points each `relists` key at the
  // initiative of the plan with that area and number (after every item is written, so an
  // item may re-list a later one) and upserts every outcome. Lands whole or not at all.
  // Errors about one item start with "initiatives[i]: "; a duplicate (area, number) in the
  // import or a re-list key naming itself is INVALID_ARGUMENT, a key that names no
  // initiative of the plan NOT_FOUND.
  virtual absl::StatusOr<ImportResult> ImportPlan(const PlanImport& import) = 0;

  // --- The inputs of a plan's ratings in one read transaction.
  // initiative: "" for every initiative of the plan, else one of them (NOT_FOUND when the
  // plan has no such initiative). NOT_FOUND for a missing plan.
  virtual absl::StatusOr<PlanInputs> ReadPlanInputs(absl::string_view plan,
                                                    absl::string_view initiative) = 0;

  // --- Rule sets: organizations/{o}/ruleSets/{r}, immutable numbered versions.
  // Stores rule_set as the next version of rule_set.name (1 for a new name) and returns it
  // with version and create_time set. NOT_FOUND without the organization.
  virtual absl::StatusOr<v1::RuleSet> CreateRuleSetVersion(const v1::RuleSet& rule_set) = 0;
  // version 0: the latest version.
  virtual absl::StatusOr<v1::RuleSet> GetRuleSet(absl::string_view name, int32_t version) = 0;
  // parent: "organizations/{o}". Ordered by name, then version. all_versions false: only
  // the latest version of each rule set.
  virtual absl::StatusOr<ListResult<v1::RuleSet>> ListRuleSets(absl::string_view parent,
                                                               bool all_versions, Page page) = 0;

  // --- Computed ratings: an append-only history per initiative.
  // All or none; NOT_FOUND (prefixed "initiatives[i]: ") for an initiative that does not exist.
  virtual absl::Status RecordRatings(const std::vector<v1::ComputedRating>& ratings) = 0;
  // The ratings of `plan` (only `initiative`'s when not empty), ordered by initiative then
  // newest first; history false: only the newest of each initiative.
  // Records `rating` in a write of its own when it holds there (RatingAfterWrite: the
  // initiative's inputs and the rule set's latest version are what it was computed from);
  // sets rating->recorded. Nothing is written when it does not hold or the initiative is gone.
  virtual absl::Status RecordRatingIfHolds(RatingAfterWrite* rating) = 0;
  // Records, in one write, the ratings of `ratings` that hold there (PlanRatings) and sets
  // ratings->recorded; nothing else is written. INVALID_ARGUMENT naming
  // "ratings[i].initiative" for a rating that is not of an initiative of ratings->plan.
  virtual absl::Status RecordPlanRatingsWhereHold(PlanRatings* ratings) = 0;
  // The names (".../initiatives/{i}/computedRatings/{id}") of every computed rating of `plan`,
  // each initiative's newest first, as a rating round's entries link them.
  virtual absl::StatusOr<std::vector<std::string>> ListRatingNames(absl::string_view plan) = 0;
  virtual absl::StatusOr<ListResult<v1::ComputedRating>> ListRatings(absl::string_view plan,
                                                                     absl::string_view initiative,
                                                                     bool history, Page page) = 0;

  // Deletes the computed ratings recorded before `before` that a newer rating of the same
  // initiative superseded (the newest of each initiative stays, however old) and the request
  // ids recorded before it (a retry after that creates anew); returns how many rows.
  virtual absl::StatusOr<int64_t> PruneHistory(absl::Time before) = 0;

  // --- Rating rounds: organizations/{o}/plans/{p}/ratingRounds/{fiscal_year}
  // Opens the round `name` (created OPEN, opened by `actor`) with one entry per initiative of
  // the plan scheduled (any phase) in the round's fiscal year, in ListInitiatives order, each
  // proposing the initiative's
  // newest computed rating (named ".../initiatives/{i}/computedRatings/{id}"). NOT_FOUND
  // without the plan; ALREADY_EXISTS for a year that has a round; FAILED_PRECONDITION when
  // the plan has a round of a later year, or naming an initiative without a computed rating.
  virtual absl::StatusOr<v1::RatingRound> OpenRatingRound(absl::string_view name,
                                                          absl::string_view actor) = 0;
  virtual absl::StatusOr<v1::RatingRound> GetRatingRound(absl::string_view name) = 0;
  // Stores `round` with its entries, reviews, transitions and state as they are (a round read
  // from another database, for moving it); only its progress, times and etag are new.
  // NOT_FOUND without the plan; ALREADY_EXISTS for a year that has a round.
  virtual absl::StatusOr<v1::RatingRound> RestoreRatingRound(const v1::RatingRound& round) = 0;
  // parent: the plan. Ordered by fiscal year.
  virtual absl::StatusOr<ListResult<v1::RatingRound>> ListRatingRounds(absl::string_view parent,
                                                                       Page page) = 0;
  // Records the review of one entry and writes the initiative's human rating (grade, the
  // reviewer as rater, reason, the round and, for an accept, the computed rating) in one
  // transaction; returns the round. NOT_FOUND for a missing round or an initiative that is
  // not in it; FAILED_PRECONDITION when the round is closed, or for an accept of an entry
  // that proposes no grade (insufficient data).
  virtual absl::StatusOr<v1::RatingRound> ReviewRatingRound(const RoundReview& review) = 0;
  // Closes an open round whose every entry is reviewed, or reopens the plan's newest round
  // when it is closed; FAILED_PRECONDITION otherwise.
  virtual absl::StatusOr<v1::RatingRound> SetRatingRoundState(
      const RoundTransition& transition) = 0;

  // --- API tokens: organizations/{o}/tokens/{t}, and tokens/{t} for server admin tokens.
  // Stores `token` (named by the caller) with the SHA-256 (hex) of its secret. NOT_FOUND
  // without the organization, ALREADY_EXISTS for a taken name.
  virtual absl::StatusOr<v1::Token> CreateToken(const v1::Token& token,
                                                absl::string_view secret_sha256) = 0;
  // The token whose secret has this SHA-256; NOT_FOUND when there is none (any more).
  virtual absl::StatusOr<v1::Token> FindToken(absl::string_view secret_sha256) = 0;
  // parent: "organizations/{o}", or "" for the server admin tokens. Ordered by name.
  virtual absl::StatusOr<ListResult<v1::Token>> ListTokens(absl::string_view parent, Page page) = 0;
  virtual absl::Status DeleteToken(absl::string_view name) = 0;
  // Every token (server admin and organization tokens) with its secret's hash, ordered by
  // name: only for moving a database (RestoreToken), the one reader of a hash. A revoked
  // token is deleted, so it is not among them.
  virtual absl::StatusOr<std::vector<StoredToken>> ListStoredTokens() = 0;
  // Stores a token read from another database as it is (role, expiry, creator and
  // create_time kept) under the same hash; only its etag is new. NOT_FOUND without the
  // organization, ALREADY_EXISTS for a taken name or a hash another token has.
  virtual absl::StatusOr<v1::Token> RestoreToken(const StoredToken& token) = 0;

  // --- The audit log: every write transaction records what it changed (write_origin.h).
  // Newest first.
  virtual absl::StatusOr<ListResult<v1::AuditEvent>> ListAuditEvents(const AuditQuery& query,
                                                                     Page page) = 0;
  // Appends events read from another database as they are, names ("auditEvents/{n}") and
  // times included, oldest first, in one transaction: each n must be greater than the
  // previous one's and than every number this log has given (INVALID_ARGUMENT naming the
  // event, nothing written). Events recorded later are numbered after them.
  virtual absl::Status RestoreAuditEvents(const std::vector<v1::AuditEvent>& events) = 0;

  // --- Change feed (changes.h): every write above records its changes in its transaction.
  // FAILED_PRECONDITION when query.after is older than the pruned part of the feed;
  // INVALID_ARGUMENT when it is past the newest change.
  virtual absl::StatusOr<ChangePage> ListChanges(const ChangeQuery& query) = 0;
  // The sequence of the newest change (0 when none): a watch "from now" starts there.
  virtual absl::StatusOr<int64_t> LastChange() = 0;
  // Records changes that have no store write of their own (jobs), in one transaction.
  virtual absl::Status AppendChanges(const std::vector<PlanChange>& changes) = 0;
  // Deletes changes committed before `before`; returns how many.
  virtual absl::StatusOr<int64_t> PruneChanges(absl::Time before) = 0;
  // Starts the feed anew after `seq` or its newest change, whichever is later: every change
  // recorded so far is pruned, and the next one follows both. After moving a database, a
  // cursor the old one gave is then refused (FAILED_PRECONDITION: list again), never served
  // the move's own changes or left waiting past changes it would not see.
  virtual absl::Status RestartChangesAfter(int64_t seq) = 0;
  // Told after every commit that recorded changes.
  virtual ChangeNotifier& change_notifier() = 0;

  // --- Re-rating jobs: jobs/{n}, run by one server at a time. A server claims a job with a
  // lease (its holder id and an expiry on the database's clock) and renews it while it
  // works; once the lease has expired another server may claim the job and resume it.
  // Stores work.job (its description and total; the store sets name, state PENDING and
  // create_time) as a pending job. When a pending job has the same plans and trigger, returns
  // it instead (created false). RESOURCE_EXHAUSTED when max_pending jobs are pending already.
  virtual absl::StatusOr<EnqueueJobResult> EnqueueJob(const JobWork& work, int max_pending) = 0;
  // Claims the oldest job that is pending, or running under an expired lease: it becomes
  // RUNNING, held by `holder` for `lease`. nullopt when there is none to claim.
  virtual absl::StatusOr<std::optional<JobWork>> ClaimJob(absl::string_view holder,
                                                          absl::Duration lease) = 0;
  // Extends holder's lease on the running job `name` to `lease` from now. FAILED_PRECONDITION
  // when holder holds it no more (another server took it over, or it ended); NOT_FOUND.
  virtual absl::Status RenewJobLease(absl::string_view name, absl::string_view holder,
                                     absl::Duration lease) = 0;
  // Stores progress.done and progress.errors of the running job progress.name and renews the
  // lease; errors as RenewJobLease.
  virtual absl::Status RecordJobProgress(const v1::Job& progress, absl::string_view holder,
                                         absl::Duration lease) = 0;
  // Ends the running job result.name as result.state (SUCCEEDED or FAILED, else
  // INVALID_ARGUMENT) with result.done and result.errors; sets end_time, drops the lease and
  // returns the job. Errors as RenewJobLease.
  virtual absl::StatusOr<v1::Job> FinishJob(const v1::Job& result, absl::string_view holder) = 0;
  // Newest first.
  virtual absl::StatusOr<ListResult<v1::Job>> ListJobs(Page page) = 0;
  // Deletes the jobs that ended before `before`; returns how many.
  virtual absl::StatusOr<int64_t> PruneEndedJobs(absl::Time before) = 0;

  // --- Webhook subscriptions: organizations/{o}/subscriptions/{s}, bodies stored whole
  // (secret and delivery included). Create starts delivery after the newest change.
  virtual absl::StatusOr<v1::Subscription> CreateSubscription(
      const v1::Subscription& subscription) = 0;
  virtual absl::StatusOr<v1::Subscription> GetSubscription(absl::string_view name) = 0;
  // parent: "organizations/{o}", or "organizations/-" for all. Ordered by name.
  virtual absl::StatusOr<std::vector<v1::Subscription>> ListSubscriptions(
      absl::string_view parent) = 0;
  virtual absl::Status DeleteSubscription(absl::string_view name) = 0;
  // Replaces the delivery log; NOT_FOUND when the subscription was deleted meanwhile.
  virtual absl::Status UpdateDelivery(absl::string_view name,
                                      const v1::DeliveryStatus& delivery) = 0;
};

}  // namespace torikumi::store
