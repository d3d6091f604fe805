// torikumi outcomes set|list
#include "absl/strings/match.h"
#include "services/cli/command.h"
#include "services/cli/display.h"
#include "services/cli/flag_values.h"
#include "services/cli/names.h"
#include "services/cli/table_printer.h"
#include "torikumi/v1/outcome_service.grpc.pb.h"

namespace torikumi::cli {
namespace {

using v1::OutcomeService;

void PrintOutcome(CliContext& ctx, const v1::Outcome& outcome) {
  PrintFields(ctx.out(), {
                             {"name", outcome.name()},
                             {"year", FormatYear(outcome.fiscal_year())},
                             {"status", FormatStatus(outcome.status())},
                             {"as of", FormatDate(outcome.as_of())},
                             {"metrics", FormatMetrics(outcome.metrics())},
                             {"text", outcome.text()},
                             {"updated", FormatTimestamp(outcome.update_time())},
                             {"etag", outcome.etag()},
                         });
}

int Set(const ParsedArgs& args, CliContext& ctx) {
  v1::UpsertOutcomeRequest request;
  request.set_parent(InitiativeNameArg(args.positionals()[0]));
  request.set_etag(args.GetOr("etag", ""));
  v1::Outcome& outcome = *request.mutable_outcome();
  auto year = ParseYearFlag(*args.Get("year"), /*allow_period=*/true);
  if (!year.ok()) return ctx.FlagError("year", year.status());
  outcome.set_fiscal_year(*year);
  outcome.set_text(*args.Get("text"));
  if (auto v = args.Get("status")) {
    auto status = ParseStatusFlag(*v);
    if (!status.ok()) return ctx.FlagError("status", status.status());
    outcome.set_status(*status);
  }
  if (auto v = args.Get("metric")) {
    auto metrics = ParseMetricsFlag(*v);
    if (!metrics.ok()) return ctx.FlagError("metric", metrics.status());
    for (auto& metric : *metrics) *outcome.add_metrics() = std::move(metric);
  }
  if (auto v = args.Get("as-of")) {
    auto date = ParseDateFlag(*v);
    if (!date.ok()) return ctx.FlagError("as-of", date.status());
    *outcome.mutable_as_of() = *date;
  }

  return CallAndPrint(ctx, &OutcomeService::Stub::UpsertOutcome, request,
                      [&](const v1::UpsertOutcomeResponse& r) {
                        ctx.out() << (r.created() ? "created" : "updated") << "\n";
                        PrintOutcome(ctx, r.outcome());
                      });
}

// The initiative part of an outcome name: ".../initiatives/i12/outcomes/fy2022" → "i12".
std::string InitiativeIdOf(absl::string_view outcome_name) {
  size_t at = outcome_name.rfind("/outcomes/");
  if (at == absl::string_view::npos) return std::string(outcome_name);
  return LastSegment(outcome_name.substr(0, at));
}

void PrintOutcomes(CliContext& ctx, absl::string_view parent, const v1::ListOutcomesResponse& all) {
  // A plan-wide listing (".../initiatives/-") needs to say which initiative each row is.
  const bool every_initiative = absl::EndsWith(parent, "/initiatives/-");
  std::vector<TablePrinter::Column> columns;
  if (every_initiative) columns.push_back({"INITIATIVE"});
  for (TablePrinter::Column column : std::initializer_list<TablePrinter::Column>{
           {"YEAR"}, {"STATUS"}, {"AS OF"}, {"METRICS", 30}, {"TEXT", 60}}) {
    columns.push_back(std::move(column));
  }
  TablePrinter table(std::move(columns));
  for (const auto& outcome : all.outcomes()) {
    std::vector<std::string> row;
    if (every_initiative) row.push_back(InitiativeIdOf(outcome.name()));
    row.push_back(FormatYear(outcome.fiscal_year()));
    row.push_back(FormatStatus(outcome.status()));
    row.push_back(FormatDate(outcome.as_of()));
    row.push_back(FormatMetrics(outcome.metrics()));
    row.push_back(outcome.text());
    table.AddRow(std::move(row));
  }
  table.Print(ctx.out());
  ctx.out() << all.outcomes_size() << " outcome(s)\n";
}

int List(const ParsedArgs& args, CliContext& ctx) {
  v1::ListOutcomesRequest request;
  request.set_parent(InitiativeNameArg(args.positionals()[0]));
  if (auto v = args.Get("year")) {
    auto year = ParseYearFlag(*v, /*allow_period=*/false);
    if (!year.ok()) return ctx.FlagError("year", year.status());
    request.set_fiscal_year(*year);
  }
  request.set_page_size(1000);

  return ListAndPrint(
      ctx, &OutcomeService::Stub::ListOutcomes, request,
      [](v1::ListOutcomesResponse& r) { return r.mutable_outcomes(); },
      [&](const v1::ListOutcomesResponse& all) { PrintOutcomes(ctx, request.parent(), all); });
}

}  // namespace

std::vector<Command> OutcomeCommands() {
  return {
      {{.path = "outcomes set",
        .summary = "Record (create or replace) the outcome (取組状況) of an initiative for a year.",
        .positionals = {"INITIATIVE"},
        .flags = {{"year", "YEAR", "the fiscal year (R4, 2022 …) or period for the whole plan",
                   true},
                  {"text", "TEXT", "the outcome as the department wrote it", true},
                  {"status", "STATUS",
                   "implemented, partly, not-implemented, in-progress, scheduled or unknown"},
                  {"metric", "LIST", "figures: [LABEL=]VALUE[UNIT][/OUT_OF],… e.g. 庁内=468人"},
                  {"as-of", "DATE", "reported up to this date, e.g. 2022-08-31 for R4（～8月）"},
                  {"etag", "ETAG", "only if the stored outcome still has this etag"}},
        .details = "INITIATIVE is a name such as organizations/city/plans/hr/initiatives/i12, "
                   "or city/hr/i12.\nexample:\n  torikumi outcomes set city/hr/i6 --year R4 "
                   "--text '・庁内 ※実施中' --status in-progress --as-of 2022-08-31"},
       Set},
      {{.path = "outcomes list",
        .summary = "List the outcomes of an initiative, or of every initiative of a plan.",
        .positionals = {"INITIATIVE"},
        .flags = {{"year", "YEAR", "only this fiscal year"}},
        .details =
            "INITIATIVE is an initiative (city/hr/i12 or its full name), or PLAN/initiatives/-\n"
            "(city/hr/-) for every initiative of the plan."},
       List},
  };
}

}  // namespace torikumi::cli
