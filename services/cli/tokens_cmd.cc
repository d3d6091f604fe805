// torikumi tokens create|list|revoke, and torikumi audit list.
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/cli/command.h"
#include "services/cli/display.h"
#include "services/cli/names.h"
#include "services/cli/table_printer.h"
#include "services/common/timestamp.h"
#include "torikumi/v1/audit_service.grpc.pb.h"
#include "torikumi/v1/token_service.grpc.pb.h"

namespace torikumi::cli {
namespace {

using v1::AuditService;
using v1::TokenService;

constexpr absl::string_view kRoles = "viewer, recorder, rater, editor or admin";

std::string RoleText(v1::Role role) {
  std::string name = v1::Role_Name(role);
  if (name.rfind("ROLE_", 0) == 0) name = name.substr(5);
  for (char& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
  return name;
}

// "recorder" → ROLE_RECORDER; nullopt for anything else.
std::optional<v1::Role> ParseRole(absl::string_view text) {
  for (v1::Role role :
       {v1::ROLE_VIEWER, v1::ROLE_RECORDER, v1::ROLE_RATER, v1::ROLE_EDITOR, v1::ROLE_ADMIN}) {
    if (RoleText(role) == text) return role;
  }
  return std::nullopt;
}

// An RFC 3339 time ("2027-03-31T00:00:00Z") or a duration from now ("720h").
std::optional<absl::Time> ParseTimeFlag(absl::string_view text) {
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &time, &error)) return time;
  absl::Duration duration;
  if (absl::ParseDuration(text, &duration) && duration > absl::ZeroDuration()) {
    return absl::Now() + duration;
  }
  return std::nullopt;
}

void PrintToken(CliContext& ctx, const v1::Token& token) {
  PrintFields(ctx.out(),
              {
                  {"name", token.name()},
                  {"display name", token.display_name()},
                  {"role", RoleText(token.role())},
                  {"expires", token.has_expire_time() ? FormatTimestamp(token.expire_time())
                                                      : std::string("never")},
                  {"created", FormatTimestamp(token.create_time())},
                  {"creator", token.creator()},
              });
}

int Create(const ParsedArgs& args, CliContext& ctx) {
  v1::CreateTokenRequest request;
  if (auto org = args.Get("org")) request.set_parent(OrganizationNameArg(*org));
  request.set_token_id(args.GetOr("id", ""));
  request.mutable_token()->set_display_name(args.GetOr("name", ""));
  if (request.parent().empty()) {
    request.mutable_token()->set_role(v1::ROLE_SERVER_ADMIN);
  } else {
    std::optional<v1::Role> role = ParseRole(args.GetOr("role", ""));
    if (!role.has_value()) {
      return ctx.UsageError(absl::StrCat("--role must be ", kRoles, " with --org"));
    }
    request.mutable_token()->set_role(*role);
  }
  if (auto expires = args.Get("expires")) {
    std::optional<absl::Time> time = ParseTimeFlag(*expires);
    if (!time.has_value()) {
      return ctx.UsageError(absl::StrCat("--expires: \"", *expires,
                                         "\" is neither a time like 2027-03-31T00:00:00+09:00 "
                                         "nor a duration like 720h"));
    }
    *request.mutable_token()->mutable_expire_time() = ToTimestamp(*time);
  }
  return CallAndPrint(ctx, &TokenService::Stub::CreateToken, request,
                      [&](const v1::CreateTokenResponse& r) {
                        PrintToken(ctx, r.token());
                        ctx.out() << "secret: " << r.secret() << "\n"
                                  << "(shown only now: the server keeps only its hash)\n";
                      });
}

int List(const ParsedArgs& args, CliContext& ctx) {
  v1::ListTokensRequest request;
  if (auto org = args.Get("org")) request.set_parent(OrganizationNameArg(*org));
  request.set_page_size(1000);
  return ListAndPrint(
      ctx, &TokenService::Stub::ListTokens, request,
      [](v1::ListTokensResponse& r) { return r.mutable_tokens(); },
      [&](const v1::ListTokensResponse& all) {
        TablePrinter table({{"NAME"}, {"ROLE"}, {"DISPLAY NAME", 30}, {"EXPIRES"}});
        for (const auto& token : all.tokens()) {
          table.AddRow({token.name(), RoleText(token.role()), token.display_name(),
                        token.has_expire_time() ? FormatTimestamp(token.expire_time()) : "never"});
        }
        table.Print(ctx.out());
        ctx.out() << all.tokens_size() << " token(s)\n";
      });
}

int Revoke(const ParsedArgs& args, CliContext& ctx) {
  v1::DeleteTokenRequest request;
  request.set_name(args.positionals()[0]);
  return CallAndPrint(
      ctx, &TokenService::Stub::DeleteToken, request,
      [&](const v1::DeleteTokenResponse&) { ctx.out() << "revoked " << request.name() << "\n"; });
}

int AuditList(const ParsedArgs& args, CliContext& ctx) {
  v1::ListAuditEventsRequest request;
  if (auto org = args.Get("org")) request.set_parent(OrganizationNameArg(*org));
  request.set_resource(args.GetOr("resource", ""));
  request.set_principal(args.GetOr("principal", ""));
  for (const char* flag : {"since", "until"}) {
    std::optional<std::string> text = args.Get(flag);
    if (!text.has_value()) continue;
    absl::Time time;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, *text, &time, &error)) {
      return ctx.UsageError(absl::StrCat("--", flag, ": \"", *text,
                                         "\" is not a time like 2026-12-01T09:00:00+09:00"));
    }
    *(absl::string_view(flag) == "since" ? request.mutable_start_time()
                                         : request.mutable_end_time()) = ToTimestamp(time);
  }
  request.set_page_size(100);
  return ListAndPrint(
      ctx, &AuditService::Stub::ListAuditEvents, request,
      [](v1::ListAuditEventsResponse& r) { return r.mutable_audit_events(); },
      [&](const v1::ListAuditEventsResponse& all) {
        TablePrinter table({{"TIME"}, {"PRINCIPAL"}, {"METHOD"}, {"RESOURCE"}, {"ETAGS"}});
        for (const auto& event : all.audit_events()) {
          table.AddRow({FormatTimestamp(event.time()), event.principal(), event.method(),
                        event.resource(),
                        absl::StrCat(event.etag_before().empty() ? "-" : event.etag_before(), " → ",
                                     event.etag_after().empty() ? "-" : event.etag_after())});
        }
        table.Print(ctx.out());
        ctx.out() << all.audit_events_size() << " of " << all.total_size() << " event(s)\n";
      },
      /*all_pages=*/false);
}

}  // namespace

