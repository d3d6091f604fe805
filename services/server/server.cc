#include "services/server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <chrono>
#include <utility>

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
#include "services/server/organization_handler.h"
#include "services/server/outcome_handler.h"
#include "services/server/plan_handler.h"
#include "services/server/rating_services.h"
#include "services/server/reflected_types.h"
#include "services/server/table_handler.h"
#include "services/store/sqlite/sqlite_store.h"

namespace torikumi::server {

// Declared in this order so that handlers go before the domain objects they call.
struct Server::Services {
  explicit Services(store::Store& store)
      : organizations(store),
        plans(store),
        initiatives(store),
        outcomes(store),
        table_importer(store),
        table_exporter(store),
        organization_handler(organizations),
        plan_handler(plans),
        initiative_handler(initiatives),
        outcome_handler(outcomes),
        table_handler(table_importer, table_exporter) {}

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
};

namespace {

// `address` with its port replaced by `port` ("127.0.0.1:0" → "127.0.0.1:40321").
std::string WithPort(absl::string_view address, int port) {
  size_t colon = address.rfind(':');
  absl::string_view host = colon == absl::string_view::npos ? address : address.substr(0, colon);
  return absl::StrCat(host, ":", port);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Open(absl::string_view db_path) {
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::OpenSqliteStore(db_path);
  if (!store.ok()) {
    // The store's message normally names the path already; make sure it always does.
    if (absl::StrContains(store.status().message(), db_path)) return store.status();
    return absl::Status(store.status().code(), absl::StrCat("cannot open database ", db_path, ": ",
                                                            store.status().message()));
  }
  return std::unique_ptr<Server>(new Server(*std::move(store)));
}

Server::Server(std::unique_ptr<store::Store> store)
    : store_(std::move(store)), services_(std::make_unique<Services>(*store_)) {}

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
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.RegisterService(&services_->organization_handler);
  builder.RegisterService(&services_->plan_handler);
  builder.RegisterService(&services_->initiative_handler);
  builder.RegisterService(&services_->outcome_handler);
  builder.RegisterService(&services_->table_handler);
  if (ratings_ != nullptr) {
    builder.RegisterService(&ratings_->rule_set_handler);
    builder.RegisterService(&ratings_->rating_handler);
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
        v1::TableService::service_full_name()}) {
    health->SetServingStatus(service, true);
  }
  if (ratings_ != nullptr) {
    health->SetServingStatus(v1::RuleSetService::service_full_name(), true);
    health->SetServingStatus(v1::RatingService::service_full_name(), true);
  }
  if (changes_ != nullptr) {
    health->SetServingStatus(v1::ChangeService::service_full_name(), true);
    health->SetServingStatus(v1::SubscriptionService::service_full_name(), true);
  }

  server_ = std::move(server);
  port_ = selected_port;
  address_ = WithPort(listen_address, selected_port);
  return absl::OkStatus();
}

absl::Status Server::LoadDemoTable(absl::string_view path, absl::string_view organization_id) {
  if (services_ == nullptr) return absl::FailedPreconditionError("the server was shut down");
  return server::LoadDemoTable(services_->organizations, services_->plans,
                               services_->table_importer, path, organization_id);
}

absl::Status Server::EnableRatings(absl::string_view plugins_dir,
                                   absl::Duration plugin_call_limit) {
  if (services_ == nullptr) return absl::FailedPreconditionError("the server was shut down");
  if (server_ != nullptr) return absl::FailedPreconditionError("enable ratings before Start");
  if (ratings_ != nullptr) return absl::FailedPreconditionError("ratings are already enabled");
  ratings_ = std::make_unique<RatingServices>(*store_, std::string(plugins_dir), plugin_call_limit);
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
  changes_ = std::make_unique<ChangeServices>(*store_, options);
  return absl::OkStatus();
}

absl::StatusOr<v1::ReloadEvaluatorsResponse> Server::ReloadEvaluators() {
  if (ratings_ == nullptr) return absl::FailedPreconditionError("ratings are not enabled");
  return ratings_->Reload();
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
  if (server_ != nullptr) {
    // Watchers (load balancers, orchestrators) see NOT_SERVING before the port closes.
    server_->GetHealthCheckService()->Shutdown();
    // Open watches never end by themselves: end them, so the calls can drain.
    if (changes_ != nullptr) changes_->hub.StopAll();
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    server_->Wait();
    server_.reset();
  }
  // No call can reach the handlers any more: drop them and the domain, then close the store.
  // The ratings first: their job worker and the triggers use the domain and the store.
  SetRatingTriggers(nullptr);
  if (ratings_ != nullptr) plugin_calls_left_running_ = ratings_->host.abandoned_calls();
  ratings_.reset();
  // Its threads (webhooks, pruning) use the store.
  changes_.reset();
  services_.reset();
  store_.reset();
}

}  // namespace torikumi::server
