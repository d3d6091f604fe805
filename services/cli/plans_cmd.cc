// torikumi plans list|get|create|delete
#include "absl/strings/str_join.h"
#include "services/cli/command.h"
#include "services/cli/display.h"
#include "services/cli/flag_values.h"
#include "services/cli/names.h"
#include "services/cli/table_printer.h"
#include "torikumi/v1/plan_service.grpc.pb.h"

namespace torikumi::cli {
namespace {

using v1::PlanService;

void PrintPlan(CliContext& ctx, const v1::Plan& plan) {
  PrintFields(ctx.out(), {
                             {"name", plan.name()},
                             {"title", plan.title()},
                             {"period", FormatPeriod(plan.period())},
                             {"areas", absl::StrJoin(plan.areas(), ", ")},
                             {"scale", FormatScale(plan.rating_scale())},
                             {"rule set", plan.rule_set()},
                             {"created", FormatTimestamp(plan.create_time())},
                             {"updated", FormatTimestamp(plan.update_time())},
                             {"etag", plan.etag()},
                         });
}

int List(const ParsedArgs& args, CliContext& ctx) {
  v1::ListPlansRequest request;
  // Without --org, the plans of every organization.
  request.set_parent(args.Has("org") ? OrganizationNameArg(*args.Get("org")) : "organizations/-");
  request.set_title_contains(args.GetOr("title-contains", ""));
  request.set_page_size(1000);
  return ListAndPrint(
      ctx, &PlanService::Stub::ListPlans, request,
      [](v1::ListPlansResponse& r) { return r.mutable_plans(); },
      [&](const v1::ListPlansResponse& all) {
        TablePrinter table({{"NAME"}, {"TITLE", 50}, {"PERIOD"}, {"AREAS", 40}});
        for (const auto& plan : all.plans()) {
          table.AddRow({plan.name(), plan.title(), FormatPeriod(plan.period()),
                        absl::StrJoin(plan.areas(), ", ")});
        }
        table.Print(ctx.out());
        ctx.out() << all.plans_size() << " plan(s)\n";
      });
}

int Get(const ParsedArgs& args, CliContext& ctx) {
  v1::GetPlanRequest request;
  request.set_name(PlanNameArg(args.positionals()[0]));
  return CallAndPrint(ctx, &PlanService::Stub::GetPlan, request,
                      [&](const v1::GetPlanResponse& r) { PrintPlan(ctx, r.plan()); });
}

int Create(const ParsedArgs& args, CliContext& ctx) {
  v1::CreatePlanRequest request;
  request.set_parent(OrganizationNameArg(*args.Get("org")));
  request.set_plan_id(args.GetOr("id", ""));
  request.set_request_id(args.GetOr("request-id", ""));
  v1::Plan& plan = *request.mutable_plan();
  plan.set_title(*args.Get("title"));

  auto period = ParsePeriodFlag(*args.Get("period"));
  if (!period.ok()) return ctx.FlagError("period", period.status());
  *plan.mutable_period() = *period;
  if (auto text = args.Get("areas")) {
    auto areas = ParseAreasFlag(*text);
    if (!areas.ok()) return ctx.FlagError("areas", areas.status());
    for (auto& area : *areas) plan.add_areas(std::move(area));
  }
  if (auto text = args.Get("scale")) {
    auto scale = ParseScaleFlag(*text);
    if (!scale.ok()) return ctx.FlagError("scale", scale.status());
    *plan.mutable_rating_scale() = *scale;
  }

  return CallAndPrint(ctx, &PlanService::Stub::CreatePlan, request,
                      [&](const v1::CreatePlanResponse& r) { PrintPlan(ctx, r.plan()); });
}

int Delete(const ParsedArgs& args, CliContext& ctx) {
  v1::DeletePlanRequest request;
  request.set_name(PlanNameArg(args.positionals()[0]));
  request.set_force(args.Has("force"));
  request.set_etag(args.GetOr("etag", ""));
  return CallAndPrint(
      ctx, &PlanService::Stub::DeletePlan, request,
      [&](const v1::DeletePlanResponse&) { ctx.out() << "deleted " << request.name() << "\n"; });
}

}  // namespace

std::vector<Command> PlanCommands() {
  const std::string name_help =
      "PLAN is a name such as organizations/city/plans/hr, or just the ids: city/hr.";
  return {
      {{.path = "plans list",
        .summary = "List plans, of one organization or of all.",
        .flags = {{"org", "ORGANIZATION", "only this organization's plans (e.g. city)"},
                  {"title-contains", "TEXT", "only plans whose title contains TEXT"}}},
       List},
      {{.path = "plans get",
        .summary = "Show one plan.",
        .positionals = {"PLAN"},
        .details = name_help},
       Get},
      {{.path = "plans create",
        .summary = "Create a plan of an organization.",
        .flags = {{"org", "ORGANIZATION", "the organization running the plan (e.g. city)", true},
                  {"title", "TEXT", "e.g. 人材育成推進プラン", true},
                  {"period", "FIRST-LAST", "fiscal years covered: H30-R4 or 2018-2022", true},
                  {"areas", "LIST", "areas in display order: 職員研修,組織文化,働きやすい環境"},
                  {"scale", "LIST", "grades, best first: CODE=LABEL[:MEANING],…"},
                  {"id", "ID", "the plan id in the name; generated if not given"},
                  {"request-id", "ID", "a retry with the same request id creates nothing twice"}},
        .details =
            "example:\n  torikumi plans create --org city --title 人材育成推進プラン "
            "--period H30-R4 \\\n    --areas 職員研修,組織文化,働きやすい環境 \\\n"
            "    --scale 'A=実施できた,B=概ね実施できた:一部実施できなかった,C=実施できなかった'"},
       Create},
      {{.path = "plans delete",
        .summary = "Delete a plan.",
        .positionals = {"PLAN"},
        .flags = {{"force", "", "also delete its initiatives and outcomes"},
                  {"etag", "ETAG", "only if the plan still has this etag"}},
        .details = name_help},
       Delete},
  };
}

}  // namespace torikumi::cli
