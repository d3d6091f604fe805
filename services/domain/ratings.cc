#include "services/domain/ratings.h"

#include <algorithm>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/resource_name.h"
#include "services/common/table_words.h"
#include "services/common/timestamp.h"
#include "services/domain/compare_ratings.h"
#include "services/domain/list_all.h"
#include "services/domain/normalize.h"
#include "services/domain/page_token.h"
#include "services/domain/rating_diff.h"
#include "services/domain/rule_set_limits.h"
#include "services/domain/rule_sets.h"
#include "services/domain/sha256.h"

namespace torikumi::domain {
namespace {

// The newest computed rating of each initiative of `plan`, every page of them.
absl::StatusOr<std::vector<v1::ComputedRating>> LatestRatings(store::Store& store,
                                                              absl::string_view plan) {
  return ListAll<v1::ComputedRating>(
      [&](store::Page page) { return store.ListRatings(plan, "", false, page); });
}

// What every subject's request shares, but the rule-set body: the instance it is sent to was
// compiled from the body, so it is not sent again with every batch (the field is optional).
v1::EvaluateRequest RequestHead(const PlanRecords& in) {
  v1::EvaluateRequest request;
  *request.mutable_rating_scale() = in.plan.rating_scale();
  *request.mutable_period() = in.plan.period();
  if (in.as_of.year() != 0) *request.mutable_as_of() = in.as_of;
  return request;
}

// The initiative and its outcomes as an evaluator sees them: without the human rating,
// which the computed track must not see (CompareRatings sets the two side by side), and
// without etags and times, so a rating's input hash changes only with what it could use.
void AddSubject(const PlanRecords& in, const v1::Initiative& initiative,
                v1::EvaluateRequest* request) {
  v1::EvaluationSubject* subject = request->add_subjects();
  v1::Initiative* seen = subject->mutable_initiative();
  *seen = initiative;
  seen->clear_human_rating();
  // Names are stored as written; the evaluators match on their NFKC form, as they always did.
  UseMatchingKeys(seen);
  seen->clear_etag();
  seen->clear_create_time();
  seen->clear_update_time();
  if (!initiative.relists().empty()) subject->add_markers(std::string(kRelistWord));
  for (const v1::Outcome& outcome : in.OutcomesOf(initiative.name())) {
    v1::Outcome* added = subject->add_outcomes();
    *added = outcome;
    added->clear_etag();
    added->clear_update_time();
  }
}

// Initiative names that are well formed and of the request's plan.
absl::Status CheckInitiativeNames(const v1::RatingServiceEvaluateRequest& request) {
  if (auto parsed = ParsePlanName(request.plan(), "plan"); !parsed.ok()) return parsed.status();
  for (int i = 0; i < request.initiatives_size(); ++i) {
    const std::string field = absl::StrCat("initiatives[", i, "]");
    absl::StatusOr<InitiativeName> name = ParseInitiativeName(request.initiatives(i), field);
    if (!name.ok()) return name.status();
    if (name->PlanName() != request.plan()) {
      return InvalidField(
          field, absl::StrCat("'", request.initiatives(i), "' is not an initiative of plan '",
                              request.plan(), "'"));
    }
  }
  return absl::OkStatus();
}

// A candidate rule set is only ever back-tested, and given one way.
absl::Status CheckCandidate(const v1::RatingServiceEvaluateRequest& request) {
  const bool named = !request.rule_set().empty();
  const bool given_inline = request.has_inline_rule_set();
  if (named && given_inline) {
    return InvalidField("inline_rule_set",
                        "give a candidate rule set by name (rule_set) or "
                        "inline (inline_rule_set), not both");
  }
  if ((named || given_inline) && !request.dry_run()) {
    return InvalidField("dry_run",
                        "a candidate rule set is back-tested only: set dry_run, nothing is "
                        "recorded with a rule set the plan does not name");
  }
  if (given_inline && request.inline_rule_set().body().empty())
    return InvalidField("inline_rule_set.body", "is empty");
  // Before anything parses the body: a deeply nested one would overflow the parser's stack.
  if (given_inline)
    return CheckRuleSetBodyLimits(request.inline_rule_set().body(), "inline_rule_set.body");
  return absl::OkStatus();
}

// The initiatives the request asks for: the named ones, or those of the area, or all.
absl::StatusOr<std::vector<const v1::Initiative*>> ChooseInitiatives(
    const PlanRecords& in, const v1::RatingServiceEvaluateRequest& request) {
  std::vector<const v1::Initiative*> chosen;
  if (request.initiatives_size() == 0) {
    const std::string area = request.area().empty() ? "" : MatchingKey(request.area());
    for (const v1::Initiative& initiative : in.initiatives) {
      if (request.area().empty() || MatchingKey(initiative.area()) == area)
        chosen.push_back(&initiative);
    }
    return chosen;
  }
  std::set<std::string_view> asked;
  for (int i = 0; i < request.initiatives_size(); ++i) {
    const std::string& wanted = request.initiatives(i);
    if (!asked.insert(wanted).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("initiatives[", i, "]: '", wanted, "' is named twice"));
    }
    bool found = false;
    for (const v1::Initiative& initiative : in.initiatives) {
      if (initiative.name() != wanted) continue;
      chosen.push_back(&initiative);
      found = true;
    }
    if (!found) return absl::NotFoundError(absl::StrCat("initiative '", wanted, "' not found"));
  }
  return chosen;
}

// What every rating of one evaluation shares: the evaluator, its version, the rule set, the
// trigger and the time.
v1::ComputedRating RatingStamp(const v1::RuleSet& rule_set, const std::string& evaluator_version,
                               absl::string_view trigger) {
  v1::ComputedRating stamp;
  stamp.set_evaluator(rule_set.evaluator());
  stamp.set_evaluator_version(evaluator_version);
  stamp.set_rule_set(rule_set.name());
  stamp.set_rule_set_version(rule_set.version());
  *stamp.mutable_compute_time() = NowTimestamp();
  stamp.set_trigger(std::string(trigger));
  return stamp;
}

// The index in `part` of the subject that evaluation `i` is of: i when the evaluator answered
// in request order (as well-behaved ones do), else found by name (the host has checked that
// there is exactly one); -1 for none.
int SubjectIndex(const v1::EvaluateRequest& part, int i, const std::string& initiative) {
  if (i < part.subjects_size() && part.subjects(i).initiative().name() == initiative) return i;
  for (int j = 0; j < part.subjects_size(); ++j) {
    if (part.subjects(j).initiative().name() == initiative) return j;
  }
  return -1;
}

// One batch's evaluations as ratings, appended to `ratings`; the evaluations are moved from.
// `hashes` holds the input hash of each subject of `part`; `no_subject` is the one for an
// evaluation of no subject.
void AppendRatings(const v1::ComputedRating& stamp, const v1::EvaluateRequest& part,
                   const std::vector<std::string>& hashes, const std::string& no_subject,
                   v1::EvaluateResponse& evaluated, std::vector<v1::ComputedRating>* ratings) {
  for (int i = 0; i < evaluated.evaluations_size(); ++i) {
    v1::InitiativeEvaluation& e = *evaluated.mutable_evaluations(i);
    v1::ComputedRating& rating = ratings->emplace_back(stamp);
    if (e.has_insufficient_data()) {
      rating.set_insufficient_data(true);
    } else {
      rating.set_grade(std::move(*e.mutable_grade()));
    }
    rating.mutable_fired_rules()->Swap(e.mutable_fired_rules());
    rating.mutable_facts()->Swap(e.mutable_facts());
    rating.set_reason(std::move(*e.mutable_reason()));
    // The hash covers this initiative's part of the request only, so it changes exactly
    // when what the evaluator saw of this initiative (or the scale, as-of or body) changes.
    const int subject = SubjectIndex(part, i, e.initiative());
    rating.set_input_sha256(subject < 0 ? no_subject : hashes[subject]);
    rating.set_initiative(std::move(*e.mutable_initiative()));
  }
}

// The area and number of each rating's initiative, for display.
void AddLabels(const std::vector<v1::Initiative>& initiatives,
               google::protobuf::RepeatedPtrField<v1::ComputedRating>* ratings) {
  std::map<std::string, const v1::Initiative*> initiative_of;
  for (const v1::Initiative& initiative : initiatives)
    initiative_of[initiative.name()] = &initiative;
  for (v1::ComputedRating& rating : *ratings) {
    auto found = initiative_of.find(rating.initiative());
    if (found == initiative_of.end()) continue;
    rating.set_area(found->second->area());
    rating.set_number(found->second->number());
  }
}

// Says, in the log and the metrics, that an evaluation stopped because its caller had gone.
void NoteStoppedEvaluation(absl::string_view plan, int done, int batches, const absl::Status& why) {
  metrics::Counter("torikumi_evaluations_stopped_total",
                   "Whole-plan evaluations stopped because their caller cancelled or its "
                   "deadline passed.")
      .Add({{"code", absl::StatusCodeToString(why.code())}});
  log::Info("Evaluate of plan '", plan, "' stopped after ", done, " of ", batches,
            " batches: ", why.message());
}

}  // namespace

