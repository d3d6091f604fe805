// torikumi initiatives list|get|create|update|delete
#include "absl/strings/str_cat.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/cli/command.h"
#include "services/cli/display.h"
#include "services/cli/flag_values.h"
#include "services/cli/names.h"
#include "services/cli/table_printer.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"

namespace torikumi::cli {
namespace {

using v1::InitiativeService;

void PrintInitiative(CliContext& ctx, const v1::Initiative& initiative) {
  PrintFields(ctx.out(), {
                             {"name", initiative.name()},
                             {"area", initiative.area()},
                             {"theme", initiative.theme()},
                             {"subtheme", initiative.subtheme()},
                             {"number", absl::StrCat(initiative.number())},
                             {"title", initiative.title()},
                             {"kind", FormatKind(initiative.kind())},
                             {"schedule", FormatSchedule(initiative.schedule())},
                             {"relists", initiative.relists()},
                             {"rating", FormatRating(initiative.human_rating())},
                             {"created", FormatTimestamp(initiative.create_time())},
                             {"updated", FormatTimestamp(initiative.update_time())},
                             {"etag", initiative.etag()},
                         });
}

// Reads the flags shared by create and update into `initiative`; each flag given is also
// added to `mask` (when not null) so update changes exactly what was asked for.
int ReadInitiativeFlags(const ParsedArgs& args, CliContext& ctx, v1::Initiative& initiative,
                        google::protobuf::FieldMask* mask) {
  auto mark = [&](const char* path) {
    if (mask != nullptr) mask->add_paths(path);
  };
  if (auto v = args.Get("area")) {
    initiative.set_area(*v);
    mark("area");
  }
  if (auto v = args.Get("theme")) {
    initiative.set_theme(*v);
    mark("theme");
  }
  if (auto v = args.Get("subtheme")) {
    initiative.set_subtheme(*v);
    mark("subtheme");
  }
  if (auto v = args.Get("title")) {
    initiative.set_title(*v);
    mark("title");
  }
  if (auto v = args.Get("relists")) {
    initiative.set_relists(v->empty() ? "" : InitiativeNameArg(*v));
    mark("relists");
  }
  if (auto v = args.Get("number")) {
    auto number = ParseIntFlag(*v);
    if (!number.ok()) return ctx.FlagError("number", number.status());
    initiative.set_number(*number);
    mark("number");
  }
  if (auto v = args.Get("kind")) {
    auto kind = ParseKindFlag(*v);
    if (!kind.ok()) return ctx.FlagError("kind", kind.status());
    initiative.set_kind(*kind);
    mark("kind");
  }
  if (auto v = args.Get("schedule")) {
    auto schedule = ParseScheduleFlag(*v);
    if (!schedule.ok()) return ctx.FlagError("schedule", schedule.status());
    for (auto& entry : *schedule) *initiative.add_schedule() = std::move(entry);
    mark("schedule");
  }
  return kExitOk;
}

// A page (or with --all every page) of a plan's initiatives, with where to go on from there.
void PrintInitiatives(CliContext& ctx, const std::string& plan,
                      const v1::ListInitiativesResponse& shown) {
  TablePrinter table(
      {{"ID"}, {"AREA", 16}, {"NO"}, {"KIND"}, {"TITLE", 50}, {"SCHEDULE", 40}, {"GRADE"}});
  for (const auto& initiative : shown.initiatives()) {
    table.AddRow({LastSegment(initiative.name()), initiative.area(),
                  absl::StrCat(initiative.number()), FormatKind(initiative.kind()),
                  initiative.title(), FormatSchedule(initiative.schedule()),
                  initiative.human_rating().grade()});
  }
  table.Print(ctx.out());
  ctx.out() << shown.initiatives_size() << " of " << shown.total_size() << " initiative(s) in "
            << plan << "\n";
  if (!shown.next_page_token().empty()) {
    ctx.out() << "more: --page-token " << shown.next_page_token() << " (or --all)\n";
  }
}

int List(const ParsedArgs& args, CliContext& ctx) {
  v1::ListInitiativesRequest request;
  request.set_parent(PlanNameArg(*args.Get("plan")));
  v1::InitiativeFilter& filter = *request.mutable_filter();
  filter.set_area(args.GetOr("area", ""));
  filter.set_theme(args.GetOr("theme", ""));
  filter.set_grade(args.GetOr("grade", ""));
  filter.set_text_contains(args.GetOr("text", ""));
  if (auto v = args.Get("kind")) {
    auto kind = ParseKindFlag(*v);
    if (!kind.ok()) return ctx.FlagError("kind", kind.status());
    filter.set_kind(*kind);
  }
  if (auto v = args.Get("year")) {
    auto year = ParseYearFlag(*v, /*allow_period=*/false);
    if (!year.ok()) return ctx.FlagError("year", year.status());
    filter.set_fiscal_year(*year);
  }
  if (auto v = args.Get("page-size")) {
    auto size = ParseIntFlag(*v);
    if (!size.ok()) return ctx.FlagError("page-size", size.status());
    request.set_page_size(*size);
  }
  request.set_page_token(args.GetOr("page-token", ""));

  return ListAndPrint(
      ctx, &InitiativeService::Stub::ListInitiatives, request,
      [](v1::ListInitiativesResponse& r) { return r.mutable_initiatives(); },
      [&](const v1::ListInitiativesResponse& shown) {
        PrintInitiatives(ctx, request.parent(), shown);
      },
      /*all_pages=*/args.Has("all"));
}

int Get(const ParsedArgs& args, CliContext& ctx) {
  v1::GetInitiativeRequest request;
  request.set_name(InitiativeNameArg(args.positionals()[0]));
  return CallAndPrint(
      ctx, &InitiativeService::Stub::GetInitiative, request,
      [&](const v1::GetInitiativeResponse& r) { PrintInitiative(ctx, r.initiative()); });
}

int Create(const ParsedArgs& args, CliContext& ctx) {
  v1::CreateInitiativeRequest request;
  request.set_parent(PlanNameArg(*args.Get("plan")));
  request.set_initiative_id(args.GetOr("id", ""));
  request.set_request_id(args.GetOr("request-id", ""));
  if (int rc = ReadInitiativeFlags(args, ctx, *request.mutable_initiative(), nullptr);
      rc != kExitOk) {
    return rc;
  }
  return CallAndPrint(
      ctx, &InitiativeService::Stub::CreateInitiative, request,
      [&](const v1::CreateInitiativeResponse& r) { PrintInitiative(ctx, r.initiative()); });
}

int Update(const ParsedArgs& args, CliContext& ctx) {
  v1::UpdateInitiativeRequest request;
  v1::Initiative& initiative = *request.mutable_initiative();
  initiative.set_name(InitiativeNameArg(args.positionals()[0]));
  initiative.set_etag(args.GetOr("etag", ""));
  if (int rc = ReadInitiativeFlags(args, ctx, initiative, request.mutable_update_mask());
      rc != kExitOk) {
    return rc;
  }
  if (request.update_mask().paths().empty()) {
    return ctx.UsageError(
        "nothing to update: give at least one of --title, --area, --theme, "
        "--subtheme, --number, --kind, --schedule, --relists");
  }
  return CallAndPrint(
      ctx, &InitiativeService::Stub::UpdateInitiative, request,
      [&](const v1::UpdateInitiativeResponse& r) { PrintInitiative(ctx, r.initiative()); });
}

int Delete(const ParsedArgs& args, CliContext& ctx) {
  v1::DeleteInitiativeRequest request;
  request.set_name(InitiativeNameArg(args.positionals()[0]));
  request.set_force(args.Has("force"));
  request.set_etag(args.GetOr("etag", ""));
  return CallAndPrint(ctx, &InitiativeService::Stub::DeleteInitiative, request,
                      [&](const v1::DeleteInitiativeResponse&) {
                        ctx.out() << "deleted " << request.name() << "\n";
                      });
}

// The fields of an initiative, shared by create (where some are required) and update.
std::vector<FlagSpec> InitiativeFieldFlags(bool for_create) {
  return {
      {"area", "AREA", "one of the plan's areas, e.g. 職員研修", for_create},
      {"number", "N", "the number shown before the title, unique within the area", for_create},
      {"title", "TEXT", "具体的な取組", for_create},
      {"theme", "TEXT", "中項目"},
      {"subtheme", "TEXT", "小項目"},
      {"kind", "KIND", "new (新規) or continuing (継続)"},
      {"schedule", "LIST", "one phase per year: YEAR=研究|検討|試行|実施|⇒,…"},
      {"relists", "INITIATIVE", "（再掲）: the initiative this one lists again"},
  };
}

const char kInitiativeNameHelp[] =
    "INITIATIVE is a name such as organizations/city/plans/hr/initiatives/i12, or just the\n"
    "ids: city/hr/i12. PLAN likewise: organizations/city/plans/hr or city/hr.";

}  // namespace

std::vector<Command> InitiativeCommands() {
  std::vector<FlagSpec> create_flags = {{"plan", "PLAN", "the plan (e.g. city/hr)", true}};
  for (auto& flag : InitiativeFieldFlags(true)) create_flags.push_back(flag);
  create_flags.push_back({"id", "ID", "the initiative id in the name; generated if not given"});
  create_flags.push_back(
      {"request-id", "ID", "a retry with the same request id creates nothing twice"});

  std::vector<FlagSpec> update_flags = InitiativeFieldFlags(false);
  update_flags.push_back({"etag", "ETAG", "only if the initiative still has this etag"});

  return {
      {{.path = "initiatives list",
        .summary = "List the initiatives of a plan, filtered; shows the total.",
        .flags = {{"plan", "PLAN", "the plan (e.g. city/hr)", true},
                  {"area", "AREA", "only this area"},
                  {"theme", "TEXT", "only this theme (中項目)"},
                  {"kind", "KIND", "only new or continuing initiatives"},
                  {"grade", "GRADE", "only this rating grade; - for not rated yet"},
                  {"year", "YEAR", "only initiatives scheduled in this fiscal year (R4, 2022)"},
                  {"text", "TEXT", "title, theme, subtheme or an outcome contains TEXT"},
                  {"page-size", "N", "at most N per page (default 50)"},
                  {"page-token", "TOKEN", "continue from an earlier page"},
                  {"all", "", "follow every page"}},
        .details = kInitiativeNameHelp},
       List},
      {{.path = "initiatives get",
        .summary = "Show one initiative.",
        .positionals = {"INITIATIVE"},
        .details = kInitiativeNameHelp},
       Get},
      {{.path = "initiatives create",
        .summary = "Add an initiative to a plan.",
        .flags = create_flags,
        .details = "example:\n  torikumi initiatives create --plan city/hr --area 職員研修 "
                   "--number 3 \\\n    --title 業務に関する難関資格取得後の経費の一部支援 "
                   "--kind new \\\n    --schedule 'H30=検討,R1=実施,R2=⇒,R3=⇒,R4=⇒'"},
       Create},
      {{.path = "initiatives update",
        .summary = "Change the fields given as flags (and only those) of an initiative.",
        .positionals = {"INITIATIVE"},
        .flags = update_flags,
        .details = "An empty value clears a field: --relists= removes the link.\n" +
                   std::string(kInitiativeNameHelp)},
       Update},
      {{.path = "initiatives delete",
        .summary = "Delete an initiative.",
        .positionals = {"INITIATIVE"},
        .flags = {{"force", "", "also when it has outcomes or is re-listed elsewhere"},
                  {"etag", "ETAG", "only if the initiative still has this etag"}},
        .details = kInitiativeNameHelp},
       Delete},
  };
}

}  // namespace torikumi::cli
