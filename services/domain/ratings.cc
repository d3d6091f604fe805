#include "services/domain/ratings.h"

#include <openssl/sha.h>

#include <map>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/domain/list_all.h"
#include "services/domain/rule_sets.h"

namespace torikumi::domain {
namespace {

int DateKey(const v1::Date& date) { return date.year() * 10000 + date.month() * 100 + date.day(); }

// A plan with its rule set and everything an evaluator may look at, read from the store.
struct PlanInput {
  v1::Plan plan;
  v1::RuleSet rule_set;
  std::vector<v1::Initiative> initiatives;
  std::map<std::string, std::vector<v1::Outcome>> outcomes;  // by initiative name
  v1::Date as_of;
};

absl::StatusOr<PlanInput> LoadPlanInput(store::Store& store, absl::string_view plan_name) {
  PlanInput in;
  absl::StatusOr<v1::Plan> plan = store.GetPlan(plan_name);
  if (!plan.ok()) return plan.status();
  in.plan = *std::move(plan);
  if (in.plan.rule_set().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan '", plan_name, "' names no rule set; set its rule_set first"));
  }
  absl::StatusOr<RuleSetReference> reference =
      ParseRuleSetReference(in.plan.rule_set(), "plan.rule_set");
  if (!reference.ok()) return reference.status();
  absl::StatusOr<v1::RuleSet> rule_set = store.GetRuleSet(reference->name, reference->version);
  if (!rule_set.ok()) return rule_set.status();
  in.rule_set = *std::move(rule_set);

  absl::StatusOr<std::vector<v1::Initiative>> initiatives =
      ListAll<v1::Initiative>([&](store::Page page) {
        return store.ListInitiatives(plan_name, v1::InitiativeFilter(), page);
      });
  if (!initiatives.ok()) return initiatives.status();
  in.initiatives = *std::move(initiatives);
  const std::string every = absl::StrCat(plan_name, "/initiatives/-");
  absl::StatusOr<std::vector<v1::Outcome>> outcomes =
      ListAll<v1::Outcome>([&](store::Page page) { return store.ListOutcomes(every, 0, page); });
  if (!outcomes.ok()) return outcomes.status();
  for (v1::Outcome& outcome : *outcomes) {
    // The as-of date of the plan (R4（～8月）) is the latest one any outcome carries.
    if (DateKey(outcome.as_of()) > DateKey(in.as_of)) in.as_of = outcome.as_of();
    const size_t at = outcome.name().find("/outcomes/");
    in.outcomes[outcome.name().substr(0, at)].push_back(std::move(outcome));
  }
  return in;
}

v1::EvaluateRequest RequestHead(const PlanInput& in) {
  v1::EvaluateRequest request;
  *request.mutable_rating_scale() = in.plan.rating_scale();
  *request.mutable_period() = in.plan.period();
  request.set_rule_set_body(in.rule_set.body());
  if (in.as_of.year() != 0) *request.mutable_as_of() = in.as_of;
  return request;
}

// The initiative and its outcomes as an evaluator sees them: without the human rating,
// which the computed track must not see (CompareRatings sets the two side by side), and
// without etags and times, so a rating's input hash changes only with what it could use.
void AddSubject(const PlanInput& in, const v1::Initiative& initiative,
                v1::EvaluateRequest* request) {
  v1::EvaluationSubject* subject = request->add_subjects();
  v1::Initiative* seen = subject->mutable_initiative();
  *seen = initiative;
  seen->clear_human_rating();
  seen->clear_etag();
  seen->clear_create_time();
  seen->clear_update_time();
  if (!initiative.relists().empty()) subject->add_markers("再掲");
  if (auto found = in.outcomes.find(initiative.name()); found != in.outcomes.end()) {
    for (const v1::Outcome& outcome : found->second) {
      v1::Outcome* added = subject->add_outcomes();
      *added = outcome;
      added->clear_etag();
      added->clear_update_time();
    }
  }
}

}  // namespace

std::string InputSha256(const v1::EvaluateRequest& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

absl::StatusOr<v1::RatingServiceEvaluateResponse> Ratings::Evaluate(
    const v1::RatingServiceEvaluateRequest& request, absl::string_view trigger) {
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
  absl::StatusOr<PlanInput> in = LoadPlanInput(store_, request.plan());
  if (!in.ok()) return in.status();

  v1::EvaluateRequest batch = RequestHead(*in);
  if (request.initiatives_size() > 0) {
    for (const std::string& wanted : request.initiatives()) {
      bool found = false;
      for (const v1::Initiative& initiative : in->initiatives) {
        if (initiative.name() != wanted) continue;
        AddSubject(*in, initiative, &batch);
        found = true;
      }
      if (!found) return absl::NotFoundError(absl::StrCat("initiative '", wanted, "' not found"));
    }
  } else {
    for (const v1::Initiative& initiative : in->initiatives) {
      if (request.area().empty() || initiative.area() == request.area())
        AddSubject(*in, initiative, &batch);
    }
  }
  v1::RatingServiceEvaluateResponse response;
  if (batch.subjects().empty()) return response;

  const std::string key = absl::StrCat(in->rule_set.name(), "@", in->rule_set.version());
  auto instance = host_.CompileCached(in->rule_set.evaluator(), key, in->rule_set.body());
  if (!instance.ok()) {
    return absl::Status(instance.status().code(),
                        absl::StrCat("rule set '", key, "' (evaluator '", in->rule_set.evaluator(),
                                     "'): ", instance.status().message()));
  }
  absl::StatusOr<v1::EvaluateResponse> evaluated = host_.Evaluate(*instance, batch);
  if (!evaluated.ok()) {
    return absl::Status(evaluated.status().code(),
                        absl::StrCat("evaluating plan '", request.plan(), "' with '", key,
                                     "': ", evaluated.status().message()));
  }
  // The version of the library that ran, which a reload during the call does not change.
  const std::string evaluator_version = (*instance)->evaluator_version();
  google::protobuf::Timestamp now;
  const absl::Time t = absl::Now();
  now.set_seconds(absl::ToUnixSeconds(t));
  now.set_nanos(
      static_cast<int32_t>((t - absl::FromUnixSeconds(now.seconds())) / absl::Nanoseconds(1)));
  std::map<std::string, const v1::EvaluationSubject*> subjects;
  for (const v1::EvaluationSubject& subject : batch.subjects())
    subjects[subject.initiative().name()] = &subject;
  std::vector<v1::ComputedRating> ratings;
  for (const v1::InitiativeEvaluation& e : evaluated->evaluations()) {
    v1::ComputedRating& rating = ratings.emplace_back();
    rating.set_initiative(e.initiative());
    if (e.has_insufficient_data()) {
      rating.set_insufficient_data(true);
    } else {
      rating.set_grade(e.grade());
    }
    rating.set_evaluator(in->rule_set.evaluator());
    rating.set_evaluator_version(evaluator_version);
    rating.set_rule_set(in->rule_set.name());
    rating.set_rule_set_version(in->rule_set.version());
    *rating.mutable_fired_rules() = e.fired_rules();
    *rating.mutable_facts() = e.facts();
    rating.set_reason(e.reason());
    // The hash covers this initiative's part of the request only, so it changes exactly
    // when what the evaluator saw of this initiative (or the scale, as-of or body) changes.
    v1::EvaluateRequest one = RequestHead(*in);
    if (auto subject = subjects.find(e.initiative()); subject != subjects.end()) {
      *one.add_subjects() = *subject->second;
    }
    rating.set_input_sha256(InputSha256(one));
    *rating.mutable_compute_time() = now;
    rating.set_trigger(std::string(trigger));
  }
  if (!request.dry_run()) {
    if (absl::Status recorded = store_.RecordRatings(ratings); !recorded.ok()) return recorded;
  }
  for (v1::ComputedRating& rating : ratings) *response.add_ratings() = std::move(rating);
  return response;
}

absl::StatusOr<v1::ListRatingsResponse> Ratings::List(const v1::ListRatingsRequest& request) {
  absl::StatusOr<std::vector<v1::ComputedRating>> ratings =
      store_.ListRatings(request.plan(), request.initiative(), request.history());
  if (!ratings.ok()) return ratings.status();
  v1::ListRatingsResponse response;
  for (v1::ComputedRating& rating : *ratings) *response.add_ratings() = std::move(rating);
  return response;
}

absl::StatusOr<v1::ExplainRatingResponse> Ratings::Explain(
    const v1::ExplainRatingRequest& request) {
  absl::StatusOr<InitiativeName> name = ParseInitiativeName(request.initiative(), "initiative");
  if (!name.ok()) return name.status();
  absl::StatusOr<v1::Initiative> initiative = store_.GetInitiative(request.initiative());
  if (!initiative.ok()) return initiative.status();
  absl::StatusOr<std::vector<v1::ComputedRating>> ratings =
      store_.ListRatings(name->PlanName(), request.initiative(), false);
  if (!ratings.ok()) return ratings.status();
  if (ratings->empty()) {
    return absl::NotFoundError(
        absl::StrCat("initiative '", request.initiative(),
                     "' has no computed rating yet; evaluate its plan first"));
  }
  v1::ExplainRatingResponse response;
  *response.mutable_computed() = ratings->front();
  *response.mutable_human() = initiative->human_rating();
  *response.mutable_initiative() = *std::move(initiative);
  return response;
}

absl::Status Ratings::RerateInitiative(absl::string_view initiative, absl::string_view trigger) {
  absl::StatusOr<InitiativeName> name = ParseInitiativeName(initiative, "initiative");
  if (!name.ok()) return name.status();
  absl::StatusOr<v1::Plan> plan = store_.GetPlan(name->PlanName());
  if (!plan.ok()) return plan.status();
  if (plan->rule_set().empty()) return absl::OkStatus();
  v1::RatingServiceEvaluateRequest request;
  request.set_plan(plan->name());
  request.add_initiatives(std::string(initiative));
  return Evaluate(request, trigger).status();
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
