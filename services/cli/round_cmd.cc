// torikumi round: the year-end rating round of a plan — open it, see its progress, review
// entry after entry (accept the computed grade or override it with a reason), close it.
#include "absl/strings/str_cat.h"
#include "services/cli/command.h"
#include "services/cli/display.h"
#include "services/cli/flag_values.h"
#include "services/cli/names.h"
#include "services/cli/table_printer.h"
#include "torikumi/v1/rating_round_service.grpc.pb.h"

namespace torikumi::cli {
namespace {

using Stub = v1::RatingRoundService::Stub;

std::string FormatProgress(const v1::RatingRoundProgress& p) {
  return absl::StrCat(p.reviewed(), " of ", p.total(), " reviewed (", p.accepted(), " accepted, ",
                      p.overridden(), " overridden)");
}

std::string FormatState(v1::RatingRound::State state) {
  switch (state) {
    case v1::RatingRound::STATE_OPEN:
      return "open";
    case v1::RatingRound::STATE_CLOSED:
      return "closed";
    default:
      return "-";
  }
}

std::string FormatProposal(const v1::RatingRoundEntry& entry) {
  return entry.proposed_grade().empty() ? "insufficient data" : entry.proposed_grade();
}

void PrintRound(CliContext& ctx, const v1::RatingRound& round) {
  PrintFields(ctx.out(), {{"name", round.name()},
                          {"year", FormatYear(round.fiscal_year())},
                          {"state", FormatState(round.state())},
                          {"progress", FormatProgress(round.progress())},
                          {"etag", round.etag()}});
  TablePrinter areas({{"area"}, {"reviewed"}, {"of"}, {"accepted"}, {"overridden"}});
  for (const v1::RatingRoundProgress& area : round.area_progress()) {
    areas.AddRow({area.area(), absl::StrCat(area.reviewed()), absl::StrCat(area.total()),
                  absl::StrCat(area.accepted()), absl::StrCat(area.overridden())});
  }
  areas.Print(ctx.out());
}

void PrintEntry(CliContext& ctx, const v1::RatingRoundEntry& entry,
                const v1::RatingRoundProgress& progress) {
  PrintFields(
      ctx.out(),
      {{"initiative", entry.initiative()},
       {"title", absl::StrCat(entry.area(), " ", entry.number(), " ", OneLine(entry.title()))},
       {"proposed", FormatProposal(entry)},
       {"why", OneLine(entry.proposed_reason())},
       {"grade", entry.grade()},
       {"reviewer", entry.reviewer()},
       {"reason", OneLine(entry.reason())},
       {"progress", FormatProgress(progress)}});
}

int Open(const ParsedArgs& args, CliContext& ctx) {
  v1::OpenRatingRoundRequest request;
  request.set_parent(PlanNameArg(args.positionals()[0]));
  auto year = ParseYearFlag(*args.Get("year"), /*allow_period=*/false);
  if (!year.ok()) return ctx.FlagError("year", year.status());
  request.set_fiscal_year(*year);
  return CallAndPrint(
      ctx, &Stub::OpenRatingRound, request,
      [&](const v1::OpenRatingRoundResponse& r) { PrintRound(ctx, r.rating_round()); });
}

int Status(const ParsedArgs& args, CliContext& ctx) {
  v1::GetRatingRoundRequest request;
  request.set_name(RatingRoundNameArg(args.positionals()[0]));
  return CallAndPrint(
      ctx, &Stub::GetRatingRound, request,
      [&](const v1::GetRatingRoundResponse& r) { PrintRound(ctx, r.rating_round()); });
}

int Next(const ParsedArgs& args, CliContext& ctx) {
  v1::NextRatingRoundEntryRequest request;
  request.set_name(RatingRoundNameArg(args.positionals()[0]));
  request.set_area(args.GetOr("area", ""));
  return CallAndPrint(
      ctx, &Stub::NextRatingRoundEntry, request, [&](const v1::NextRatingRoundEntryResponse& r) {
        if (!r.has_entry()) {
          ctx.out() << "every entry is reviewed: " << FormatProgress(r.progress()) << "\n";
          return;
        }
        PrintEntry(ctx, r.entry(), r.progress());
      });
}

int Accept(const ParsedArgs& args, CliContext& ctx) {
  v1::AcceptRatingRequest request;
  request.set_name(RatingRoundNameArg(args.positionals()[0]));
  request.set_initiative(RoundInitiativeArg(request.name(), args.positionals()[1]));
  request.set_etag(args.GetOr("etag", ""));
  return CallAndPrint(ctx, &Stub::AcceptRating, request, [&](const v1::AcceptRatingResponse& r) {
    PrintEntry(ctx, r.entry(), r.progress());
  });
}

int Override(const ParsedArgs& args, CliContext& ctx) {
  v1::OverrideRatingRequest request;
  request.set_name(RatingRoundNameArg(args.positionals()[0]));
  request.set_initiative(RoundInitiativeArg(request.name(), args.positionals()[1]));
  request.set_grade(*args.Get("grade"));
  request.set_reason(args.GetOr("reason", ""));
  request.set_etag(args.GetOr("etag", ""));
  return CallAndPrint(
      ctx, &Stub::OverrideRating, request,
      [&](const v1::OverrideRatingResponse& r) { PrintEntry(ctx, r.entry(), r.progress()); });
}

int Close(const ParsedArgs& args, CliContext& ctx) {
  v1::CloseRatingRoundRequest request;
  request.set_name(RatingRoundNameArg(args.positionals()[0]));
  request.set_etag(args.GetOr("etag", ""));
  return CallAndPrint(
      ctx, &Stub::CloseRatingRound, request,
      [&](const v1::CloseRatingRoundResponse& r) { PrintRound(ctx, r.rating_round()); });
}

int Reopen(const ParsedArgs& args, CliContext& ctx) {
  v1::ReopenRatingRoundRequest request;
  request.set_name(RatingRoundNameArg(args.positionals()[0]));
  request.set_reason(args.GetOr("reason", ""));
  request.set_etag(args.GetOr("etag", ""));
  return CallAndPrint(
      ctx, &Stub::ReopenRatingRound, request,
      [&](const v1::ReopenRatingRoundResponse& r) { PrintRound(ctx, r.rating_round()); });
}

constexpr char kRoundArg[] =
    "ROUND is a name such as organizations/city/plans/hr/ratingRounds/2022, or city/hr/2022.";

}  // namespace

std::vector<Command> RoundCommands() {
  const FlagSpec etag{"etag", "ETAG", "only if the round still has this etag"};
  return {
      {{.path = "round open",
        .summary = "Open the year-end rating round of a plan: every computed grade is proposed.",
        .positionals = {"PLAN"},
        .flags = {{"year", "YEAR", "the fiscal year reviewed (2022, R4, 令和4年度)", true}},
        .details = "example:\n  torikumi round open city/hr --year R4"},
       Open},
      {{.path = "round status",
        .summary = "A round's state and progress: n of m reviewed, by area.",
        .positionals = {"ROUND"},
        .details = kRoundArg},
       Status},
      {{.path = "round next",
        .summary = "The next entry of a round not reviewed yet, with its proposed grade.",
        .positionals = {"ROUND"},
        .flags = {{"area", "AREA", "only entries of this area"}},
        .details = kRoundArg},
       Next},
      {{.path = "round accept",
        .summary = "Accept the proposed (computed) grade as the human grade.",
        .positionals = {"ROUND", "INITIATIVE"},
        .flags = {etag},
        .details = absl::StrCat(kRoundArg,
                                "\nINITIATIVE is a full name or the id within the "
                                "plan.\nexample:\n  torikumi round accept city/hr/2022 "
                                "i3")},
       Accept},
      {{.path = "round override",
        .summary = "Give another grade than the proposed one, with the reason.",
        .positionals = {"ROUND", "INITIATIVE"},
        .flags = {{"grade", "GRADE", "a grade code of the plan's scale", true},
                  {"reason", "TEXT", "why the computed grade is not taken (required)"},
                  etag},
        .details = absl::StrCat(kRoundArg,
                                "\nexample:\n  torikumi round override city/hr/2022 "
                                "i7 --grade B --reason '一部未実施'")},
       Override},
      {{.path = "round close",
        .summary = "Close a fully reviewed round: the plan's grades become read-only.",
        .positionals = {"ROUND"},
        .flags = {etag},
        .details = kRoundArg},
       Close},
      {{.path = "round reopen",
        .summary = "Reopen a closed round so its grades can change again (a reason is required).",
        .positionals = {"ROUND"},
        .flags = {{"reason", "TEXT", "why the closed grades must change (required)"}, etag},
        .details = kRoundArg},
       Reopen},
  };
}

}  // namespace torikumi::cli