std::vector<Command> TokenCommands() {
  return {
      {{.path = "tokens create",
        .summary = "Create an API token; its secret is shown once.",
        .flags = {{"org", "ORGANIZATION", "the organization; without it a server admin token"},
                  {"role", "ROLE", absl::StrCat("with --org: ", kRoles)},
                  {"name", "TEXT", "who or what uses it, e.g. training-system"},
                  {"id", "ID", "the {token} in .../tokens/{token}; generated if not given"},
                  {"expires", "TIME", "when it stops working: 2027-03-31T00:00:00+09:00 or 720h"}},
        .details = "example: torikumi tokens create --org aizu --role recorder "
                   "--name training-system"},
       Create},
      {{.path = "tokens list",
        .summary = "List the tokens of an organization (or the server admin tokens).",
        .flags = {{"org", "ORGANIZATION", "the organization; without it the server admin tokens"}}},
       List},
      {{.path = "tokens revoke",
        .summary = "Revoke a token: calls that send it are refused from now on.",
        .positionals = {"TOKEN"},
        .details = "TOKEN is its name: organizations/{o}/tokens/{t} or tokens/{t}."},
       Revoke},
      {{.path = "audit list",
        .summary = "Show the audit log of writes, newest first (one page).",
        .flags = {{"org", "ORGANIZATION",
                   "only this organization's (required unless server admin)"},
                  {"resource", "NAME", "only this resource and what is below it"},
                  {"principal", "NAME", "only writes by this principal"},
                  {"since", "TIME", "only at or after this time (RFC 3339)"},
                  {"until", "TIME", "only before this time (RFC 3339)"}}},
       AuditList},
  };
}

}  // namespace torikumi::cli
