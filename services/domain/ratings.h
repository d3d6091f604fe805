// Domain logic for computed ratings: builds the EvaluateRequest of a plan from the store
// (plan, initiatives, outcomes), runs the plan's rule set through the evaluator host, and
// records the results with their provenance beside the human ratings. Also back-tests a
// candidate rule set (a dry run with a diff) and compares human with computed ratings.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/mutex.h"
#include "services/domain/cancellation.h"
#include "services/domain/plan_records.h"
#include "services/domain/rating_triggers.h"
#include "services/domain/rule_sets.h"
#include "services/evaluators/evaluator_host.h"
#include "services/store/store.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::domain {

// A whole-plan evaluation goes to the evaluator in batches of this many initiatives, and
// the caller's CancelToken is checked between them: few enough that a batch's request stays
// far below the worker channel's frame limit and a cancelled caller waits for one batch at
// most; many enough that what every call carries (the rule-set body) is paid rarely.
inline constexpr int kEvaluateBatchSubjects = 500;
// How often a re-rating of one initiative is computed again when a write to it committed
// while it was being computed.
inline constexpr int kRerateAttempts = 3;

// Lower-case hex SHA-256 of the deterministic serialization of `request` with its rule-set
// body replaced by the body's own SHA-256 (lower-case hex): the body is hashed once per
// evaluation, not once per initiative, and still any change to it changes every hash.
std::string InputSha256(const v1::EvaluateRequest& request);
// Lower-case hex SHA-256 of a rule-set body, as InputSha256 puts it in the body's place.
std::string BodySha256(absl::string_view body);

// InputSha256 of `head` (a request without subjects) with one subject added, for subject
// after subject: what they share is serialized once. A request serializes its fields in
// number order, so with one subject it is fields 1–2 of the head, the subject as field 3,
// then fields 4–5 of the head (the body's hash and the as-of date).
class SubjectInputHasher {
 public:
  explicit SubjectInputHasher(const v1::EvaluateRequest& head);
  // `body_sha256`: BodySha256 of the rule-set body the request is for, computed once by the
  // caller ("" for none); head's own rule_set_body is not read, so it may be left out.
  SubjectInputHasher(const v1::EvaluateRequest& head, const std::string& body_sha256);
  std::string Hash(const v1::EvaluationSubject& subject) const;

 private:
  std::string prefix_;
  std::string suffix_;
};

class Ratings {
 public:
  // `batch_subjects`: initiatives per evaluator call of a whole-plan evaluation.
  Ratings(store::Store& store, evaluators::EvaluatorHost& host,
          int batch_subjects = kEvaluateBatchSubjects)
      : store_(store), host_(host), batch_subjects_(batch_subjects) {}

  // With the plan's rule set, or a candidate (request.rule_set or inline_rule_set, dry run
  // only); with request.diff, also the diff against the recorded and human ratings.
  // FAILED_PRECONDITION when the plan names no rule set and none is given; NOT_FOUND for an
  // initiative that is not the plan's; INVALID_ARGUMENT naming the field for a candidate
  // without dry_run, both candidates at once, or an inline body with mistakes.
  // CANCELLED or DEADLINE_EXCEEDED (nothing recorded) when `cancel` says the caller has gone
  // before the last batch.
  absl::StatusOr<v1::RatingServiceEvaluateResponse> Evaluate(
      const v1::RatingServiceEvaluateRequest& request, absl::string_view trigger = kTriggerEvaluate,
      const CancelToken& cancel = CancelToken());
  absl::StatusOr<v1::ListRatingsResponse> List(const v1::ListRatingsRequest& request);
  // The plan's human ratings against its latest computed ones, and the consistency check.
  absl::StatusOr<v1::CompareRatingsResponse> Compare(const v1::CompareRatingsRequest& request);
  // NOT_FOUND when the initiative has no computed rating yet.
  absl::StatusOr<v1::ExplainRatingResponse> Explain(const v1::ExplainRatingRequest& request);

  // Records a fresh rating of one initiative when its plan names a rule set; OK and nothing
  // recorded when it names none. Recorded only if the initiative's inputs are still what it
  // was computed from, else computed again (ABORTED after kRerateAttempts).
  absl::Status RerateInitiative(absl::string_view initiative, absl::string_view trigger);
  // The rating `initiative` will have once a write has made `edit`, computed now from a
  // snapshot of its records with `edit` applied, for the write to record in its own
  // transaction: it holds there only when the initiative's inputs, its plan's and the rule
  // set's latest version are what it was computed from. nullopt when the plan names no rule
  // set; NOT_FOUND for a missing initiative.
  absl::StatusOr<std::optional<store::RatingAfterWrite>> RateBeforeWrite(
      absl::string_view initiative, absl::string_view trigger, const RecordsEdit& edit);
  // The same from `in`, the initiative's records read by the caller (LoadPlanRecords of its
  // plan and it).
  absl::StatusOr<std::optional<store::RatingAfterWrite>> RateBeforeWrite(
      PlanRecords in, absl::string_view initiative, absl::string_view trigger,
      const RecordsEdit& edit);
  // The same for every initiative of a plan.
  absl::Status ReratePlan(absl::string_view plan, absl::string_view trigger);
  // Every plan (of every organization) that names a rule set.
  absl::StatusOr<std::vector<std::string>> PlansWithRuleSet();
  // The plans that name `rule_set` (a name without version) unpinned, so that they follow
  // its latest version; a plan pinned to `…@N` keeps its rating.
  absl::StatusOr<std::vector<std::string>> PlansFollowingRuleSet(absl::string_view rule_set);
  // Whether the plan names a rule set; NOT_FOUND for a missing plan.
  absl::StatusOr<bool> PlanHasRuleSet(absl::string_view plan);

