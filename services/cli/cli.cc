#include "services/cli/cli.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace torikumi::cli {
namespace {

// Flags every command accepts, before the command words or among its own flags.
std::vector<FlagSpec> GlobalFlags() {
  return {
      {"server", "ADDR",
       absl::StrCat("the torikumi server (default ", kDefaultServer, ", or $TORIKUMI_SERVER)")},
      {"json", "", "print the response messages as JSON, for scripts"},
      {"timeout", "SECONDS", "deadline of each call to the server (default 10)"},
      {"ca", "FILE", "PEM CA the server's certificate must chain to: speak TLS ($TORIKUMI_CA)"},
      {"cert", "FILE", "PEM client certificate, for mutual TLS ($TORIKUMI_CERT)"},
      {"key", "FILE", "PEM private key of --cert ($TORIKUMI_KEY)"},
      {"token", "TOKEN", "API token, sent as `authorization: Bearer …` ($TORIKUMI_TOKEN)"},
  };
}

std::vector<Command> AllCommands() {
  std::vector<Command> all;
  for (auto group : {OrganizationCommands, PlanCommands, InitiativeCommands, OutcomeCommands,
                     RateCommands, RoundCommands, TableCommands, RatingCommands, TokenCommands,
                     HealthCommands, WatchCommands, SubscriptionCommands}) {
    for (auto& command : group()) all.push_back(std::move(command));
  }
  return all;
}

// How many leading `words` name this command, or 0 when they do not.
size_t MatchCommand(const Command& command, const std::vector<std::string>& words, size_t from) {
  std::vector<absl::string_view> path = absl::StrSplit(command.spec.path, ' ');
  if (words.size() - from < path.size()) return 0;
  for (size_t i = 0; i < path.size(); ++i) {
    if (words[from + i] != path[i]) return 0;
  }
  return path.size();
}

// The leading tokens that are global flags (with their values), before the command words.
size_t GlobalFlagPrefixLength(const std::vector<std::string>& args) {
  size_t i = 0;
  while (i < args.size() && args[i].size() > 1 && args[i][0] == '-') {
    bool needs_separate_value =
        (args[i] == "--server" || args[i] == "--timeout" || args[i] == "--ca" ||
         args[i] == "--cert" || args[i] == "--key" || args[i] == "--token") &&
        i + 1 < args.size();
    i += needs_separate_value ? 2 : 1;
  }
  return i;
}

// Applies the global flags found in `parsed` onto `options`; a usage message on bad input.
std::string ApplyGlobalFlags(const ParsedArgs& parsed, GlobalOptions& options) {
  if (auto server = parsed.Get("server")) {
    if (server->empty()) return "--server: the address is empty";
    options.server = *server;
  }
  if (parsed.Has("json")) options.json = true;
  if (auto token = parsed.Get("token")) {
    if (token->empty()) return "--token: the token is empty";
    options.token = *token;
  }
  for (auto [flag, path] : {std::pair{"ca", &options.tls.ca}, std::pair{"cert", &options.tls.cert},
                            std::pair{"key", &options.tls.key}}) {
    if (auto value = parsed.Get(flag)) {
      if (value->empty()) return absl::StrCat("--", flag, ": the file name is empty");
      *path = *value;
    }
  }
  if (auto timeout = parsed.Get("timeout")) {
    double seconds = 0;
    if (!absl::SimpleAtod(*timeout, &seconds) || !std::isfinite(seconds) || seconds <= 0) {
      return absl::StrCat("--timeout: \"", *timeout, "\" is not a positive number of seconds");
    }
    options.timeout_seconds = seconds;
  }
  return "";
}

int Usage(std::ostream& err, absl::string_view message, absl::string_view help_for) {
  err << "error: " << message << "\n";
  err << "run 'torikumi " << help_for << (help_for.empty() ? "" : " ") << "--help' for usage\n";
  return kExitUsage;
}

}  // namespace