// What a rating is computed with: the plan's rule set, or a candidate being back-tested.
struct Ratings::RuleSetToRun {
  v1::RuleSet rule_set;
  // How the diff and error messages name it: "{name}@{version}", or "inline".
  std::string label;
  bool is_inline = false;
};

namespace {

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  return bytes;
}

}  // namespace

namespace {

// What the input hash covers of `request`: all of it, the rule-set body by its SHA-256
// (`body_sha256`, BodySha256 of the body).
v1::EvaluateRequest ForInputHash(v1::EvaluateRequest request, const std::string& body_sha256) {
  if (!request.rule_set_body().empty()) request.set_rule_set_body(body_sha256);
  return request;
}

}  // namespace

std::string BodySha256(absl::string_view body) { return Sha256Hex(body); }

std::string InputSha256(const v1::EvaluateRequest& request) {
  return Sha256Hex(DeterministicBytes(ForInputHash(request, BodySha256(request.rule_set_body()))));
}

SubjectInputHasher::SubjectInputHasher(const v1::EvaluateRequest& head)
    : SubjectInputHasher(head,
                         head.rule_set_body().empty() ? "" : BodySha256(head.rule_set_body())) {}

SubjectInputHasher::SubjectInputHasher(const v1::EvaluateRequest& head,
                                       const std::string& body_sha256) {
  v1::EvaluateRequest before;
  *before.mutable_rating_scale() = head.rating_scale();
  *before.mutable_period() = head.period();
  v1::EvaluateRequest after;
  after.set_rule_set_body(body_sha256);
  if (head.has_as_of()) *after.mutable_as_of() = head.as_of();
  // The fields of `before` are there only when set, as in the whole request.
  if (!head.has_rating_scale()) before.clear_rating_scale();
  if (!head.has_period()) before.clear_period();
  prefix_ = DeterministicBytes(before);
  suffix_ = DeterministicBytes(after);
}

