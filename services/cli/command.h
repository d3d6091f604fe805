// What every CLI command shares: the global options, where output goes, the channel to the
// server, per-call deadlines, and the three ways a command ends (ok, failed call, misuse).
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "services/cli/args.h"
#include "services/cli/channel_credentials.h"

namespace torikumi::cli {

// Exit codes: 0 success, 1 the server refused or could not be reached, 2 misuse of the CLI.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

inline constexpr absl::string_view kDefaultServer = "127.0.0.1:50051";

struct GlobalOptions {
  std::string server{kDefaultServer};
  // Print the response messages as JSON instead of tables.
  bool json = false;
  // Deadline of each call to the server.
  double timeout_seconds = 10;
  // --ca, --cert, --key: TLS when any is given.
  TlsFiles tls;
  // Built from `tls` by RunCli before the command runs; nullptr: plain text.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
};

class CliContext {
 public:
  CliContext(GlobalOptions options, std::ostream& out, std::ostream& err);

  const GlobalOptions& options() const { return options_; }
  bool json() const { return options_.json; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  // The command being run, e.g. "plans create", for usage hints.
  void set_command_path(std::string path) { command_path_ = std::move(path); }

  // Created on first use, so usage errors never open a connection.
  std::shared_ptr<grpc::Channel> channel();

  // Runs one RPC with a fresh ClientContext carrying the --timeout deadline:
  //   ctx.Call([&](grpc::ClientContext* c) { return stub->GetPlan(c, request, &response); })
  grpc::Status Call(const std::function<grpc::Status(grpc::ClientContext*)>& rpc) const;

  // Prints the failed call's status (see print_status.h) and returns kExitFailure.
  int RpcFailed(const grpc::Status& status);
  // Prints "error: <message>" and a pointer to --help, and returns kExitUsage.
  int UsageError(absl::string_view message);
  // A flag whose value could not be read: "error: --schedule: <why>", kExitUsage.
  int FlagError(absl::string_view flag, const absl::Status& status);
  // Prints `message` as one JSON document (proto3 JSON mapping, every field shown).
  int PrintJson(const google::protobuf::Message& message);

 private:
  GlobalOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  std::string command_path_;
  std::shared_ptr<grpc::Channel> channel_;
};

using CommandHandler = std::function<int(const ParsedArgs& args, CliContext& ctx)>;

struct Command {
  CommandSpec spec;
  CommandHandler run;
};

// The commands of each group, one file each (organizations_cmd.cc, plans_cmd.cc, …).
std::vector<Command> OrganizationCommands();
std::vector<Command> PlanCommands();
std::vector<Command> InitiativeCommands();
std::vector<Command> OutcomeCommands();
std::vector<Command> RateCommands();
// ratings_cmd.cc: evaluators, rulesets, evaluate, ratings.
std::vector<Command> RatingCommands();
// torikumi import / export: the published 取組状況 table in and out (table_cmd.cc).
std::vector<Command> TableCommands();

}  // namespace torikumi::cli
