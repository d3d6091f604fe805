#include "services/server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/domain/default_rule_set.h"
#include "services/domain/initiatives.h"
#include "services/domain/organizations.h"
#include "services/domain/outcomes.h"
#include "services/domain/plans.h"
#include "services/domain/table_export.h"
#include "services/domain/table_import.h"
#include "services/server/demo_table.h"
#include "services/server/initiative_handler.h"
#include "services/server/listen_probe.h"
#include "services/server/metrics_http.h"
#include "services/server/organization_handler.h"
#include "services/server/outcome_handler.h"
#include "services/server/plan_handler.h"
#include "services/server/pruner.h"
#include "services/server/rating_services.h"
#include "services/server/reflected_types.h"
#include "services/server/store_health.h"
#include "services/server/table_handler.h"
#include "services/server/token_handler.h"
#include "services/store/postgres/postgres_store.h"
#include "services/store/sqlite/sqlite_store.h"

namespace torikumi::server {

// Declared in this order so that handlers go before the domain objects they call.
struct Server::Services {
  Services(store::Store& store, BoundedExecutor& executor, const WorkLimits& limits)
      : tokens(store),
        audit_events(store),
        gate(tokens),
        organizations(store),
        plans(store),
        initiatives(store),
        outcomes(store, executor),
        table_importer(store),
        table_exporter(store),
        organization_handler(gate, organizations),
        plan_handler(gate, plans),
        initiative_handler(gate, initiatives),
        outcome_handler(gate, outcomes, executor),
        table_handler(gate, table_importer, table_exporter, executor, limits.max_table_streams),
        token_handler(gate, tokens),
        audit_handler(gate, audit_events) {}