std::string SubjectInputHasher::Hash(const v1::EvaluationSubject& subject) const {
  std::string framed;
  {
    google::protobuf::io::StringOutputStream stream(&framed);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    coded.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
        v1::EvaluateRequest::kSubjectsFieldNumber,
        google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    coded.WriteVarint32(static_cast<uint32_t>(subject.ByteSizeLong()));
    subject.SerializeWithCachedSizes(&coded);
  }
  return Sha256Hex(absl::StrCat(prefix_, framed, suffix_));
}

absl::StatusOr<Ratings::RuleSetToRun> Ratings::RuleSetFor(
    const v1::RatingServiceEvaluateRequest& request, const v1::Plan& plan) {
  RuleSetToRun run;
  if (request.has_inline_rule_set()) {
    run.rule_set.set_evaluator(request.inline_rule_set().evaluator().empty()
                                   ? "rules"
                                   : request.inline_rule_set().evaluator());
    run.rule_set.set_body(request.inline_rule_set().body());
    if (absl::Status valid = host_.ValidateRuleSet(run.rule_set.evaluator(), run.rule_set.body(),
                                                   plan.rating_scale(), "inline_rule_set.body.");
        !valid.ok()) {
      return valid;
    }
    run.label = "inline";
    run.is_inline = true;
    return run;
  }
  const bool candidate = !request.rule_set().empty();
  if (!candidate && plan.rule_set().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan '", plan.name(), "' names no rule set; set its rule_set first"));
  }
  absl::StatusOr<RuleSetReference> reference =
      candidate ? ParseRuleSetReference(request.rule_set(), "rule_set")
                : ParseRuleSetReference(plan.rule_set(), "plan.rule_set");
  if (!reference.ok()) return reference.status();
  absl::StatusOr<v1::RuleSet> rule_set = store_.GetRuleSet(reference->name, reference->version);
  if (!rule_set.ok()) return rule_set.status();
  run.rule_set = *std::move(rule_set);
  run.label = absl::StrCat(run.rule_set.name(), "@", run.rule_set.version());
  return run;
}

absl::StatusOr<std::shared_ptr<const evaluators::EvaluatorInstance>> Ratings::Compile(
    const RuleSetToRun& run) {
  const v1::RuleSet& rule_set = run.rule_set;
  auto instance = run.is_inline
                      ? host_.Compile(rule_set.evaluator(), rule_set.body())
                      : host_.CompileCached(rule_set.evaluator(), run.label, rule_set.body());
  if (!instance.ok()) {
    return absl::Status(instance.status().code(),
                        absl::StrCat("rule set '", run.label, "' (evaluator '",
                                     rule_set.evaluator(), "'): ", instance.status().message()));
  }
  return instance;
}

std::string Ratings::BodySha256Of(const RuleSetToRun& run) {
  if (run.is_inline) return BodySha256(run.rule_set.body());
  const std::string& body = run.rule_set.body();
  {
    MutexLock lock(&body_hashes_mu_);
    auto found = body_hashes_.find(run.label);
    if (found != body_hashes_.end() && found->second.body == body) return found->second.sha256;
  }
  std::string hash = BodySha256(body);
  MutexLock lock(&body_hashes_mu_);
  body_hashes_.insert_or_assign(run.label, HashedBody{body, hash});
  return hash;
}

