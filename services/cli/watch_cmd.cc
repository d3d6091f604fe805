// torikumi watch: follows the change feed of a plan or an organization, one line per change.
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/cli/command.h"
#include "services/cli/display.h"
#include "services/cli/names.h"
#include "services/cli/resource_kinds.h"
#include "torikumi/v1/change_service.grpc.pb.h"

namespace torikumi::cli {

namespace {

// "CREATED initiative organizations/…" without the enum prefixes, in lower case.
std::string Describe(const v1::ChangeEvent& event) {
  std::string type = v1::ChangeType_Name(event.type()).substr(sizeof("CHANGE_TYPE_") - 1);
  std::string kind = v1::ResourceKind_Name(event.kind()).substr(sizeof("RESOURCE_KIND_") - 1);
  return absl::StrCat(event.cursor(), "\t", FormatTimestamp(event.commit_time()), "\t", type, "\t",
                      absl::AsciiStrToLower(kind), "\t", event.name());
}

void PrintEvent(CliContext& ctx, const v1::ChangeEvent& event) {
  if (!ctx.json()) {
    ctx.out() << Describe(event) << "\n";
    return;
  }
  std::string json;
  // One compact JSON document per line (JSON Lines), so a script can read them as they come.
  if (google::protobuf::util::MessageToJsonString(event, &json).ok()) ctx.out() << json << "\n";
}

int Watch(const ParsedArgs& args, CliContext& ctx) {
  v1::WatchChangesRequest request;
  if (args.Has("plan") == args.Has("org")) return ctx.UsageError("give one of --plan or --org");
  request.set_parent(args.Has("plan") ? PlanNameArg(*args.Get("plan"))
                                      : OrganizationNameArg(*args.Get("org")));
  request.set_cursor(args.GetOr("cursor", ""));
  std::vector<v1::ResourceKind> kinds;
  std::string bad;
  if (!ParseKinds(args.GetOr("kinds", ""), &kinds, &bad)) {
    return ctx.UsageError(absl::StrCat("--kinds: '", bad, "' is not a resource kind"));
  }
  for (v1::ResourceKind kind : kinds) request.add_kinds(kind);
  int64_t max_events = -1;
  if (args.Has("max-events") && !absl::SimpleAtoi(*args.Get("max-events"), &max_events)) {
    return ctx.UsageError("--max-events: not a number");
  }
  v1::ChangeService::Stub stub(ctx.channel());
  grpc::ClientContext context;  // no deadline: a watch lasts until stopped
  std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> reader =
      stub.WatchChanges(&context, request);
  v1::WatchChangesResponse response;
  int64_t seen = 0;
  while (max_events != 0 && reader->Read(&response)) {
    if (response.events().empty() && !ctx.json()) {
      ctx.err() << "watching " << request.parent() << " from cursor " << response.cursor() << "\n";
    }
    for (const v1::ChangeEvent& event : response.events()) {
      PrintEvent(ctx, event);
      if (++seen == max_events) break;
    }
    ctx.out().flush();
    if (seen == max_events) context.TryCancel();
  }
  grpc::Status status = reader->Finish();
  if (seen == max_events && status.error_code() == grpc::StatusCode::CANCELLED) return kExitOk;
  return status.ok() ? kExitOk : ctx.RpcFailed(status);
}

}  // namespace

std::vector<Command> WatchCommands() {
  return {
      {{.path = "watch",
        .summary = "Follow the changes of a plan or an organization as they are committed.",
        .flags = {{"plan", "PLAN", "watch this plan (city/hr or its full name)"},
                  {"org", "ORGANIZATION", "watch the whole organization instead"},
                  {"kinds", "KINDS",
                   "only these kinds, comma-separated: plan, initiative, outcome, human-rating, "
                   "computed-rating, rule-set, job"},
                  {"cursor", "CURSOR", "resume after this cursor (each line starts with one)"},
                  {"max-events", "N", "stop after N changes"}},
        .details = "Prints one line per change: cursor, commit time, created|updated|deleted, "
                   "kind, name; with --json one JSON ChangeEvent per line. A cursor older than "
                   "the server keeps fails: list the resources again and watch from now.\n"
                   "example: torikumi watch --plan city/hr --json"},
       Watch},
  };
}

}  // namespace torikumi::cli
