// torikumi orgs list|get|create|delete
#include "absl/strings/str_cat.h"
#include "services/cli/command.h"
#include "services/cli/display.h"
#include "services/cli/names.h"
#include "services/cli/table_printer.h"
#include "torikumi/v1/organization_service.grpc.pb.h"

namespace torikumi::cli {
namespace {

using v1::OrganizationService;

void PrintOrganization(CliContext& ctx, const v1::Organization& org) {
  PrintFields(ctx.out(), {
                             {"name", org.name()},
                             {"display name", org.display_name()},
                             {"created", FormatTimestamp(org.create_time())},
                             {"updated", FormatTimestamp(org.update_time())},
                             {"etag", org.etag()},
                         });
}

int List(const ParsedArgs& args, CliContext& ctx) {
  // Organizations are few: fetch every page and show them as one list.
  v1::ListOrganizationsRequest request;
  request.set_page_size(1000);
  return ListAndPrint(
      ctx, &OrganizationService::Stub::ListOrganizations, request,
      [](v1::ListOrganizationsResponse& r) { return r.mutable_organizations(); },
      [&](const v1::ListOrganizationsResponse& all) {
        TablePrinter table({{"NAME"}, {"DISPLAY NAME", 40}});
        for (const auto& org : all.organizations()) table.AddRow({org.name(), org.display_name()});
        table.Print(ctx.out());
        ctx.out() << all.organizations_size() << " organization(s)\n";
      });
}

int Get(const ParsedArgs& args, CliContext& ctx) {
  v1::GetOrganizationRequest request;
  request.set_name(OrganizationNameArg(args.positionals()[0]));
  return CallAndPrint(
      ctx, &OrganizationService::Stub::GetOrganization, request,
      [&](const v1::GetOrganizationResponse& r) { PrintOrganization(ctx, r.organization()); });
}

int Create(const ParsedArgs& args, CliContext& ctx) {
  v1::CreateOrganizationRequest request;
  request.set_organization_id(args.GetOr("id", ""));
  request.set_request_id(args.GetOr("request-id", ""));
  request.mutable_organization()->set_display_name(args.GetOr("display-name", ""));
  return CallAndPrint(
      ctx, &OrganizationService::Stub::CreateOrganization, request,
      [&](const v1::CreateOrganizationResponse& r) { PrintOrganization(ctx, r.organization()); });
}

int Delete(const ParsedArgs& args, CliContext& ctx) {
  v1::DeleteOrganizationRequest request;
  request.set_name(OrganizationNameArg(args.positionals()[0]));
  request.set_force(args.Has("force"));
  request.set_etag(args.GetOr("etag", ""));
  return CallAndPrint(ctx, &OrganizationService::Stub::DeleteOrganization, request,
                      [&](const v1::DeleteOrganizationResponse&) {
                        ctx.out() << "deleted " << request.name() << "\n";
                      });
}

}  // namespace

std::vector<Command> OrganizationCommands() {
  const std::string name_help =
      "ORGANIZATION is a name such as organizations/city, or just its id: city.";
  return {
      {{.path = "orgs list", .summary = "List every organization."}, List},
      {{.path = "orgs get",
        .summary = "Show one organization.",
        .positionals = {"ORGANIZATION"},
        .details = name_help},
       Get},
      {{.path = "orgs create",
        .summary = "Create an organization (a city, a prefecture …).",
        .flags = {{"id", "ID",
                   "the id in organizations/{id}: [a-z][a-z0-9-]*; generated if not given"},
                  {"display-name", "TEXT", "the name people read, e.g. 〇〇市", true},
                  {"request-id", "ID", "a retry with the same request id creates nothing twice"}},
        .details = "example: torikumi orgs create --id city --display-name 〇〇市"},
       Create},
      {{.path = "orgs delete",
        .summary = "Delete an organization.",
        .positionals = {"ORGANIZATION"},
        .flags = {{"force", "", "also delete its plans, their initiatives and outcomes"},
                  {"etag", "ETAG", "only if the organization still has this etag"}},
        .details = name_help},
       Delete},
  };
}

}  // namespace torikumi::cli
