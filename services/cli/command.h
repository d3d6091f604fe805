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
  // --token: sent as `authorization: Bearer {token}` on every call when not empty.
  std::string token;
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
  // How every call ends a command: a failed call's status (kExitFailure), else `response` as
  // JSON with --json, else what `print` writes for people (kExitOk).
  int Finish(const grpc::Status& status, const google::protobuf::Message& response,
             const std::function<void()>& print);

 private:
  GlobalOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  std::string command_path_;
  std::shared_ptr<grpc::Channel> channel_;
};

// A unary method of a generated stub, e.g. &v1::PlanService::Stub::GetPlan.
template <typename Stub, typename Request, typename Response>
using UnaryMethod = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Response*);

// Calls one unary method (with the --timeout deadline) and ends the command (Finish):
//   return CallAndPrint(ctx, &v1::PlanService::Stub::GetPlan, request,
//                       [&](const v1::GetPlanResponse& r) { PrintPlan(ctx, r.plan()); });
template <typename Stub, typename Request, typename Response, typename Print>
int CallAndPrint(CliContext& ctx, UnaryMethod<Stub, Request, Response> method,
                 const Request& request, Print print) {
  Stub stub(ctx.channel());
  Response response;
  grpc::Status status =
      ctx.Call([&](grpc::ClientContext* c) { return (stub.*method)(c, request, &response); });
  return ctx.Finish(status, response, [&] { print(response); });
}

// Calls a List method page after page while there is a next page (only once when
// `all_pages` is false), gathers the pages' items (`items(response)` is the repeated field)
// and the last total and next page token into one response, and ends the command (Finish).
template <typename Stub, typename Request, typename Response, typename Items, typename Print>
int ListAndPrint(CliContext& ctx, UnaryMethod<Stub, Request, Response> method, Request request,
                 Items items, Print print, bool all_pages = true) {
  Stub stub(ctx.channel());
  Response gathered;
  grpc::Status status;
  do {
    Response page;
    status = ctx.Call([&](grpc::ClientContext* c) { return (stub.*method)(c, request, &page); });
    if (!status.ok()) break;
    items(gathered)->MergeFrom(*items(page));
    gathered.set_total_size(page.total_size());
    gathered.set_next_page_token(page.next_page_token());
    request.set_page_token(page.next_page_token());
  } while (all_pages && !request.page_token().empty());
  return ctx.Finish(status, gathered, [&] { print(gathered); });
}

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
// torikumi round open|status|next|accept|override|close|reopen (round_cmd.cc).
std::vector<Command> RoundCommands();
// ratings_cmd.cc: evaluators, rulesets, evaluate, ratings.
std::vector<Command> RatingCommands();
// torikumi import / export: the published 取組状況 table in and out (table_cmd.cc).
std::vector<Command> TableCommands();
// torikumi tokens create|list|revoke and torikumi audit list (tokens_cmd.cc).
std::vector<Command> TokenCommands();
// torikumi health: the gRPC health check (health_cmd.cc).
std::vector<Command> HealthCommands();
// torikumi watch (watch_cmd.cc) and torikumi subscriptions (subscriptions_cmd.cc).
std::vector<Command> WatchCommands();
std::vector<Command> SubscriptionCommands();

}  // namespace torikumi::cli
