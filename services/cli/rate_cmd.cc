// torikumi rate: record a person's rating (評価) of an initiative, with the reason.
#include "services/cli/command.h"
#include "services/cli/display.h"
#include "services/cli/names.h"
#include "services/cli/table_printer.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"

namespace torikumi::cli {
namespace {

int Rate(const ParsedArgs& args, CliContext& ctx) {
  v1::RateInitiativeRequest request;
  request.set_name(InitiativeNameArg(args.positionals()[0]));
  request.set_grade(*args.Get("grade"));
  request.set_rater(*args.Get("rater"));
  request.set_reason(args.GetOr("reason", ""));
  request.set_etag(args.GetOr("etag", ""));

  return CallAndPrint(ctx, &v1::InitiativeService::Stub::RateInitiative, request,
                      [&](const v1::RateInitiativeResponse& r) {
                        const v1::Initiative& initiative = r.initiative();
                        PrintFields(ctx.out(),
                                    {
                                        {"name", initiative.name()},
                                        {"title", initiative.title()},
                                        {"rating", request.grade().empty()
                                                       ? "(cleared)"
                                                       : FormatRating(initiative.human_rating())},
                                        {"etag", initiative.etag()},
                                    });
                      });
}

}  // namespace

std::vector<Command> RateCommands() {
  return {
      {{.path = "rate",
        .summary = "Record a person's rating (評価) of an initiative, with the reason.",
        .positionals = {"INITIATIVE"},
        .flags = {{"grade", "GRADE", "a grade code of the plan's scale (A, B, C …); empty clears",
                   true},
                  {"rater", "NAME", "who rates", true},
                  {"reason", "TEXT", "why this grade"},
                  {"etag", "ETAG", "only if the initiative still has this etag"}},
        .details = "INITIATIVE is a name such as organizations/city/plans/hr/initiatives/i12, "
                   "or city/hr/i12.\nexample:\n  torikumi rate city/hr/i3 --grade B --rater 人事課 "
                   "--reason 'その他の難関資格は検討中'"},
       Rate},
  };
}

}  // namespace torikumi::cli
