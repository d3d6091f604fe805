// torikumi import FILE / torikumi export: the published 取組状況 table in and out through the
// streaming TableService RPCs.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/cli/command.h"
#include "services/cli/names.h"
#include "services/cli/table_printer.h"
#include "torikumi/v1/table_service.grpc.pb.h"

namespace torikumi::cli {
namespace {

using v1::TableService;

// ImportTableRequest.chunk holds at most 1 MiB, as the API asks.
constexpr size_t kChunkBytes = 1u << 20;

absl::StatusOr<v1::TableEncoding> ParseEncodingFlag(absl::string_view text) {
  const std::string name = absl::AsciiStrToLower(text);
  if (name == "auto") return v1::TABLE_ENCODING_UNSPECIFIED;
  if (name == "utf-8" || name == "utf8") return v1::TABLE_ENCODING_UTF8;
  if (name == "cp932" || name == "shift_jis" || name == "sjis" || name == "windows-31j") {
    return v1::TABLE_ENCODING_CP932;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not an encoding: use auto, utf-8 or cp932"));
}

absl::StatusOr<v1::TableFormat> ParseFormatFlag(absl::string_view text) {
  const std::string name = absl::AsciiStrToLower(text);
  if (name == "tsv") return v1::TABLE_FORMAT_TSV;
  if (name == "csv") return v1::TABLE_FORMAT_CSV;
  if (name == "json") return v1::TABLE_FORMAT_JSON;
  if (name == "xlsx") return v1::TABLE_FORMAT_XLSX;
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not a format: use tsv, csv, json or xlsx"));
}

std::string SeverityWord(v1::FindingSeverity severity) {
  switch (severity) {
    case v1::FINDING_SEVERITY_INFO:
      return "info";
    case v1::FINDING_SEVERITY_REPAIR:
      return "repair";
    case v1::FINDING_SEVERITY_GUESS:
      return "guess";
    case v1::FINDING_SEVERITY_ERROR:
      return "error";
    default:
      return "?";
  }
}

// "33: 20 guess, 10 repair, 3 info" — most serious first.
std::string FindingCounts(const v1::ImportTableResponse& response) {
  std::map<int, int, std::greater<>> counts;
  for (const auto& finding : response.findings()) ++counts[finding.severity()];
  std::vector<std::string> parts;
  for (const auto& [severity, count] : counts) {
    parts.push_back(
        absl::StrCat(count, " ", SeverityWord(static_cast<v1::FindingSeverity>(severity))));
  }
  if (parts.empty()) return "none";
  return absl::StrCat(response.findings_size(), ": ", absl::StrJoin(parts, ", "));
}

void PrintImport(CliContext& ctx, const v1::ImportTableResponse& response) {
  std::ostream& out = ctx.out();
  if (response.dry_run()) {
    out << "dry run: nothing was stored\n";
    if (!response.refusal().empty()) {
      out << "the import would be refused: " << response.refusal() << "\n";
    }
  }
  std::string plan =
      response.plan().empty() ? "(a new plan; its id is made on import)" : response.plan();
  absl::StrAppend(&plan, response.plan_created() ? " (new)" : " (updated in place)");
  PrintFields(out, {
                       {"plan", plan},
                       {"read as", response.detected_encoding()},
                       {"areas", absl::StrCat(response.areas())},
                       {"initiatives", absl::StrCat(response.initiatives_created(), " created, ",
                                                    response.initiatives_updated(), " updated")},
                       {"outcomes", absl::StrCat(response.outcomes_written(),
                                                 response.dry_run() ? " to write" : " written")},
                       {"ratings", absl::StrCat(response.ratings())},
                       {"findings", FindingCounts(response)},
                   });
  if (!response.rating_job().empty()) {
    out << "re-rating in the background as " << response.rating_job() << " (torikumi jobs list)\n";
  }
  if (response.findings().empty()) return;
  out << "\n";
  TablePrinter table({{"LINE"}, {"COL"}, {"SEVERITY"}, {"TEXT", 40}, {"ACTION"}});
  for (const auto& finding : response.findings()) {
    table.AddRow({absl::StrCat(finding.line()), absl::StrCat(finding.column()),
                  SeverityWord(finding.severity()), finding.text(), finding.action()});
  }
  table.Print(out);
}

int Import(const ParsedArgs& args, CliContext& ctx) {
  const std::string& path = args.positionals()[0];
  v1::ImportTableOptions options;
  if (auto plan = args.Get("plan")) {
    if (args.Has("plan-id")) {
      return ctx.UsageError("--plan-id names a new plan, so it cannot go with --plan");
    }
    options.set_plan(PlanNameArg(*plan));
  } else if (!args.Has("org")) {
    return ctx.UsageError(
        "say where the plan goes: --org ORGANIZATION for a new plan, or --plan PLAN to update "
        "one in place");
  }
  if (auto org = args.Get("org")) options.set_parent(OrganizationNameArg(*org));
  options.set_plan_id(args.GetOr("plan-id", ""));
  options.set_dry_run(args.Has("dry-run"));
  options.set_strict(args.Has("strict"));
  if (auto text = args.Get("encoding")) {
    auto encoding = ParseEncodingFlag(*text);
    if (!encoding.ok()) return ctx.FlagError("encoding", encoding.status());
    options.set_encoding(*encoding);
  }

  // "-" reads standard input; a file is streamed as it is read, never held whole here.
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      ctx.err() << "error: cannot read " << path << ": " << std::strerror(errno) << "\n";
      return kExitFailure;
    }
    in = &file;
  }