 private:
  struct RuleSetToRun;
  absl::StatusOr<RuleSetToRun> RuleSetFor(const v1::RatingServiceEvaluateRequest& request,
                                          const v1::Plan& plan);
  // `chosen` (initiatives of `in`), rated batch_subjects_ at a time: each batch is started
  // (StartBatch), then the batch before it (if any) is turned into ratings, so that two
  // batches are in flight; `cancel` is checked before each batch is started.
  absl::StatusOr<std::vector<v1::ComputedRating>> Rate(
      const RuleSetToRun& run, const PlanRecords& in,
      const std::vector<const v1::Initiative*>& chosen, absl::string_view trigger,
      const CancelToken& cancel);
  struct Batch;
  // Batch `b` of `chosen`: its request built, evaluated and its subjects' input hashes taken
  // on a thread of its own when `own_thread` (else by FinishBatch, on this one), so that two
  // batches in flight keep two cores busy.
  std::unique_ptr<Batch> StartBatch(std::shared_ptr<const evaluators::EvaluatorInstance> instance,
                                    const v1::EvaluateRequest& head,
                                    const SubjectInputHasher& hasher, const PlanRecords& in,
                                    const std::vector<const v1::Initiative*>& chosen, int b,
                                    bool own_thread);
  // Waits for the batch's evaluation and appends its ratings to *ratings.
  absl::Status FinishBatch(const RuleSetToRun& run, absl::string_view plan,
                           const v1::ComputedRating& stamp, const SubjectInputHasher& hasher,
                           Batch& batch, std::vector<v1::ComputedRating>* ratings);
  absl::StatusOr<std::shared_ptr<const evaluators::EvaluatorInstance>> Compile(
      const RuleSetToRun& run);
  // Records `ratings`, computed from `in` with the plan's rule set, where they still hold
  // (Store::RecordPlanRatingsWhereHold); those of initiatives written since `in` was read are
  // computed again from a newer snapshot and recorded where those hold, up to
  // kRerateAttempts times. Returns what was recorded, in the order of `ratings`, with the
  // initiatives of the newer snapshots in *reread (for their labels); an initiative deleted
  // meanwhile has no rating. Once the first attempt has committed, no error is returned:
  // initiatives still changing after every attempt, or whose re-rating failed, are left out
  // (logged), each with the rating its own write recorded.
  absl::StatusOr<std::vector<v1::ComputedRating>> RecordWhereHolds(
      const v1::RatingServiceEvaluateRequest& request, absl::string_view trigger,
      const PlanRecords& in, std::vector<v1::ComputedRating> ratings, const CancelToken& cancel,
      std::vector<v1::Initiative>* reread);
  // Computes again, from a new snapshot, the ratings of `pending` (initiatives of `plan`),
  // leaving out those that are gone or no longer rated; the snapshot is put in *in.
  absl::StatusOr<std::vector<v1::ComputedRating>> RateAgain(
      const v1::RatingServiceEvaluateRequest& request, absl::string_view trigger,
      const std::set<std::string>& pending, const CancelToken& cancel, PlanRecords* in);

  // The plans naming a rule set for which `keep` holds.
  absl::StatusOr<std::vector<std::string>> PlansWhere(
      const std::function<bool(const RuleSetReference&)>& keep);

  // BodySha256 of the body of `run`, computed once per stored rule-set version; an inline
  // body is hashed each time. The body is compared on every use: a version's body never
  // changes, but a name can be used again (an organization deleted and made anew).
  std::string BodySha256Of(const RuleSetToRun& run);

  store::Store& store_;
  evaluators::EvaluatorHost& host_;
  const int batch_subjects_;
  Mutex body_hashes_mu_;
  struct HashedBody {
    std::string body;
    std::string sha256;
  };
  // By "{name}@{version}".
  absl::flat_hash_map<std::string, HashedBody> body_hashes_ ABSL_GUARDED_BY(body_hashes_mu_);
};

}  // namespace torikumi::domain