// One batch on its way through the evaluator. Its request and answer are thousands of small
// messages: on an arena they are allocated in a few blocks and freed at once, not one by one.
struct Ratings::Batch {
  google::protobuf::Arena arena;
  v1::EvaluateRequest* part = google::protobuf::Arena::CreateMessage<v1::EvaluateRequest>(&arena);
  v1::EvaluateResponse* evaluated =
      google::protobuf::Arena::CreateMessage<v1::EvaluateResponse>(&arena);
  std::vector<std::string> hashes;  // the input hash of each subject of `part`
  // Building the request, the evaluator's call and hashing, on a thread of its own.
  std::future<absl::Status> done;
};

std::unique_ptr<Ratings::Batch> Ratings::StartBatch(
    std::shared_ptr<const evaluators::EvaluatorInstance> instance, const v1::EvaluateRequest& head,
    const SubjectInputHasher& hasher, const PlanRecords& in,
    const std::vector<const v1::Initiative*>& chosen, int b, bool own_thread) {
  auto batch = std::make_unique<Batch>();
  // Everything the batch needs of `in`, `chosen`, `head` and `hasher` is read, never
  // written, and Rate waits for every batch it started before they go.
  auto work = [this, instance = std::move(instance), &head, &hasher, &in, &chosen, b,
               batch = batch.get()]() -> absl::Status {
    *batch->part = head;
    const int total = static_cast<int>(chosen.size());
    for (int i = b * batch_subjects_; i < std::min(total, (b + 1) * batch_subjects_); ++i)
      AddSubject(in, *chosen[i], batch->part);
    absl::Status status =
        host_.Evaluate(instance, *batch->part, host_.call_limit(), batch->evaluated);
    if (!status.ok()) return status;
    batch->hashes.reserve(batch->part->subjects_size());
    for (const v1::EvaluationSubject& subject : batch->part->subjects())
      batch->hashes.push_back(hasher.Hash(subject));
    return absl::OkStatus();
  };
  if (own_thread) {
    try {
      // A copy: std::async moves its callable before it starts the thread, and the fallback
      // below still needs `work` when that throws.
      batch->done = std::async(std::launch::async, work);
      return batch;
    } catch (const std::system_error&) {
      // No thread to be had: the batch runs on the caller's thread instead.
    }
  }
  // Deferred: run by FinishBatch's get(), on the caller's thread.
  batch->done = std::async(std::launch::deferred, std::move(work));
  return batch;
}

absl::StatusOr<std::vector<v1::ComputedRating>> Ratings::Rate(
    const RuleSetToRun& run, const PlanRecords& in,
    const std::vector<const v1::Initiative*>& chosen, absl::string_view trigger,
    const CancelToken& cancel) {
  auto instance = Compile(run);
  if (!instance.ok()) return instance.status();
  const absl::string_view plan = in.plan.name();
  // The version of the library that ran, which a reload during the call does not change.
  const v1::ComputedRating stamp =
      RatingStamp(run.rule_set, (*instance)->evaluator_version(), trigger);
  // The input hashes cover the body by its hash, as if it were in the request.
  const v1::EvaluateRequest head = RequestHead(in);
  const SubjectInputHasher hasher(head, run.rule_set.body().empty() ? "" : BodySha256Of(run));
  std::vector<v1::ComputedRating> ratings;
  ratings.reserve(chosen.size());
  const int batches = (static_cast<int>(chosen.size()) + batch_subjects_ - 1) / batch_subjects_;
  // Two batches are in flight: the next one is started (built, evaluated and hashed on a
  // thread of its own) before the one before it is turned into ratings, so both cores work.
  // Every batch started is waited for: it uses its arena, `in`, `chosen`, `head` and `hasher`.
  std::unique_ptr<Batch> in_flight;
  absl::Status status;
  for (int b = 0; b < batches && status.ok(); ++b) {
    status = cancel.Check(absl::StrCat("evaluating plan '", plan, "'"));
    if (!status.ok()) {
      NoteStoppedEvaluation(plan, b, batches, status);
      break;
    }
    // A plan's only batch (every one-initiative rating) has nothing to overlap with, so it
    // is spared a thread's start.
    std::unique_ptr<Batch> next = StartBatch(*instance, head, hasher, in, chosen, b, batches > 1);
    if (in_flight != nullptr) status = FinishBatch(run, plan, stamp, hasher, *in_flight, &ratings);
    in_flight = std::move(next);
  }
  if (in_flight != nullptr) {
    const absl::Status last = FinishBatch(run, plan, stamp, hasher, *in_flight, &ratings);
    if (status.ok()) status = last;
  }
  if (!status.ok()) return status;
  return ratings;
}

