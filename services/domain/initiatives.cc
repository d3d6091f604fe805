#include "services/domain/initiatives.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/common/timestamp.h"
#include "services/domain/etag_retry.h"
#include "services/domain/field_mask.h"
#include "services/domain/normalize.h"
#include "services/domain/page_token.h"
#include "services/domain/plan_records.h"
#include "services/domain/text_limits.h"
#include "services/domain/validation.h"

namespace torikumi::domain {
namespace {

// The most initiatives one BatchCreate may carry (a whole seed table is about a hundred).
constexpr int kMaxBatchSize = 1000;

const UpdatePolicy& InitiativeUpdatePolicy() {
  static const UpdatePolicy* policy = new UpdatePolicy{
      {"area", "theme", "subtheme", "number", "title", "kind", "schedule", "relists",
       "human_rating"},
      {"name", "create_time", "update_time", "etag"},
  };
  return *policy;
}

bool HasViolationOn(const FieldViolations& violations, absl::string_view field) {
  for (const auto& v : violations.bad_request().field_violations()) {
    if (v.field() == field) return true;
  }
  return false;
}

// An empty rating message is no rating; a new rating without a time is rated now.
void SettleHumanRating(v1::Initiative* initiative) {
  if (!initiative->has_human_rating()) return;
  if (initiative->human_rating().grade().empty()) {
    initiative->clear_human_rating();
  } else if (!initiative->human_rating().has_rate_time()) {
    *initiative->mutable_human_rating()->mutable_rate_time() = NowTimestamp();
  }
}

// Normalises and validates `initiative` (whose name is set) against its plan, and checks that
// the initiative it re-lists exists — in the store or, for a batch, among `batch_names` (the
// initiatives created before it in the same batch). Returns store failures; adds violations.
absl::Status PrepareInitiative(store::Store& store, const v1::Plan& plan,
                               const std::set<std::string>& batch_names, absl::string_view path,
                               v1::Initiative* initiative, FieldViolations* violations) {
  NormalizeInitiative(initiative, path, violations);
  AdoptPlanArea(plan, initiative);
  ValidateInitiative(*initiative, plan, path, violations);
  SettleHumanRating(initiative);

  std::string relists_path = absl::StrCat(path, ".relists");
  if (initiative->relists().empty() || HasViolationOn(*violations, relists_path) ||
      batch_names.count(initiative->relists()) > 0) {
    return absl::OkStatus();
  }
  absl::StatusOr<v1::Initiative> target = store.GetInitiative(initiative->relists());
  if (absl::IsNotFound(target.status())) {
    violations->Add(relists_path, absl::StrCat(Quoted(initiative->relists()),
                                               " is not an initiative of plan ", plan.name()));
    return absl::OkStatus();
  }
  return target.status();
}

}  // namespace

absl::StatusOr<v1::GetInitiativeResponse> Initiatives::Get(
    const v1::GetInitiativeRequest& request) {
  absl::StatusOr<InitiativeName> name = ParseInitiativeName(request.name(), "name");
  if (!name.ok()) return name.status();
  absl::StatusOr<v1::Initiative> initiative = store_.GetInitiative(request.name());
  if (!initiative.ok()) return initiative.status();
  v1::GetInitiativeResponse response;
  *response.mutable_initiative() = *std::move(initiative);
  return response;
}

absl::StatusOr<v1::ListInitiativesResponse> Initiatives::List(
    const v1::ListInitiativesRequest& request) {
  absl::StatusOr<PlanName> parent = ParsePlanName(request.parent(), "parent");
  if (!parent.ok()) return parent.status();
  FieldViolations violations;
  v1::InitiativeFilter filter = request.filter();
  NormalizeInitiativeFilter(&filter, "filter", &violations);
  ValidateInitiativeFilter(filter, "filter", &violations);
  if (!violations.empty()) return violations.ToStatus();
  // An unknown plan is NOT_FOUND rather than an empty list.
  absl::StatusOr<v1::Plan> plan = store_.GetPlan(request.parent());
  if (!plan.ok()) return plan.status();

  // The filter is normalised before it enters the fingerprint, so "Ｒ" and "R" page alike.
  const std::string query =
      absl::StrCat("initiatives\n", request.parent(), "\n", filter.SerializeAsString());
  absl::StatusOr<store::Page> page =
      PageFromRequest(request.page_size(), request.page_token(), query);
  if (!page.ok()) return page.status();
  absl::StatusOr<store::ListResult<v1::Initiative>> result =
      store_.ListInitiatives(request.parent(), filter, *page);
  if (!result.ok()) return result.status();
  v1::ListInitiativesResponse response;
  for (v1::Initiative& initiative : result->items)
    *response.add_initiatives() = std::move(initiative);
  response.set_next_page_token(
      NextPageToken(*page, response.initiatives_size(), result->total, query));
  response.set_total_size(TotalSize(result->total));
  return response;
}

absl::StatusOr<v1::CreateInitiativeResponse> Initiatives::Create(
    const v1::CreateInitiativeRequest& request) {
  absl::StatusOr<PlanName> parent = ParsePlanName(request.parent(), "parent");
  if (!parent.ok()) return parent.status();
  absl::StatusOr<v1::Plan> plan = store_.GetPlan(request.parent());
  if (!plan.ok()) return plan.status();

  FieldViolations violations;
  ValidateOptionalId(request.initiative_id(), "initiative_id", &violations);
  v1::Initiative initiative = request.initiative();
  std::string id = request.initiative_id().empty() || !IsValidId(request.initiative_id())
                       ? GenerateId('i')
                       : request.initiative_id();
  initiative.set_name(InitiativeName{parent->organization, parent->plan, id}.Format());
  if (absl::Status s = PrepareInitiative(store_, *plan, {}, "initiative", &initiative, &violations);
      !s.ok()) {
    return s;
  }
  if (!violations.empty()) return violations.ToStatus();

  absl::StatusOr<v1::Initiative> created =
      store_.CreateInitiative(initiative, request.request_id());
  if (!created.ok()) return created.status();
  if (triggers_ != nullptr) triggers_->InitiativeChanged(created->name(), kTriggerInitiative);
  v1::CreateInitiativeResponse response;
  *response.mutable_initiative() = *std::move(created);
  return response;
}

absl::StatusOr<v1::BatchCreateInitiativesResponse> Initiatives::BatchCreate(
    const v1::BatchCreateInitiativesRequest& request) {
  absl::StatusOr<PlanName> parent = ParsePlanName(request.parent(), "parent");
  if (!parent.ok()) return parent.status();
  if (request.requests_size() > kMaxBatchSize) {
    return InvalidField("requests",
                        absl::StrCat(request.requests_size(), " initiatives in one batch; at most ",
                                     kMaxBatchSize));
  }
  absl::StatusOr<v1::Plan> plan = store_.GetPlan(request.parent());
  if (!plan.ok()) return plan.status();

  FieldViolations violations;
  std::vector<v1::Initiative> initiatives;
  std::set<std::string> names;
  std::map<std::pair<std::string, int>, int> area_numbers;
  for (int i = 0; i < request.requests_size(); ++i) {
    const v1::CreateInitiativeRequest& item = request.requests(i);
    const std::string path = absl::StrCat("requests[", i, "]");
    if (!item.parent().empty() && item.parent() != request.parent()) {
      violations.Add(
          absl::StrCat(path, ".parent"),
          absl::StrCat(Quoted(item.parent()), " differs from the batch parent ", request.parent()));
    }
    const std::string id_path = absl::StrCat(path, ".initiative_id");
    ValidateOptionalId(item.initiative_id(), id_path, &violations);
    std::string id = item.initiative_id().empty() || !IsValidId(item.initiative_id())
                         ? GenerateId('i')
                         : item.initiative_id();
    v1::Initiative initiative = item.initiative();
    initiative.set_name(InitiativeName{parent->organization, parent->plan, id}.Format());
    if (names.count(initiative.name()) > 0) {
      violations.Add(id_path, absl::StrCat(Quoted(id), " is used twice in this batch"));
    }
    const std::string initiative_path = absl::StrCat(path, ".initiative");
    if (absl::Status s =
            PrepareInitiative(store_, *plan, names, initiative_path, &initiative, &violations);
        !s.ok()) {
      return s;
    }
    // The store would refuse these too, but only as a bare ALREADY_EXISTS for the whole batch.
    auto [it, inserted] =
        area_numbers.emplace(std::make_pair(initiative.area(), initiative.number()), i);
    if (!inserted && initiative.number() >= 1) {
      violations.Add(absl::StrCat(initiative_path, ".number"),
                     absl::StrCat(initiative.number(), " in area ", Quoted(initiative.area()),
                                  " repeats requests[", it->second, "]"));
    }
    names.insert(initiative.name());
    initiatives.push_back(std::move(initiative));
  }
  if (!violations.empty()) return violations.ToStatus();

  absl::StatusOr<std::vector<v1::Initiative>> created =
      store_.BatchCreateInitiatives(initiatives, request.request_id());
  if (!created.ok()) return created.status();
  if (triggers_ != nullptr) triggers_->PlanChanged(request.parent(), kTriggerInitiative);
  v1::BatchCreateInitiativesResponse response;
  for (v1::Initiative& initiative : *created) *response.add_initiatives() = std::move(initiative);
  return response;
}

absl::StatusOr<v1::UpdateInitiativeResponse> Initiatives::Update(
    const v1::UpdateInitiativeRequest& request) {
  const v1::Initiative& change = request.initiative();
  absl::StatusOr<InitiativeName> name = ParseInitiativeName(change.name(), "initiative.name");
  if (!name.ok()) return name.status();
  if (absl::Status mask = CheckUpdateMask(request.update_mask(), InitiativeUpdatePolicy());
      !mask.ok()) {
    return mask;
  }

  // The rating the update leads to is recorded in the update's own transaction.
  std::optional<store::RatingAfterWrite> rating;
  absl::StatusOr<v1::Initiative> updated = ReadModifyWrite(
      change.name(), change.etag(), [&] { return store_.GetInitiative(change.name()); },
      [&](const v1::Initiative& current,
          absl::string_view expected_etag) -> absl::StatusOr<v1::Initiative> {
        absl::StatusOr<v1::Plan> plan = store_.GetPlan(name->PlanName());
        if (!plan.ok()) return plan.status();
        v1::Initiative merged = current;
        ApplyUpdateMask(request.update_mask(), InitiativeUpdatePolicy(), change, &merged);
        FieldViolations violations;
        if (absl::Status s =
                PrepareInitiative(store_, *plan, {}, "initiative", &merged, &violations);
            !s.ok()) {
          return s;
        }
        if (!violations.empty()) return violations.ToStatus();
        if (triggers_ != nullptr) {
          rating = triggers_->RatingBeforeWrite(
              merged.name(), kTriggerInitiative,
              [&](PlanRecords* records) { ReplaceInitiative(merged, records); });
        }
        return store_.UpdateInitiative(merged, expected_etag, rating ? &*rating : nullptr);
      });
  if (!updated.ok()) return updated.status();
  if (triggers_ != nullptr)
    triggers_->InitiativeWritten(updated->name(), kTriggerInitiative, rating);
  v1::UpdateInitiativeResponse response;
  *response.mutable_initiative() = *std::move(updated);
  return response;
}

absl::StatusOr<v1::DeleteInitiativeResponse> Initiatives::Delete(
    const v1::DeleteInitiativeRequest& request) {
  absl::StatusOr<InitiativeName> name = ParseInitiativeName(request.name(), "name");
  if (!name.ok()) return name.status();
  if (absl::Status deleted =
          store_.DeleteInitiative(request.name(), request.force(), request.etag());
      !deleted.ok()) {
    return deleted;
  }
  return v1::DeleteInitiativeResponse();
}

absl::StatusOr<v1::RateInitiativeResponse> Initiatives::Rate(
    const v1::RateInitiativeRequest& request) {
  absl::StatusOr<InitiativeName> name = ParseInitiativeName(request.name(), "name");
  if (!name.ok()) return name.status();
  FieldViolations violations;
  std::string grade = request.grade();
  std::string rater = request.rater();
  NormalizeText(&grade, "grade", &violations);
  NormalizeText(&rater, "rater", &violations);
  CheckUtf8(request.reason(), "reason", &violations);
  CheckTextLength(rater, kMaxLabelChars, "rater", &violations);
  CheckTextLength(request.reason(), kMaxTextChars, "reason", &violations);
  if (!violations.empty()) return violations.ToStatus();

  absl::StatusOr<v1::Initiative> rated = ReadModifyWrite(
      request.name(), request.etag(), [&] { return store_.GetInitiative(request.name()); },
      [&](const v1::Initiative& current,
          absl::string_view expected_etag) -> absl::StatusOr<v1::Initiative> {
        v1::Initiative initiative = current;
        if (grade.empty()) {
          // Clearing needs no scale: it only removes what was recorded.
          initiative.clear_human_rating();
        } else {
          absl::StatusOr<v1::Plan> plan = store_.GetPlan(name->PlanName());
          if (!plan.ok()) return plan.status();
          if (plan->rating_scale().grades().empty()) {
            return absl::FailedPreconditionError(
                absl::StrCat("plan ", plan->name(),
                             " has no rating scale; set plan.rating_scale before rating"));
          }
          FieldViolations rating_violations;
          if (!IsGradeOnScale(*plan, grade)) {
            rating_violations.Add(
                "grade", absl::StrCat(Quoted(grade), " is not a grade of plan ", plan->name(),
                                      " (grades: ", GradeCodes(*plan), ")"));
          }
          if (rater.empty()) rating_violations.Add("rater", "is required: who gives the rating");
          if (!rating_violations.empty()) return rating_violations.ToStatus();
          v1::HumanRating* rating = initiative.mutable_human_rating();
          rating->set_grade(grade);
          rating->set_rater(rater);
          rating->set_reason(request.reason());
          *rating->mutable_rate_time() = NowTimestamp();
        }
        return store_.UpdateInitiative(initiative, expected_etag);
      });
  if (!rated.ok()) return rated.status();
  v1::RateInitiativeResponse response;
  *response.mutable_initiative() = *std::move(rated);
  return response;
}

}  // namespace torikumi::domain
