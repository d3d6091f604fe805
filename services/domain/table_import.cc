#include "services/domain/table_import.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/common/text.h"
#include "services/domain/etag_retry.h"
#include "services/domain/list_all.h"
#include "services/domain/normalize.h"
#include "services/domain/validation.h"
#include "services/table/finding.h"
#include "services/table/table_reader.h"

namespace torikumi::domain {
namespace {

// An initiative by area and number, the area in its MatchingKey form: a plan stored before
// names were kept as written holds OJT研修 where the table writes ＯＪＴ研修.
using Key = std::pair<std::string, int>;

Key KeyOf(const v1::Initiative& initiative) {
  return {MatchingKey(initiative.area()), initiative.number()};
}

// Where the import goes, as the options say: the organization and, for an update, the plan.
struct Destination {
  std::string organization;
  // Set when options.plan names an existing plan to update.
  std::string existing_plan;
  // The name of the plan to create; empty for a dry run without a plan_id (the real import
  // generates the id).
  std::string new_plan;
};

absl::StatusOr<Destination> CheckOptions(const v1::ImportTableOptions& options) {
  FieldViolations violations;
  Destination destination;
  std::optional<std::string> parent;
  if (!options.parent().empty()) {
    absl::StatusOr<std::string> organization =
        ParseOrganizationName(options.parent(), "options.parent");
    if (organization.ok()) {
      parent = options.parent();
    } else {
      violations.Add("options.parent",
                     absl::StrCat(Quoted(options.parent()),
                                  " is not an organization name: organizations/{organization}"));
    }
  }
  if (!options.plan().empty()) {
    absl::StatusOr<PlanName> plan = ParsePlanName(options.plan(), "options.plan");
    if (!plan.ok()) {
      violations.Add("options.plan", absl::StrCat(Quoted(options.plan()),
                                                  " is not a plan name: "
                                                  "organizations/{organization}/plans/{plan}"));
    } else {
      destination.existing_plan = options.plan();
      destination.organization = plan->OrganizationName();
      if (parent.has_value() && *parent != destination.organization) {
        violations.Add("options.parent",
                       absl::StrCat(Quoted(*parent), " is not the organization of options.plan ",
                                    Quoted(options.plan())));
      }
    }
    if (!options.plan_id().empty()) {
      violations.Add("options.plan_id",
                     "names a new plan, so it cannot be combined with options.plan (an existing "
                     "plan to update)");
    }
  } else {
    if (!parent.has_value() && options.parent().empty()) {
      violations.Add("options.parent",
                     "is required: the organization that runs the plan (or give options.plan)");
    }
    if (parent.has_value()) destination.organization = *parent;
    ValidateOptionalId(options.plan_id(), "options.plan_id", &violations);
  }
  if (!v1::TableEncoding_IsValid(options.encoding())) {
    violations.Add("options.encoding",
                   absl::StrCat(static_cast<int>(options.encoding()), " is not a known encoding"));
  }
  if (!violations.empty()) return violations.ToStatus();
  if (destination.existing_plan.empty() && !options.plan_id().empty()) {
    absl::StatusOr<PlanName> organization = ParsePlanName(
        absl::StrCat(destination.organization, "/plans/", options.plan_id()), "options.plan_id");
    if (!organization.ok()) return organization.status();
    destination.new_plan = organization->Format();
  }
  return destination;
}

table::Encoding ReaderEncoding(v1::TableEncoding encoding) {
  switch (encoding) {
    case v1::TABLE_ENCODING_UTF8:
      return table::Encoding::kUtf8;
    case v1::TABLE_ENCODING_CP932:
      return table::Encoding::kCp932;
    default:
      return table::Encoding::kAuto;
  }
}

// INVALID_ARGUMENT listing every finding of severity error: each is something the reader
// left out, and importing the rest would store a plan that is not the table.
absl::Status ErrorFindings(const std::vector<table::Finding>& findings) {
  FieldViolations violations;
  for (const table::Finding& f : findings) {
    if (f.severity != table::Severity::kError) continue;
    violations.Add(absl::StrCat("table:", f.line, ":", f.column),
                   absl::StrCat("error: '", f.text, "' — ", f.action));
  }
  return violations.ToStatus();
}

// Why the import of a table with these findings is refused; empty when it may go ahead.
std::string Refusal(const std::vector<table::Finding>& findings, bool strict) {
  int errors = 0;
  int above_info = 0;
  for (const table::Finding& f : findings) {
    if (f.severity == table::Severity::kError) ++errors;
    if (f.severity != table::Severity::kInfo) ++above_info;
  }
  if (errors > 0) {
    return absl::StrCat(errors, errors == 1 ? " finding" : " findings",
                        " of severity error: the reader left something out, so the plan would "
                        "not be the table; fix the table and import it again");
  }
  if (strict && above_info > 0) {
    return absl::StrCat("strict: the reader repaired or guessed ", above_info,
                        above_info == 1 ? " time" : " times");
  }
  return "";
}

// gRPC sends an error's message and details as HTTP/2 headers, which clients take only up
// to about 8 KiB (and non-ASCII text is percent-encoded, tripling it). A table can have
// hundreds of problems, so an error names the first few, each cut short, and how many more
// there are.
constexpr int kMaxReportedViolations = 5;
constexpr size_t kMaxReportedBytes = 300;

absl::Status Condensed(const absl::Status& status) {
  std::vector<google::rpc::BadRequest::FieldViolation> all = FieldViolationsOf(status);
  if (all.empty()) return status;
  const int total = static_cast<int>(all.size());
  FieldViolations kept;
  for (int i = 0; i < total && i < kMaxReportedViolations; ++i) {
    kept.Add(all[i].field(), CutUtf8(all[i].description(), kMaxReportedBytes));
  }
  std::string message =
      absl::StrCat(all[0].field(), ": ", CutUtf8(all[0].description(), kMaxReportedBytes));
  if (total > 1) {
    absl::StrAppend(&message, " (and ", total - 1, " more");
    if (total > kMaxReportedViolations) {
      kept.Add("table", absl::StrCat(total - kMaxReportedViolations,
                                     " more not listed here; an import with dry_run lists "
                                     "every finding"));
      absl::StrAppend(&message, "; an import with dry_run lists every finding");
    }
    absl::StrAppend(&message, ")");
  }
  absl::Status condensed(status.code(), message);
  condensed.SetPayload(kBadRequestPayloadUrl, absl::Cord(kept.bad_request().SerializeAsString()));
  return condensed;
}

// " (table line 13: 職員研修 3)", so a violation says where in the file to look.
std::string TableLocation(const table::ImportedInitiative& item) {
  std::string where = absl::StrCat(item.initiative.area(), " ", item.initiative.number());
  if (item.source_line > 0)
    return absl::StrCat(" (table line ", item.source_line, ": ", where, ")");
  return absl::StrCat(" (", where, ")");
}

// Copies `from` into `to`, each description followed by `suffix`.
void AddWithSuffix(const FieldViolations& from, absl::string_view suffix, FieldViolations* to) {
  for (const auto& violation : from.bad_request().field_violations()) {
    to->Add(violation.field(), absl::StrCat(violation.description(), suffix));
  }
}

// The plan as the table gives it, normalised and validated, named `name`. The rule set is
// not part of a table: a new plan has none and an existing one keeps its own.
v1::Plan PlanFromTable(const v1::Plan& read, const std::string& name, const v1::Plan* existing,
                       FieldViolations* violations) {
  v1::Plan plan;
  plan.set_name(name);
  plan.set_title(read.title());
  *plan.mutable_period() = read.period();
  *plan.mutable_areas() = read.areas();
  *plan.mutable_rating_scale() = read.rating_scale();
  *plan.mutable_table_layout() = read.table_layout();
  if (existing != nullptr) plan.set_rule_set(existing->rule_set());
  NormalizePlan(&plan, "plan", violations);
  ValidatePlan(plan, "plan", violations);
  return plan;
}

// An update must not strand what the plan already has and the table does not replace: an
// initiative in an area the table drops or with a grade off the new scale, an outcome in a
// year outside the new period. FAILED_PRECONDITION lists everything in the way.
absl::Status CheckExistingStillFits(
    store::Store& store, const v1::Plan& plan, const std::map<Key, v1::Initiative>& existing,
    const std::set<Key>& imported, const std::set<std::pair<std::string, int>>& replaced_outcomes) {
  std::vector<std::string> problems;
  std::set<std::string> kept_names;
  for (const auto& [key, initiative] : existing) {
    if (imported.count(key) > 0) continue;
    FieldViolations violations;
    ValidateInitiative(initiative, plan, "initiative", &violations);
    for (const auto& violation : violations.bad_request().field_violations()) {
      problems.push_back(absl::StrCat(initiative.name(), " (", key.first, " ", key.second,
                                      ", not in the table): ", violation.field(), " ",
                                      violation.description()));
    }
  }
  absl::StatusOr<std::vector<v1::Outcome>> outcomes = ListAll<v1::Outcome>([&](store::Page page) {
    return store.ListOutcomes(absl::StrCat(plan.name(), "/initiatives/-"), std::nullopt, page);
  });
  if (!outcomes.ok()) return outcomes.status();
  for (const v1::Outcome& outcome : *outcomes) {
    absl::StatusOr<OutcomeName> name = ParseOutcomeName(outcome.name(), "outcome.name");
    if (!name.ok()) return name.status();
    const int year = outcome.fiscal_year();
    if (year == 0 ||
        (year >= plan.period().first_fiscal_year() && year <= plan.period().last_fiscal_year())) {
      continue;
    }
    if (replaced_outcomes.count({name->initiative.Format(), year}) > 0) continue;
    problems.push_back(
        absl::StrCat(outcome.name(), ": fiscal year ", year, " is outside the table's period ",
                     plan.period().first_fiscal_year(), "..", plan.period().last_fiscal_year()));
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("plan ", plan.name(), " cannot take this table: ", absl::StrJoin(problems, "; "),
                   "; change or delete those first"));
}

// Keeps the stored rating (with its rater, time and reason) when the table gives the same
// grade again; a new grade is rated now, like RateInitiative; no grade is no rating.
void SettleRating(const v1::Initiative* stored, v1::Initiative* initiative) {
  if (initiative->human_rating().grade().empty()) {
    initiative->clear_human_rating();
    return;
  }
  if (initiative->human_rating().has_rate_time()) return;
  if (stored != nullptr && stored->human_rating().grade() == initiative->human_rating().grade()) {
    *initiative->mutable_human_rating() = stored->human_rating();
    return;
  }
  *initiative->mutable_human_rating()->mutable_rate_time() =
      google::protobuf::util::TimeUtil::GetCurrentTime();
}

// The table as read, and why importing it would be refused (empty when it may go ahead).
struct ReadForImport {
  table::ParsedTable table;
  std::string refusal;
};

// Reads the bytes. Unless this is a dry run (which reports every finding instead), a table
// the import would refuse is an error here.
absl::StatusOr<ReadForImport> ReadTableForImport(const v1::ImportTableOptions& options,
                                                 absl::string_view bytes) {
  table::ReadOptions read_options;
  read_options.encoding = ReaderEncoding(options.encoding());
  read_options.strict = options.strict() && !options.dry_run();
  absl::StatusOr<table::ParsedTable> table = table::ReadTable(bytes, read_options);
  if (!table.ok()) return table.status();
  std::string refusal = Refusal(table->findings, options.strict());
  if (!refusal.empty() && !options.dry_run()) {
    absl::Status errors = ErrorFindings(table->findings);
    return errors.ok() ? table::StrictStatus(table->findings) : errors;
  }
  if (table->initiatives.size() > static_cast<size_t>(kMaxImportedInitiatives)) {
    return InvalidField(
        "table", absl::StrCat("the table has ", table->initiatives.size(),
                              " initiatives; one import takes at most ", kMaxImportedInitiatives));
  }
  return ReadForImport{*std::move(table), std::move(refusal)};
}

// What a plan being updated holds now: the plan and its initiatives by area and number.
// Empty for a new plan.
struct ExistingPlan {
  std::optional<v1::Plan> plan;
  std::map<Key, v1::Initiative> initiatives;