absl::Status Ratings::FinishBatch(const RuleSetToRun& run, absl::string_view plan,
                                  const v1::ComputedRating& stamp, const SubjectInputHasher& hasher,
                                  Batch& batch, std::vector<v1::ComputedRating>* ratings) {
  if (absl::Status s = batch.done.get(); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat("evaluating plan '", plan, "' with '", run.label,
                                               "': ", s.message()));
  }
  AppendRatings(stamp, *batch.part, batch.hashes,
                hasher.Hash(v1::EvaluationSubject::default_instance()), *batch.evaluated, ratings);
  return absl::OkStatus();
}

absl::StatusOr<v1::RatingServiceEvaluateResponse> Ratings::Evaluate(
    const v1::RatingServiceEvaluateRequest& request, absl::string_view trigger,
    const CancelToken& cancel) {
  if (absl::Status valid = CheckInitiativeNames(request); !valid.ok()) return valid;
  if (absl::Status valid = CheckCandidate(request); !valid.ok()) return valid;
  // One initiative (a re-rating after a write) needs only its own records; a diff is of the
  // whole plan.
  const bool just_one = request.initiatives_size() == 1 && !request.diff();
  absl::StatusOr<PlanRecords> in =
      LoadPlanRecords(store_, request.plan(), "plan", just_one ? request.initiatives(0) : "");
  if (!in.ok()) return in.status();
  absl::StatusOr<RuleSetToRun> run = RuleSetFor(request, in->plan);
  if (!run.ok()) return run.status();
  absl::StatusOr<std::vector<const v1::Initiative*>> chosen = ChooseInitiatives(*in, request);
  if (!chosen.ok()) return chosen.status();

  v1::RatingServiceEvaluateResponse response;
  std::vector<v1::ComputedRating> ratings;
  if (!chosen->empty()) {
    absl::StatusOr<std::vector<v1::ComputedRating>> rated =
        Rate(*run, *in, *chosen, trigger, cancel);
    if (!rated.ok()) return rated.status();
    ratings = *std::move(rated);
  }
  if (request.diff()) {
    absl::StatusOr<std::vector<v1::ComputedRating>> recorded =
        LatestRatings(store_, request.plan());
    if (!recorded.ok()) return recorded.status();
    *response.mutable_diff() = DiffRatings(*in, *recorded, ratings, run->label);
  }
  std::vector<v1::Initiative> reread;
  if (!request.dry_run() && !ratings.empty()) {
    absl::StatusOr<std::vector<v1::ComputedRating>> recorded =
        RecordWhereHolds(request, trigger, *in, std::move(ratings), cancel, &reread);
    if (!recorded.ok()) return recorded.status();
    ratings = *std::move(recorded);
  }
  for (v1::ComputedRating& rating : ratings) *response.add_ratings() = std::move(rating);
  AddLabels(in->initiatives, response.mutable_ratings());
  // A rating computed again is labelled as its initiative is now.
  AddLabels(reread, response.mutable_ratings());
  return response;
}

absl::StatusOr<v1::ListRatingsResponse> Ratings::List(const v1::ListRatingsRequest& request) {
  const std::string query = absl::StrCat("ratings\n", request.plan(), "\n", request.initiative(),
                                         "\n", request.history());
  absl::StatusOr<store::Page> page =
      PageFromRequest(request.page_size(), request.page_token(), query);
  if (!page.ok()) return page.status();
  absl::StatusOr<store::ListResult<v1::ComputedRating>> ratings =
      store_.ListRatings(request.plan(), request.initiative(), request.history(), *page);
  if (!ratings.ok()) return ratings.status();
  absl::StatusOr<std::vector<v1::Initiative>> initiatives =
      ListAll<v1::Initiative>([&](store::Page page) {
        return store_.ListInitiatives(request.plan(), v1::InitiativeFilter(), page);
      });
  if (!initiatives.ok()) return initiatives.status();
  v1::ListRatingsResponse response;
  for (v1::ComputedRating& rating : ratings->items) *response.add_ratings() = std::move(rating);
  AddLabels(*initiatives, response.mutable_ratings());
  response.set_next_page_token(
      NextPageToken(*page, response.ratings_size(), ratings->total, query));
  response.set_total_size(TotalSize(ratings->total));
  return response;
}

absl::StatusOr<v1::CompareRatingsResponse> Ratings::Compare(
    const v1::CompareRatingsRequest& request) {
  absl::StatusOr<PlanRecords> records = LoadPlanRecords(store_, request.plan());
  if (!records.ok()) return records.status();
  absl::StatusOr<std::vector<v1::ComputedRating>> latest = LatestRatings(store_, request.plan());
  if (!latest.ok()) return latest.status();
  return CompareRatings(*records, *latest);
}

