// torikumi subscriptions create|get|list|delete: webhook subscriptions and their delivery log.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/cli/command.h"
#include "services/cli/display.h"
#include "services/cli/names.h"
#include "services/cli/resource_kinds.h"
#include "services/cli/table_printer.h"
#include "torikumi/v1/subscription_service.grpc.pb.h"

namespace torikumi::cli {
namespace {

using v1::SubscriptionService;

// "city/hook" → organizations/city/subscriptions/hook; a full name stays as written.
std::string SubscriptionNameArg(absl::string_view text) {
  if (absl::StartsWith(text, "organizations/")) return std::string(text);
  const size_t slash = text.find('/');
  if (slash == absl::string_view::npos) return std::string(text);
  return absl::StrCat(OrganizationNameArg(text.substr(0, slash)), "/subscriptions/",
                      text.substr(slash + 1));
}

std::string KindsText(const v1::Subscription& subscription) {
  std::vector<std::string> kinds;
  for (int kind : subscription.kinds()) {
    kinds.push_back(v1::ResourceKind_Name(v1::ResourceKind(kind)).substr(14));
  }
  return kinds.empty() ? "all" : absl::StrJoin(kinds, ",");
}

void PrintSubscription(CliContext& ctx, const v1::Subscription& s) {
  const v1::DeliveryStatus& d = s.delivery();
  PrintFields(ctx.out(), {
                             {"name", s.name()},
                             {"url", s.url()},
                             {"plan", s.plan().empty() ? "(whole organization)" : s.plan()},
                             {"kinds", KindsText(s)},
                             {"created", FormatTimestamp(s.create_time())},
                             {"cursor", d.cursor()},
                             {"delivered", absl::StrCat(d.delivered())},
                             {"attempts", absl::StrCat(d.attempts())},
                             {"last status", absl::StrCat(d.last_status())},
                             {"last error", d.last_error()},
                             {"last attempt", FormatTimestamp(d.last_attempt_time())},
                             {"last success", FormatTimestamp(d.last_success_time())},
                         });
}

int Create(const ParsedArgs& args, CliContext& ctx) {
  v1::CreateSubscriptionRequest request;
  request.set_parent(OrganizationNameArg(args.GetOr("org", "")));
  request.set_subscription_id(args.GetOr("id", ""));
  v1::Subscription& subscription = *request.mutable_subscription();
  subscription.set_url(args.GetOr("url", ""));
  subscription.set_secret(args.GetOr("secret", ""));
  if (args.Has("plan")) subscription.set_plan(PlanNameArg(*args.Get("plan")));
  std::vector<v1::ResourceKind> kinds;
  std::string bad;
  if (!ParseKinds(args.GetOr("kinds", ""), &kinds, &bad)) {
    return ctx.UsageError(absl::StrCat("--kinds: '", bad, "' is not a resource kind"));
  }
  for (v1::ResourceKind kind : kinds) subscription.add_kinds(kind);
  return CallAndPrint(
      ctx, &SubscriptionService::Stub::CreateSubscription, request,
      [&](const v1::CreateSubscriptionResponse& r) { PrintSubscription(ctx, r.subscription()); });
}

int Get(const ParsedArgs& args, CliContext& ctx) {
  v1::GetSubscriptionRequest request;
  request.set_name(SubscriptionNameArg(args.positionals()[0]));
  return CallAndPrint(
      ctx, &SubscriptionService::Stub::GetSubscription, request,
      [&](const v1::GetSubscriptionResponse& r) { PrintSubscription(ctx, r.subscription()); });
}

int List(const ParsedArgs& args, CliContext& ctx) {
  v1::ListSubscriptionsRequest request;
  request.set_parent(OrganizationNameArg(args.GetOr("org", "")));
  return CallAndPrint(
      ctx, &SubscriptionService::Stub::ListSubscriptions, request,
      [&](const v1::ListSubscriptionsResponse& r) {
        TablePrinter table(
            {{"NAME"}, {"URL", 40}, {"DELIVERED"}, {"ATTEMPTS"}, {"LAST ERROR", 40}});
        for (const auto& s : r.subscriptions()) {
          table.AddRow({s.name(), s.url(), absl::StrCat(s.delivery().delivered()),
                        absl::StrCat(s.delivery().attempts()), s.delivery().last_error()});
        }
        table.Print(ctx.out());
        ctx.out() << r.subscriptions_size() << " subscription(s)\n";
      });
}

int Delete(const ParsedArgs& args, CliContext& ctx) {
  v1::DeleteSubscriptionRequest request;
  request.set_name(SubscriptionNameArg(args.positionals()[0]));
  return CallAndPrint(ctx, &SubscriptionService::Stub::DeleteSubscription, request,
                      [&](const v1::DeleteSubscriptionResponse&) {
                        ctx.out() << "deleted " << request.name() << "\n";
                      });
}

}  // namespace

std::vector<Command> SubscriptionCommands() {
  const std::string name_help =
      "SUBSCRIPTION is a name such as organizations/city/subscriptions/hr-tool, or city/hr-tool.";
  return {
      {{.path = "subscriptions create",
        .summary = "Send the organization's changes to a URL (a webhook).",
        .flags = {{"org", "ORGANIZATION", "the organization whose changes are sent", true},
                  {"id", "ID", "the id in .../subscriptions/{id}", true},
                  {"url", "URL", "where each change is POSTed as JSON", true},
                  {"secret", "SECRET", "signs every delivery (X-Torikumi-Signature)", true},
                  {"plan", "PLAN", "only this plan's changes"},
                  {"kinds", "KINDS", "only these kinds (see torikumi watch --help)"}},
        .details = "example: torikumi subscriptions create --org city --id hr-tool "
                   "--url https://hr.example/hooks/torikumi --secret \"$SECRET\" --kinds "
                   "computed-rating,human-rating"},
       Create},
      {{.path = "subscriptions get",
        .summary = "Show a subscription and its delivery log.",
        .positionals = {"SUBSCRIPTION"},
        .details = name_help},
       Get},
      {{.path = "subscriptions list",
        .summary = "List an organization's subscriptions.",
        .flags = {{"org", "ORGANIZATION", "", true}}},
       List},
      {{.path = "subscriptions delete",
        .summary = "Stop sending changes to a subscription's URL.",
        .positionals = {"SUBSCRIPTION"},
        .details = name_help},
       Delete},
  };
}

}  // namespace torikumi::cli