  domain::Tokens tokens;
  domain::AuditEvents audit_events;
  auth::Gate gate;
  domain::Organizations organizations;
  domain::Plans plans;
  domain::Initiatives initiatives;
  domain::Outcomes outcomes;
  domain::TableImporter table_importer;
  domain::TableExporter table_exporter;
  OrganizationHandler organization_handler;
  PlanHandler plan_handler;
  InitiativeHandler initiative_handler;
  OutcomeHandler outcome_handler;
  TableHandler table_handler;
  TokenHandler token_handler;
  AuditHandler audit_handler;
};

namespace {

// `address` with its port replaced by `port` ("127.0.0.1:0" → "127.0.0.1:40321").
std::string WithPort(absl::string_view address, int port) {
  size_t colon = address.rfind(':');
  absl::string_view host = colon == absl::string_view::npos ? address : address.substr(0, colon);
  return absl::StrCat(host, ":", port);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Open(absl::string_view db_path,
                                                     const WorkLimits& limits) {
  // PostgreSQL's own messages name the database (without its password).
  if (store::IsPostgresUri(db_path)) {
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenPostgresStore(db_path, {.pool_size = limits.postgres_pool_size});
    if (!store.ok()) return store.status();
    return std::unique_ptr<Server>(new Server(*std::move(store), std::string(db_path), limits));
  }
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::OpenSqliteStore(db_path);
  if (!store.ok()) {
    // The store's message normally names the path already; make sure it always does.
    if (absl::StrContains(store.status().message(), db_path)) return store.status();
    return absl::Status(store.status().code(), absl::StrCat("cannot open database ", db_path, ": ",
                                                            store.status().message()));
  }
  return std::unique_ptr<Server>(new Server(*std::move(store), std::string(db_path), limits));
}

Server::Server(std::unique_ptr<store::Store> store, std::string db_path, const WorkLimits& limits)
    : store_(std::move(store)),
      executor_(
          std::make_unique<BoundedExecutor>("blocking", limits.work_threads, limits.work_queue)),
      services_(std::make_unique<Services>(*store_, *executor_, limits)),
      db_path_(std::move(db_path)) {}

Server::~Server() { Shutdown(absl::ZeroDuration()); }

absl::Status Server::Start(absl::string_view listen_address, const ListenOptions& options) {
  if (server_ != nullptr) return absl::FailedPreconditionError("the server is already started");
  if (services_ == nullptr) return absl::FailedPreconditionError("the server was shut down");
  if (absl::Status usable = ProbeListenAddress(listen_address); !usable.ok()) return usable;

  // Both are process-wide switches read by the next ServerBuilder.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  RegisterReflectedTypes();

  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which would let a second server bind a port that is
  // in use and silently split the traffic. A taken port must be an error instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int selected_port = 0;
  builder.AddListeningPort(
      std::string(listen_address),
      options.credentials != nullptr ? options.credentials : grpc::InsecureServerCredentials(),
      &selected_port);
  PrincipalOf principal_of = options.principal_of;
  if (!principal_of) {
    // The access line names who called, as the gate sees them (auth/gate.h).
    const auth::Gate& gate = services_->gate;
    principal_of = [&gate](grpc::ServerContextBase& context) -> std::string {
      absl::StatusOr<auth::Principal> principal = gate.Authenticate(context);
      return principal.ok() ? principal->name : "";
    };
  }
  builder.experimental().SetInterceptorCreators(CallObserverCreators(std::move(principal_of)));
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.RegisterService(&services_->organization_handler);
  builder.RegisterService(&services_->plan_handler);
  builder.RegisterService(&services_->initiative_handler);
  builder.RegisterService(&services_->outcome_handler);
  builder.RegisterService(&services_->table_handler);
  builder.RegisterService(&services_->token_handler);
  builder.RegisterService(&services_->audit_handler);
  if (ratings_ != nullptr) {
    builder.RegisterService(&ratings_->rule_set_handler);
    builder.RegisterService(&ratings_->rating_handler);
    builder.RegisterService(&ratings_->rating_round_handler);
  }
  if (changes_ != nullptr) {
    builder.RegisterService(&changes_->change_handler);
    builder.RegisterService(&changes_->subscription_handler);
  }

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || selected_port == 0) {
    if (server != nullptr) server->Shutdown();
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", listen_address, ": gRPC could not bind it (see its log line above)"));
  }

  // The default health service knows only the overall status ""; name each service too so
  // that per-service checks answer SERVING rather than NOT_FOUND.
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(true);
  for (const char* service :
       {v1::OrganizationService::service_full_name(), v1::PlanService::service_full_name(),
        v1::InitiativeService::service_full_name(), v1::OutcomeService::service_full_name(),
        v1::TableService::service_full_name(), v1::TokenService::service_full_name(),
        v1::AuditService::service_full_name()}) {
    health->SetServingStatus(service, true);
  }
  if (ratings_ != nullptr) {
    health->SetServingStatus(v1::RuleSetService::service_full_name(), true);
    health->SetServingStatus(v1::RatingService::service_full_name(), true);
    health->SetServingStatus(v1::RatingRoundService::service_full_name(), true);
  }
  if (changes_ != nullptr) {
    health->SetServingStatus(v1::ChangeService::service_full_name(), true);
    health->SetServingStatus(v1::SubscriptionService::service_full_name(), true);
  }

  server_ = std::move(server);
  port_ = selected_port;
  address_ = WithPort(listen_address, selected_port);
  return StartMonitoring(options);
}

absl::Status Server::StartHealthServer(absl::string_view listen_address) {
  if (absl::Status usable = ProbeListenAddress(listen_address); !usable.ok()) return usable;
  grpc::ServerBuilder builder;
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Plain text on purpose: it serves only grpc.health.v1.Health (and reflection, which
  // describes types but no data), for probes that cannot speak TLS.
  builder.AddListeningPort(std::string(listen_address), grpc::InsecureServerCredentials(),
                           &health_port_);
  health_server_ = builder.BuildAndStart();
  if (health_server_ == nullptr || health_port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("--health_listen: cannot listen on ", listen_address));
  }
  health_server_->GetHealthCheckService()->SetServingStatus(true);
  return absl::OkStatus();
}

absl::Status Server::ConfigureAuth(auth::AuthOptions options) {
  if (services_ == nullptr) return absl::FailedPreconditionError("the server was shut down");
  if (server_ != nullptr) return absl::FailedPreconditionError("configure auth before Start");
  services_->gate.Configure(std::move(options));
  return absl::OkStatus();
}

absl::StatusOr<bool> Server::CreateBootstrapToken(
    absl::FunctionRef<absl::Status(absl::string_view secret)> deliver) {
  if (services_ == nullptr) return absl::FailedPreconditionError("the server was shut down");
  return services_->tokens.CreateBootstrapToken(deliver);
}

absl::Status Server::StartMonitoring(const ListenOptions& options) {
  if (!options.health_listen.empty()) {
    if (absl::Status started = StartHealthServer(options.health_listen); !started.ok())
      return started;
  }
  std::vector<grpc::HealthCheckServiceInterface*> healths = {server_->GetHealthCheckService()};
  if (health_server_ != nullptr) healths.push_back(health_server_->GetHealthCheckService());
  store_health_ = std::make_unique<StoreHealth>(
      *store_, db_path_, options.store_check_interval, [healths](bool serving) {
        for (grpc::HealthCheckServiceInterface* health : healths) health->SetServingStatus(serving);
      });
  if (options.metrics_listen.empty()) return absl::OkStatus();
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> metrics =
      MetricsHttpServer::Start(options.metrics_listen);
  if (!metrics.ok()) return metrics.status();
  metrics_http_ = *std::move(metrics);
  return absl::OkStatus();
}

int Server::metrics_port() const { return metrics_http_ == nullptr ? 0 : metrics_http_->port(); }

absl::Status Server::LoadDemoTable(absl::string_view path, absl::string_view organization_id) {
  if (services_ == nullptr) return absl::FailedPreconditionError("the server was shut down");
  return server::LoadDemoTable(services_->organizations, services_->plans,
                               services_->table_importer, path, organization_id);
}

absl::Status Server::EnableRatings(absl::string_view plugins_dir,
                                   absl::Duration plugin_call_limit) {
  return EnableRatings(evaluators::EvaluatorHost::Options{.plugins_dir = std::string(plugins_dir),
                                                          .call_limit = plugin_call_limit});
}

absl::Status Server::EnableRatings(evaluators::EvaluatorHost::Options host_options,
                                   absl::Duration job_lease, int evaluate_batch) {
  if (services_ == nullptr) return absl::FailedPreconditionError("the server was shut down");
  if (server_ != nullptr) return absl::FailedPreconditionError("enable ratings before Start");
  if (ratings_ != nullptr) return absl::FailedPreconditionError("ratings are already enabled");
  ratings_ = std::make_unique<RatingServices>(services_->gate, *store_, std::move(host_options),
                                              *executor_, job_lease, evaluate_batch);
  if (absl::StatusOr<evaluators::LoadReport> loaded = ratings_->host.Reload(); !loaded.ok()) {
    // The server still serves everything else; a later reload (SIGHUP) may find the plugins.
    log::Error("cannot load evaluator plugins: ", loaded.status().ToString());
  }
  // From now on every write that changes what a rating depends on re-rates (rating_triggers.h).
  SetRatingTriggers(&ratings_->triggers);
  return absl::OkStatus();
}

absl::Status Server::EnsureDefaultRuleSet(absl::string_view path,
                                          absl::string_view organization_id) {
  if (ratings_ == nullptr) return absl::FailedPreconditionError("ratings are not enabled");
  return domain::EnsureDefaultRuleSet(*store_, ratings_->rule_sets, services_->plans, path,
                                      organization_id);
}

absl::Status Server::EnableChangeFeed(const ChangeFeedOptions& options) {
  if (services_ == nullptr) return absl::FailedPreconditionError("the server was shut down");
  if (server_ != nullptr)
    return absl::FailedPreconditionError("enable the change feed before Start");
  if (changes_ != nullptr)
    return absl::FailedPreconditionError("the change feed is already enabled");
  changes_ = std::make_unique<ChangeServices>(services_->gate, *store_, options);
  return absl::OkStatus();
}

absl::Status Server::EnableHistoryPruning(absl::Duration retention, absl::Duration every) {
  if (services_ == nullptr) return absl::FailedPreconditionError("the server was shut down");
  if (server_ != nullptr) return absl::FailedPreconditionError("enable pruning before Start");
  if (history_pruner_ != nullptr)
    return absl::FailedPreconditionError("history pruning is already enabled");
  history_pruner_ = std::make_unique<Pruner>(
      "rating history, request ids and jobs",
      [this, retention]() -> absl::StatusOr<int64_t> {
        const absl::Time before = absl::Now() - retention;
        absl::StatusOr<int64_t> pruned = store_->PruneHistory(before);
        if (!pruned.ok()) return pruned;
        absl::StatusOr<int64_t> jobs = store_->PruneEndedJobs(before);
        if (!jobs.ok()) return jobs.status();
        return *pruned + *jobs;
      },
      every);
  return absl::OkStatus();
}

absl::StatusOr<v1::ReloadEvaluatorsResponse> Server::ReloadEvaluators() {
  if (ratings_ == nullptr) return absl::FailedPreconditionError("ratings are not enabled");
  return ratings_->Reload();
}

std::shared_ptr<grpc::Channel> Server::InProcessChannel() {
  if (server_ == nullptr) return nullptr;
  grpc::ChannelArguments arguments;
  // The server bounds what it sends (--max_message_bytes); the gateway takes all of it.
  arguments.SetMaxReceiveMessageSize(-1);
  return server_->InProcessChannel(arguments);
}

void Server::SetRatingTriggers(domain::RatingTriggers* triggers) {
  if (services_ != nullptr) {
    services_->outcomes.set_rating_triggers(triggers);
    services_->initiatives.set_rating_triggers(triggers);
    services_->plans.set_rating_triggers(triggers);
    services_->table_importer.set_rating_triggers(triggers);
  }
  if (ratings_ != nullptr) ratings_->rule_sets.set_rating_triggers(triggers);
}

void Server::Shutdown(absl::Duration grace) {
  metrics_http_.reset();
  store_health_.reset();  // before the health service shuts down and the store closes
  if (health_server_ != nullptr) {
    health_server_->GetHealthCheckService()->Shutdown();
    health_server_->Shutdown(absl::ToChronoTime(absl::Now()));
    health_server_.reset();
  }
  if (server_ != nullptr) {
    // Watchers (load balancers, orchestrators) see NOT_SERVING before the port closes.
    server_->GetHealthCheckService()->Shutdown();
    // Open watches never end by themselves: end them, so the calls can drain.
    if (changes_ != nullptr) changes_->hub.StopAll();
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    server_->Wait();
    server_.reset();
  }
  // Work still running past its call's end (a reactor's last steps) finishes here; an
  // upsert's re-rating still queued (Outcomes::Upsert) runs too, before the triggers and the
  // store it uses go.
  executor_.reset();
  // No call can reach the handlers any more: drop them and the domain, then close the store.
  // The ratings first: their job worker and the triggers use the domain and the store.
  // Its thread uses the jobs and the store.
  history_pruner_.reset();
  SetRatingTriggers(nullptr);
  if (ratings_ != nullptr) plugin_calls_left_running_ = ratings_->host.abandoned_calls();
  ratings_.reset();
  // Its threads (webhooks, pruning) use the store.
  changes_.reset();
  services_.reset();
  store_.reset();
}

}  // namespace torikumi::server