absl::StatusOr<v1::ExplainRatingResponse> Ratings::Explain(
    const v1::ExplainRatingRequest& request) {
  absl::StatusOr<InitiativeName> name = ParseInitiativeName(request.initiative(), "initiative");
  if (!name.ok()) return name.status();
  absl::StatusOr<v1::Initiative> initiative = store_.GetInitiative(request.initiative());
  if (!initiative.ok()) return initiative.status();
  absl::StatusOr<store::ListResult<v1::ComputedRating>> ratings =
      store_.ListRatings(name->PlanName(), request.initiative(), false, store::Page{0, 1});
  if (!ratings.ok()) return ratings.status();
  if (ratings->items.empty()) {
    return absl::NotFoundError(
        absl::StrCat("initiative '", request.initiative(),
                     "' has no computed rating yet; evaluate its plan first"));
  }
  v1::ExplainRatingResponse response;
  *response.mutable_computed() = ratings->items.front();
  response.mutable_computed()->set_area(initiative->area());
  response.mutable_computed()->set_number(initiative->number());
  *response.mutable_human() = initiative->human_rating();
  *response.mutable_initiative() = *std::move(initiative);
  return response;
}

absl::Status Ratings::RerateInitiative(absl::string_view initiative, absl::string_view trigger) {
  // Computed from a snapshot and recorded only while its inputs still hold: a write to the
  // initiative that commits in between records a rating of its own, which this one, from
  // the older inputs, must not bury. Then it is computed again from the newer ones.
  for (int attempt = 0; attempt < kRerateAttempts; ++attempt) {
    absl::StatusOr<std::optional<store::RatingAfterWrite>> rating =
        RateBeforeWrite(initiative, trigger, [](PlanRecords*) {});
    if (!rating.ok()) return rating.status();
    if (!rating->has_value()) return absl::OkStatus();
    if (absl::Status s = store_.RecordRatingIfHolds(&**rating); !s.ok()) return s;
    if ((*rating)->recorded) return absl::OkStatus();
  }
  return absl::AbortedError(absl::StrCat("the inputs of ", initiative, " changed during each of ",
                                         kRerateAttempts, " re-ratings"));
}

namespace {

bool SameDate(const v1::Date& a, const v1::Date& b) {
  return a.year() == b.year() && a.month() == b.month() && a.day() == b.day();
}

// What a rating of `initiative` is computed from but the rule set's body, which the plan's
// rule_set and the rule set's version stand for (versions never change): the plan's
// reference, then the request with that one subject and no body, as bytes.
std::string RatingInputs(const PlanRecords& in, const v1::Initiative& initiative) {
  v1::EvaluateRequest request = RequestHead(in);
  AddSubject(in, initiative, &request);
  return absl::StrCat(in.plan.rule_set(), "\n", DeterministicBytes(request));
}

// Whether `now` (read inside the write) still gives the rating of `initiative` computed
// from `expected`: the same inputs, and the same rule set version unless the plan pins one.
std::function<bool(const store::PlanInputs&, int32_t)> InputsHold(std::string expected, bool pinned,
                                                                  int32_t version) {
  return [expected = std::move(expected), pinned, version](const store::PlanInputs& now,
                                                           int32_t latest_version) {
    if (!pinned && latest_version != version) return false;
    const PlanRecords records = RecordsOf(now);
    return records.initiatives.size() == 1 &&
           RatingInputs(records, records.initiatives.front()) == expected;
  };
}

// For Store::RecordPlanRatingsWhereHold: whether each of `ratings`, computed from `in`,
// still holds where the store checked it against `now`: the same inputs, and the same rule
// set version unless the plan pins one. The store checks only initiatives written since
// `in` was read; the others hold unless the rule set has a newer version.
std::function<std::vector<bool>(const std::set<std::string>&, const store::PlanInputs&, int32_t)>
RatingsHold(const PlanRecords& in, const std::vector<v1::ComputedRating>& ratings, bool pinned) {
  return [&in, &ratings, pinned](const std::set<std::string>& checked, const store::PlanInputs& now,
                                 int32_t latest_version) {
    std::vector<bool> holds(ratings.size(), true);
    if (!pinned && !ratings.empty() && latest_version != ratings.front().rule_set_version()) {
      holds.assign(ratings.size(), false);
      return holds;
    }
    if (checked.empty()) return holds;
    const PlanRecords records = RecordsOf(now);
    // An outcome that moved the plan's latest as-of date changed every initiative's inputs,
    // not only its own: none of the older snapshot's ratings holds (a later evaluation may
    // already have recorded ratings of the newer date).
    if (!records.plan.name().empty() && !SameDate(records.as_of, in.as_of)) {
      holds.assign(ratings.size(), false);
      return holds;
    }
    std::map<std::string, std::string> before;
    for (const v1::Initiative& initiative : in.initiatives) {
      if (checked.contains(initiative.name()))
        before[initiative.name()] = RatingInputs(in, initiative);
    }
    std::map<std::string, std::string> after;
    for (const v1::Initiative& initiative : records.initiatives)
      after[initiative.name()] = RatingInputs(records, initiative);
    for (size_t i = 0; i < ratings.size(); ++i) {
      const std::string& name = ratings[i].initiative();
      if (!checked.contains(name)) continue;
      auto was = before.find(name);
      auto is = after.find(name);
      holds[i] = was != before.end() && is != after.end() && was->second == is->second;
    }
    return holds;
  };
}

// Logs the initiatives of `plan` a whole-plan evaluation leaves without a rating of its own
// after it had recorded the others: each was written while the evaluation ran, and that
// write recorded a rating of its own.
void LeaveOut(absl::string_view plan, const std::set<std::string>& pending, absl::string_view why) {
  log::Warning("evaluation of ", plan, " left ", pending.size(),
               " initiatives (the first: ", *pending.begin(),
               ") with the ratings their own writes recorded: ", why);
}

}  // namespace

