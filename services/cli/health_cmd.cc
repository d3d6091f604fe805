// torikumi health: asks the server's standard health service (grpc.health.v1.Health/Check)
// whether it serves, for container health checks and scripts: exit 0 only when SERVING.
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/cli/command.h"

namespace torikumi::cli {
namespace {

int Health(const ParsedArgs& args, CliContext& ctx) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(args.GetOr("service", ""));
  grpc::health::v1::HealthCheckResponse response;
  auto stub = grpc::health::v1::Health::NewStub(ctx.channel());
  const grpc::Status status =
      ctx.Call([&](grpc::ClientContext* c) { return stub->Check(c, request, &response); });
  const int printed = ctx.Finish(status, response, [&] {
    ctx.out() << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())
              << "\n";
  });
  if (printed != kExitOk) return printed;
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? kExitOk
                                                                             : kExitFailure;
}

}  // namespace

std::vector<Command> HealthCommands() {
  return {
      {{.path = "health",
        .summary = "Check whether the server serves (exit 0 only when SERVING).",
        .flags = {{"service", "NAME",
                   "one service, e.g. torikumi.v1.PlanService (default: the server as a whole)"}},
        .details = "Calls grpc.health.v1.Health/Check. The server answers NOT_SERVING while its "
                   "database cannot be used and while it shuts down.\nexample:\n  torikumi "
                   "health && echo up"},
       Health},
  };
}

}  // namespace torikumi::cli