  auto stub = TableService::NewStub(ctx.channel());
  v1::ImportTableResponse response;
  bool read_failed = false;
  grpc::Status status = ctx.Call([&](grpc::ClientContext* c) {
    std::unique_ptr<grpc::ClientWriter<v1::ImportTableRequest>> writer =
        stub->ImportTable(c, &response);
    std::string buffer(kChunkBytes, '\0');
    bool first = true;
    while (true) {
      in->read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const std::streamsize got = in->gcount();
      if (in->bad()) {
        read_failed = true;
        c->TryCancel();
        break;
      }
      if (got == 0 && !first) break;
      v1::ImportTableRequest request;
      if (first) *request.mutable_options() = options;
      request.set_chunk(buffer.data(), static_cast<size_t>(got));
      first = false;
      // false: the server has ended the call (e.g. the file is too large); Finish says why.
      if (!writer->Write(request)) break;
      if (got < static_cast<std::streamsize>(buffer.size())) break;
    }
    writer->WritesDone();
    return writer->Finish();
  });
  if (read_failed) {
    ctx.err() << "error: reading " << path << " failed: " << std::strerror(errno) << "\n";
    return kExitFailure;
  }
  return ctx.Finish(status, response, [&] { PrintImport(ctx, response); });
}

int Export(const ParsedArgs& args, CliContext& ctx) {
  v1::ExportTableRequest request;
  request.set_plan(PlanNameArg(*args.Get("plan")));
  auto format = ParseFormatFlag(*args.Get("format"));
  if (!format.ok()) return ctx.FlagError("format", format.status());
  request.set_format(*format);
  if (auto text = args.Get("encoding")) {
    auto encoding = ParseEncodingFlag(*text);
    if (!encoding.ok()) return ctx.FlagError("encoding", encoding.status());
    request.set_encoding(*encoding);
  }
  const std::string output = args.GetOr("output", "-");
  const bool to_stdout = output == "-";
  if (to_stdout && *format == v1::TABLE_FORMAT_XLSX && &ctx.out() == &std::cout &&
      isatty(STDOUT_FILENO)) {
    return ctx.UsageError(
        "an XLSX workbook is binary and would garble the terminal; write it with -o FILE "
        "(or redirect standard output)");
  }

  auto stub = TableService::NewStub(ctx.channel());
  std::string bytes;
  v1::ExportTableResponse header;
  grpc::Status status = ctx.Call([&](grpc::ClientContext* c) {
    std::unique_ptr<grpc::ClientReader<v1::ExportTableResponse>> reader =
        stub->ExportTable(c, request);
    v1::ExportTableResponse message;
    bool first = true;
    while (reader->Read(&message)) {
      if (first) {
        header.set_content_type(message.content_type());
        header.set_file_name(message.file_name());
        first = false;
      }
      bytes += message.chunk();
    }
    return reader->Finish();
  });
  if (!status.ok()) return ctx.RpcFailed(status);

  if (to_stdout) {
    ctx.out().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ctx.out().flush();
    return kExitOk;
  }
  // Written only once the whole file has arrived, so a failed call leaves no partial file.
  std::ofstream file(output, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.close();
  if (!file) {
    ctx.err() << "error: cannot write " << output << ": " << std::strerror(errno) << "\n";
    return kExitFailure;
  }
  if (ctx.json()) return ctx.PrintJson(header);
  ctx.out() << "wrote " << output << " (" << bytes.size() << " bytes, " << header.content_type()
            << ")\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> TableCommands() {
  return {
      {{.path = "import",
        .summary = "Import a published 取組状況 table (TSV, Excel CSV, CP932 or JSON) as a plan.",
        .positionals = {"FILE"},
        .flags = {{"org", "ORGANIZATION", "the organization of a new plan (e.g. city)"},
                  {"plan", "PLAN", "an existing plan to update in place (by area and number)"},
                  {"plan-id", "ID", "the id of the new plan; generated if not given"},
                  {"dry-run", "", "read and check everything, store nothing"},
                  {"strict", "", "refuse the table if the reader had to repair or guess"},
                  {"encoding", "ENCODING", "auto (default), utf-8 or cp932"}},
        .details =
            "FILE \"-\" reads standard input. Prints the plan, the counts and every finding "
            "(line, column,\nseverity, text, what the reader did); --json prints the response.\n"
            "Findings: info (nothing changed), repair (layout fixed), guess (one reading of "
            "several),\nerror (left out: the import is refused). --strict refuses every finding "
            "but info.\n--dry-run lists every finding, even when the import would be refused.\n"
            "examples:\n"
            "  torikumi import hr-plan.tsv --org city --plan-id hr --dry-run\n"
            "  torikumi import hr-plan-2023.csv --plan city/hr"},
       Import},
      {{.path = "export",
        .summary = "Export a plan as the published table: TSV, CSV, JSON or XLSX.",
        .flags = {{"plan", "PLAN", "the plan, e.g. city/hr", true},
                  {"format", "FORMAT", "tsv, csv, json or xlsx", true},
                  {"encoding", "ENCODING", "for tsv and csv: utf-8 (default) or cp932"},
                  {.name = "output",
                   .value_name = "FILE",
                   .help = "write to FILE instead of standard output",
                   .short_name = 'o'}},
        .details = "XLSX is not written to a terminal; give -o FILE.\n"
                   "example:\n  torikumi export --plan city/hr --format xlsx -o hr-plan.xlsx"},
       Export},
  };
}

}  // namespace torikumi::cli