absl::StatusOr<std::vector<v1::ComputedRating>> Ratings::RecordWhereHolds(
    const v1::RatingServiceEvaluateRequest& request, absl::string_view trigger,
    const PlanRecords& in, std::vector<v1::ComputedRating> ratings, const CancelToken& cancel,
    std::vector<v1::Initiative>* reread) {
  std::map<std::string, size_t> position;
  for (size_t i = 0; i < ratings.size(); ++i) position.emplace(ratings[i].initiative(), i);
  std::vector<std::optional<v1::ComputedRating>> recorded(ratings.size());
  // What was recorded, in the order of `ratings`.
  auto answer = [&recorded] {
    std::vector<v1::ComputedRating> out;
    out.reserve(recorded.size());
    for (std::optional<v1::ComputedRating>& rating : recorded) {
      if (rating.has_value()) out.push_back(*std::move(rating));
    }
    return out;
  };
  // Once the first attempt's ratings are committed, an error would tell the caller none
  // were: what is left is logged and keeps the rating its own write recorded.
  auto leave_out = [&](const std::set<std::string>& left, absl::string_view why) {
    if (!left.empty()) LeaveOut(request.plan(), left, why);
    return answer();
  };
  const PlanRecords* from = &in;
  PlanRecords newer;
  std::set<std::string> pending;
  for (int attempt = 0; attempt < kRerateAttempts; ++attempt) {
    if (attempt > 0) {
      absl::StatusOr<std::vector<v1::ComputedRating>> again =
          RateAgain(request, trigger, pending, cancel, &newer);
      if (!again.ok()) return leave_out(pending, again.status().ToString());
      // What is left is gone, or its plan no longer names a rule set: none of it is rated.
      if (again->empty()) return answer();
      ratings = *std::move(again);
      from = &newer;
      for (const v1::Initiative& initiative : newer.initiatives) reread->push_back(initiative);
    }
    absl::StatusOr<RuleSetReference> reference =
        ParseRuleSetReference(from->plan.rule_set(), "plan.rule_set");
    if (!reference.ok()) {
      if (attempt == 0) return reference.status();
      return leave_out(pending, reference.status().ToString());
    }
    store::PlanRatings batch{
        .plan = request.plan(), .ratings = std::move(ratings), .after_change = from->last_change};
    batch.holds = RatingsHold(*from, batch.ratings, reference->version != 0);
    if (absl::Status s = store_.RecordPlanRatingsWhereHold(&batch); !s.ok()) {
      if (attempt == 0) return s;
      return leave_out(pending, s.ToString());
    }
    pending.clear();
    for (size_t i = 0; i < batch.ratings.size(); ++i) {
      const std::string& name = batch.ratings[i].initiative();
      if (batch.recorded[i]) {
        recorded[position.at(name)] = std::move(batch.ratings[i]);
      } else {
        pending.insert(name);
      }
    }
    if (pending.empty()) break;
  }
  return leave_out(pending, absl::StrCat("their inputs changed during each of ", kRerateAttempts,
                                         " attempts to record their ratings"));
}