  const v1::Initiative* Find(const Key& key) const {
    auto found = initiatives.find(key);
    return found == initiatives.end() ? nullptr : &found->second;
  }
};

absl::StatusOr<ExistingPlan> LoadExistingPlan(store::Store& store, const std::string& name) {
  ExistingPlan existing;
  if (name.empty()) return existing;
  absl::StatusOr<v1::Plan> plan = store.GetPlan(name);
  if (!plan.ok()) return plan.status();
  existing.plan = *std::move(plan);
  absl::StatusOr<std::vector<v1::Initiative>> initiatives = ListAll<v1::Initiative>(
      [&](store::Page page) { return store.ListInitiatives(name, v1::InitiativeFilter(), page); });
  if (!initiatives.ok()) return initiatives.status();
  for (v1::Initiative& initiative : *initiatives) {
    Key key = KeyOf(initiative);
    existing.initiatives.emplace(std::move(key), std::move(initiative));
  }
  return existing;
}

// The outcomes of one table row, normalised and validated against `plan`, into `item`.
void OutcomesFromTable(const table::ImportedInitiative& read, const std::string& path,
                       const v1::Plan& plan, store::InitiativeImport* item,
                       FieldViolations* violations) {
  std::set<int> years;
  for (size_t k = 0; k < read.outcomes.size(); ++k) {
    const std::string outcome_path = absl::StrCat(path, ".outcomes[", k, "]");
    v1::Outcome outcome = read.outcomes[k];
    outcome.clear_name();
    outcome.clear_update_time();
    outcome.clear_etag();
    NormalizeOutcome(&outcome, outcome_path, violations);
    ValidateOutcome(outcome, plan, outcome_path, violations);
    if (!years.insert(outcome.fiscal_year()).second) {
      violations->Add(absl::StrCat(outcome_path, ".fiscal_year"),
                      absl::StrCat(outcome.fiscal_year(), " appears twice"));
    }
    item->outcomes.push_back(std::move(outcome));
  }
}

// One initiative of the table as the store takes it, normalised and validated against
// `plan` like the single-resource methods do; its key goes into `keys`.
store::InitiativeImport ItemFromTable(const table::ImportedInitiative& read, size_t index,
                                      const v1::Plan& plan, const ExistingPlan& existing,
                                      std::set<Key>* keys, FieldViolations* violations) {
  const std::string path = absl::StrCat("initiatives[", index, "]");
  FieldViolations item_violations;
  store::InitiativeImport item;
  v1::Initiative& initiative = item.initiative;
  initiative = read.initiative;
  // Names from a JSON export belong to the plan it came from; the store names them.
  initiative.clear_name();
  initiative.clear_relists();
  initiative.clear_create_time();
  initiative.clear_update_time();
  initiative.clear_etag();
  NormalizeInitiative(&initiative, path, &item_violations);
  AdoptPlanArea(plan, &initiative);
  ValidateInitiative(initiative, plan, path, &item_violations);
  Key key = KeyOf(initiative);
  if (!keys->insert(key).second) {
    item_violations.Add(
        absl::StrCat(path, ".number"),
        absl::StrCat(initiative.number(), " appears twice in area ", Quoted(initiative.area())));
  }
  SettleRating(existing.Find(key), &initiative);
  item.new_id = GenerateId('i');
  OutcomesFromTable(read, path, plan, &item, &item_violations);
  AddWithSuffix(item_violations, TableLocation(read), violations);
  return item;
}

// Links each （再掲） to its original, in the table or already in the plan.
void ResolveRelists(const std::vector<table::ImportedInitiative>& read, const std::set<Key>& keys,
                    const ExistingPlan& existing, std::vector<store::InitiativeImport>* items,
                    FieldViolations* violations) {
  for (size_t i = 0; i < read.size(); ++i) {
    if (!read[i].relists.has_value()) continue;
    // The reader's key is in the table's own text; match it as the items' keys are made.
    v1::Initiative original;
    original.set_area(read[i].relists->area);
    original.set_number(read[i].relists->number);
    Key target = KeyOf(original);
    const std::string field = absl::StrCat("initiatives[", i, "].relists");
    const v1::Initiative& initiative = (*items)[i].initiative;
    if (target == KeyOf(initiative)) {
      violations->Add(field,
                      absl::StrCat("（再掲） names the initiative itself", TableLocation(read[i])));
    } else if (keys.count(target) == 0 && existing.Find(target) == nullptr) {
      violations->Add(field,
                      absl::StrCat("（再掲） names ", Quoted(target.first), " ", target.second,
                                   ", which neither the table nor the plan "
                                   "has",
                                   TableLocation(read[i])));
    } else {
      // The store matches areas by their NFKC form too.
      (*items)[i].relists = store::InitiativeKey{target.first, target.second};
    }
  }
}

// For an update: what the plan has and the table does not replace must still fit.
absl::Status CheckUpdateFits(store::Store& store, const store::PlanImport& import,
                             const ExistingPlan& existing, const std::set<Key>& keys) {
  std::set<std::pair<std::string, int>> replaced_outcomes;
  for (const store::InitiativeImport& item : import.initiatives) {
    const v1::Initiative* stored = existing.Find(KeyOf(item.initiative));
    if (stored == nullptr) continue;
    for (const v1::Outcome& outcome : item.outcomes) {
      replaced_outcomes.insert({stored->name(), outcome.fiscal_year()});
    }
  }
  return CheckExistingStillFits(store, import.plan, existing.initiatives, keys, replaced_outcomes);
}

// What every response says: the table's encoding, areas, ratings and findings.
v1::ImportTableResponse ResponseForTable(const ReadForImport& read, const store::PlanImport& import,
                                         bool dry_run) {
  v1::ImportTableResponse response;
  response.set_dry_run(dry_run);
  response.set_detected_encoding(read.table.detected_encoding);
  response.set_areas(import.plan.areas_size());
  int ratings = 0;
  for (const store::InitiativeImport& item : import.initiatives) {
    if (!item.initiative.human_rating().grade().empty()) ++ratings;
  }
  response.set_ratings(ratings);
  for (const table::Finding& finding : read.table.findings) {
    *response.add_findings() = table::ToProto(finding);
  }
  return response;
}

// A dry run's answer: what the import would do, and why it would be refused.
void DescribeDryRun(const ReadForImport& read, const store::PlanImport& import,
                    const ExistingPlan& existing, v1::ImportTableResponse* response) {
  response->set_refusal(read.refusal);
  response->set_plan(import.plan.name());
  response->set_plan_created(import.create_plan);
  int updated = 0;
  int outcomes = 0;
  for (const store::InitiativeImport& item : import.initiatives) {
    if (existing.Find(KeyOf(item.initiative)) != nullptr) ++updated;
    outcomes += static_cast<int>(item.outcomes.size());
  }
  response->set_initiatives_updated(updated);
  response->set_initiatives_created(static_cast<int>(import.initiatives.size()) - updated);
  response->set_outcomes_written(outcomes);
}

// The plan, initiatives and outcomes the import writes, checked against the plan as it is
// now; a violation of a rule of the plan is INVALID_ARGUMENT naming every one.
absl::StatusOr<store::PlanImport> PrepareImport(store::Store& store, const ReadForImport& read,
                                                const std::string& plan_name,
                                                const ExistingPlan& existing) {
  FieldViolations violations;
  store::PlanImport import;
  const v1::Plan* existing_plan = existing.plan ? &*existing.plan : nullptr;
  import.plan = PlanFromTable(read.table.plan, plan_name, existing_plan, &violations);
  import.create_plan = existing_plan == nullptr;
  if (existing_plan != nullptr) import.expected_plan_etag = existing_plan->etag();
  // Keys first for every item, so a re-list can point at any item of the table.
  std::set<Key> keys;
  for (size_t i = 0; i < read.table.initiatives.size(); ++i) {
    import.initiatives.push_back(
        ItemFromTable(read.table.initiatives[i], i, import.plan, existing, &keys, &violations));
  }
  ResolveRelists(read.table.initiatives, keys, existing, &import.initiatives, &violations);
  if (!violations.empty()) return violations.ToStatus();
  if (existing_plan != nullptr) {
    if (absl::Status fits = CheckUpdateFits(store, import, existing, keys); !fits.ok()) return fits;
  }
  return import;
}

// One read-check-write of the import, on the plan as it is now.
absl::StatusOr<v1::ImportTableResponse> ImportOnce(store::Store& store,
                                                   const v1::ImportTableOptions& options,
                                                   const Destination& destination,
                                                   const ReadForImport& read) {
  absl::StatusOr<ExistingPlan> existing = LoadExistingPlan(store, destination.existing_plan);
  if (!existing.ok()) return existing.status();
  std::string plan_name =
      existing->plan.has_value() ? destination.existing_plan : destination.new_plan;
  if (plan_name.empty() && !options.dry_run()) {
    plan_name = absl::StrCat(destination.organization, "/plans/", GenerateId('p'));
  }
  absl::StatusOr<store::PlanImport> import = PrepareImport(store, read, plan_name, *existing);
  if (!import.ok()) return import.status();

  v1::ImportTableResponse response = ResponseForTable(read, *import, options.dry_run());
  if (options.dry_run()) {
    DescribeDryRun(read, *import, *existing, &response);
    return response;
  }
  absl::StatusOr<store::ImportResult> result = store.ImportPlan(*import);
  if (!result.ok()) return result.status();
  response.set_plan(result->plan.name());
  response.set_plan_created(result->plan_created);
  response.set_initiatives_created(result->initiatives_created);
  response.set_initiatives_updated(result->initiatives_updated);
  response.set_outcomes_written(result->outcomes_written);
  return response;
}

}  // namespace

absl::StatusOr<v1::ImportTableResponse> TableImporter::Import(const v1::ImportTableOptions& options,
                                                              absl::string_view bytes) {
  absl::StatusOr<v1::ImportTableResponse> response = ImportUncondensed(options, bytes);
  if (!response.ok()) return Condensed(response.status());
  // Outcomes of many initiatives changed at once: the plan is re-rated in the background.
  if (!response->dry_run() && triggers_ != nullptr) {
    response->set_rating_job(triggers_->PlanChanged(response->plan(), kTriggerImport));
  }
  return response;
}

absl::StatusOr<v1::ImportTableResponse> TableImporter::ImportUncondensed(
    const v1::ImportTableOptions& options, absl::string_view bytes) {
  absl::StatusOr<Destination> destination = CheckOptions(options);
  if (!destination.ok()) return destination.status();
  if (absl::StatusOr<v1::Organization> organization =
          store_.GetOrganization(destination->organization);
      !organization.ok()) {
    return organization.status();
  }
  absl::StatusOr<ReadForImport> read = ReadTableForImport(options, bytes);
  if (!read.ok()) return read.status();
  if (destination->existing_plan.empty() && !destination->new_plan.empty() &&
      store_.GetPlan(destination->new_plan).ok()) {
    return absl::AlreadyExistsError(
        absl::StrCat("plan ", destination->new_plan,
                     " already exists; to update it in place, import with options.plan"));
  }
  // The update is checked against the plan as read; should the plan change before the write,
  // the store refuses the stale etag and the whole check runs again on the new state.
  return RetryOnStaleEtag(/*caller_sent_etag=*/false,
                          [&] { return ImportOnce(store_, options, *destination, *read); });
}

}  // namespace torikumi::domain