std::string TopLevelUsage() {
  std::string out =
      "usage: torikumi [--server ADDR] [--json] [--timeout SECONDS] [--ca FILE [--cert FILE "
      "--key FILE]]\n"
      "                [--token TOKEN]\n"
      "                <command> [args] [flags]\n"
      "\n"
      "A client for the torikumi server: plans, their initiatives (取組), outcomes (取組状況)\n"
      "and ratings (評価).\n"
      "\ncommands:\n";
  auto commands = AllCommands();
  size_t width = 0;
  for (const auto& command : commands) width = std::max(width, command.spec.path.size());
  for (const auto& command : commands) {
    absl::StrAppend(&out, "  ", command.spec.path,
                    std::string(width - command.spec.path.size() + 2, ' '), command.spec.summary,
                    "\n");
  }
  absl::StrAppend(&out, "\nglobal flags (before or after the command):\n");
  for (const auto& flag : GlobalFlags()) {
    std::string left =
        absl::StrCat("  --", flag.name, flag.takes_value() ? " " : "", flag.value_name);
    absl::StrAppend(&out, left, std::string(21 - std::min<size_t>(left.size(), 20), ' '), flag.help,
                    "\n");
  }
  absl::StrAppend(&out,
                  "\nRun 'torikumi <command> --help' for its arguments and flags.\n"
                  "Exit status: 0 done, 1 the server refused or could not be reached, "
                  "2 usage error.\n");
  return out;
}

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
           absl::string_view default_server) {
  GlobalOptions defaults;
  defaults.server = std::string(default_server);
  return RunCli(args, out, err, std::move(defaults));
}

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
           GlobalOptions options) {
  // 1. Global flags before the command words.
  size_t command_start = GlobalFlagPrefixLength(args);
  CommandSpec global_spec{.flags = GlobalFlags()};
  auto globals = ParseCommandArgs(
      global_spec, std::vector<std::string>(args.begin(), args.begin() + command_start));
  if (!globals.ok()) return Usage(err, globals.status().message(), "");
  if (globals->help() || (command_start < args.size() && args[command_start] == "help")) {
    out << TopLevelUsage();
    return kExitOk;
  }
  if (std::string problem = ApplyGlobalFlags(*globals, options); !problem.empty()) {
    return Usage(err, problem, "");
  }
  if (command_start == args.size()) {
    err << TopLevelUsage();
    return kExitUsage;
  }

  // 2. The command words.
  std::vector<Command> commands = AllCommands();
  const Command* command = nullptr;
  size_t words = 0;
  for (const auto& candidate : commands) {
    if (size_t n = MatchCommand(candidate, args, command_start); n > 0) {
      command = &candidate;
      words = n;
      break;
    }
  }
  if (command == nullptr) {
    const std::string& group = args[command_start];
    std::vector<std::string> verbs;
    for (const auto& candidate : commands) {
      if (absl::StartsWith(candidate.spec.path, group + " ")) {
        verbs.push_back(candidate.spec.path.substr(group.size() + 1));
      }
    }
    if (verbs.empty()) return Usage(err, absl::StrCat("unknown command \"", group, "\""), "");
    if (command_start + 1 == args.size()) {
      return Usage(
          err, absl::StrCat("torikumi ", group, " needs one of: ", absl::StrJoin(verbs, ", ")), "");
    }
    return Usage(err,
                 absl::StrCat("unknown command \"", group, " ", args[command_start + 1], "\"; ",
                              group, " has: ", absl::StrJoin(verbs, ", ")),
                 "");
  }

  // 3. The command's own arguments, where global flags are welcome too.
  CommandSpec spec = command->spec;
  for (auto& flag : GlobalFlags()) spec.flags.push_back(std::move(flag));
  auto parsed = ParseCommandArgs(
      spec, std::vector<std::string>(args.begin() + command_start + words, args.end()));
  if (!parsed.ok()) return Usage(err, parsed.status().message(), spec.path);
  if (parsed->help()) {
    out << FormatUsage(spec);
    return kExitOk;
  }
  if (std::string problem = ApplyGlobalFlags(*parsed, options); !problem.empty()) {
    return Usage(err, problem, spec.path);
  }

  // Reading the TLS files is no connection yet, and a missing one is the caller's mistake.
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentialsFrom(options.tls);
  if (!credentials.ok()) return Usage(err, credentials.status().message(), spec.path);
  options.credentials = *std::move(credentials);

  CliContext ctx(std::move(options), out, err);
  ctx.set_command_path(spec.path);
  return command->run(*parsed, ctx);
}

}  // namespace torikumi::cli