absl::StatusOr<std::vector<v1::ComputedRating>> Ratings::RateAgain(
    const v1::RatingServiceEvaluateRequest& request, absl::string_view trigger,
    const std::set<std::string>& pending, const CancelToken& cancel, PlanRecords* in) {
  // One initiative is read alone; its deletion (or its plan's) leaves nothing to rate.
  const std::string one = pending.size() == 1 ? *pending.begin() : "";
  absl::StatusOr<PlanRecords> read = LoadPlanRecords(store_, request.plan(), "plan", one);
  if (absl::IsNotFound(read.status())) return std::vector<v1::ComputedRating>();
  if (!read.ok()) return read.status();
  *in = *std::move(read);
  if (in->plan.rule_set().empty()) return std::vector<v1::ComputedRating>();
  v1::RatingServiceEvaluateRequest plans_own;
  plans_own.set_plan(request.plan());
  absl::StatusOr<RuleSetToRun> run = RuleSetFor(plans_own, in->plan);
  if (!run.ok()) return run.status();
  std::vector<const v1::Initiative*> chosen;
  for (const v1::Initiative& initiative : in->initiatives) {
    if (pending.contains(initiative.name())) chosen.push_back(&initiative);
  }
  if (chosen.empty()) return std::vector<v1::ComputedRating>();
  return Rate(*run, *in, chosen, trigger, cancel);
}

absl::StatusOr<std::optional<store::RatingAfterWrite>> Ratings::RateBeforeWrite(
    absl::string_view initiative, absl::string_view trigger, const RecordsEdit& edit) {
  absl::StatusOr<InitiativeName> name = ParseInitiativeName(initiative, "initiative");
  if (!name.ok()) return name.status();
  absl::StatusOr<PlanRecords> in = LoadPlanRecords(store_, name->PlanName(), "plan", initiative);
  if (!in.ok()) return in.status();
  return RateBeforeWrite(*std::move(in), initiative, trigger, edit);
}

absl::StatusOr<std::optional<store::RatingAfterWrite>> Ratings::RateBeforeWrite(
    PlanRecords in, absl::string_view initiative, absl::string_view trigger,
    const RecordsEdit& edit) {
  if (in.plan.rule_set().empty()) return std::nullopt;
  absl::StatusOr<RuleSetReference> reference =
      ParseRuleSetReference(in.plan.rule_set(), "plan.rule_set");
  if (!reference.ok()) return reference.status();
  edit(&in);
  v1::RatingServiceEvaluateRequest request;
  request.set_plan(in.plan.name());
  request.add_initiatives(std::string(initiative));
  absl::StatusOr<RuleSetToRun> run = RuleSetFor(request, in.plan);
  if (!run.ok()) return run.status();
  absl::StatusOr<std::vector<const v1::Initiative*>> chosen = ChooseInitiatives(in, request);
  if (!chosen.ok()) return chosen.status();
  absl::StatusOr<std::vector<v1::ComputedRating>> rated =
      Rate(*run, in, *chosen, trigger, CancelToken());
  if (!rated.ok()) return rated.status();
  std::vector<v1::ComputedRating>& ratings = *rated;
  if (ratings.size() != 1 || ratings.front().initiative() != initiative) {
    return absl::InternalError(absl::StrCat("evaluating ", initiative, " with '", run->label,
                                            "' answered ", ratings.size(), " ratings"));
  }
  store::RatingAfterWrite after;
  after.rating = std::move(ratings.front());
  after.holds = InputsHold(RatingInputs(in, in.initiatives.front()), reference->version != 0,
                           after.rating.rule_set_version());
  return after;
}

absl::Status Ratings::ReratePlan(absl::string_view plan, absl::string_view trigger) {
  v1::RatingServiceEvaluateRequest request;
  request.set_plan(std::string(plan));
  return Evaluate(request, trigger).status();
}

absl::StatusOr<std::vector<std::string>> Ratings::PlansWhere(
    const std::function<bool(const RuleSetReference&)>& keep) {
  absl::StatusOr<std::vector<v1::Plan>> plans = ListAll<v1::Plan>(
      [&](store::Page page) { return store_.ListPlans("organizations/-", "", page); });
  if (!plans.ok()) return plans.status();
  std::vector<std::string> names;
  for (const v1::Plan& plan : *plans) {
    if (plan.rule_set().empty()) continue;
    absl::StatusOr<RuleSetReference> reference =
        ParseRuleSetReference(plan.rule_set(), "plan.rule_set");
    if (reference.ok() && keep(*reference)) names.push_back(plan.name());
  }
  return names;
}

absl::StatusOr<std::vector<std::string>> Ratings::PlansWithRuleSet() {
  return PlansWhere([](const RuleSetReference&) { return true; });
}

absl::StatusOr<std::vector<std::string>> Ratings::PlansFollowingRuleSet(
    absl::string_view rule_set) {
  return PlansWhere([&](const RuleSetReference& reference) {
    return reference.name == rule_set && reference.version == 0;
  });
}

absl::StatusOr<bool> Ratings::PlanHasRuleSet(absl::string_view plan) {
  absl::StatusOr<v1::Plan> found = store_.GetPlan(plan);
  if (!found.ok()) return found.status();
  return !found->rule_set().empty();
}

}  // namespace torikumi::domain
