// The torikumi gRPC server: owns the store, the domain layer, the handlers and the
// grpc::Server, and tears them down in that reverse order. main() runs one; the
// integration tests run one in-process on 127.0.0.1:0.
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/bounded_executor.h"
#include "services/domain/rating_triggers.h"
#include "services/domain/ratings.h"
#include "services/evaluators/evaluator_host.h"
#include "services/server/auth/gate.h"
#include "services/server/call_observer.h"
#include "services/server/change_services.h"
#include "services/store/store.h"
#include "services/table/table_reader.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::server {

struct RatingServices;    // rating_services.h
class Pruner;             // pruner.h
class StoreHealth;        // store_health.h
class MetricsHttpServer;  // metrics_http.h

// The most one gRPC message may hold by default, either way: as much as one table import
// takes, 32 MiB.
inline constexpr int kDefaultMaxMessageBytes = static_cast<int>(table::kMaxTableBytes);

// How much blocking work the server takes at once (see services/common/bounded_executor.h).
struct WorkLimits {
  // Threads for work that can block: evaluations, plugin reloads, imports, exports.
  int work_threads = 4;
  // Blocking calls that may wait for one of them; one more is RESOURCE_EXHAUSTED.
  int work_queue = 64;
  // Table imports and exports open at once; one more is RESOURCE_EXHAUSTED.
  int max_table_streams = 8;
  // Connections to a PostgreSQL database (each call holds one for its transaction).
  int postgres_pool_size = 8;
};

// How Start listens.
struct ListenOptions {
  // TLS or not (credentials.h); nullptr: plain text.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Larger requests are refused with RESOURCE_EXHAUSTED before any handler sees them.
  int max_message_bytes = kDefaultMaxMessageBytes;
  // "host:port" to serve Prometheus metrics on (GET /metrics); empty: none.
  std::string metrics_listen;
  // "host:port" serving only the gRPC health service, in plain text, for probes that
  // cannot speak TLS (Kubernetes' native gRPC probes); empty: none.
  std::string health_listen;
  // How often health checks that the database can be used (store_health.h).
  absl::Duration store_check_interval = absl::Seconds(5);
  // Who made a call, for the access log (call_observer.h); nullptr: unknown.
  PrincipalOf principal_of;
};

class Server {
 public:
  // Opens (creating and migrating) the database `db`: a PostgreSQL connection URI
  // ("postgresql://…", store::IsPostgresUri) or the path of a SQLite file. Does not listen
  // yet. The error names the database when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<Server>> Open(absl::string_view db,
                                                      const WorkLimits& limits = {});

  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Listens on `listen_address` ("host:port"; port 0 picks a free one) with health checking
  // and server reflection on. UNAVAILABLE naming the address and the reason when it cannot
  // be bound (e.g. "Address already in use"); INVALID_ARGUMENT when it is not host:port.
  absl::Status Start(absl::string_view listen_address, const ListenOptions& options = {});

  // Before Start: who may call what (auth/gate.h). Unconfigured, every caller without
  // credentials is the server admin "local" (the loopback default).
  absl::Status ConfigureAuth(auth::AuthOptions options);
  // When the database has no server admin token: creates one and hands its secret to
  // `deliver` (see domain::Tokens::CreateBootstrapToken). Returns whether one was made.
  absl::StatusOr<bool> CreateBootstrapToken(
      absl::FunctionRef<absl::Status(absl::string_view secret)> deliver);
  // Before or after Start: when the database has no plan, imports the table at `path` into
  // organizations/{organization_id} (created when missing) through the same domain import as
  // ImportTable; a missing file is logged and skipped. See demo_table.h.
  absl::Status LoadDemoTable(absl::string_view path, absl::string_view organization_id);

  // Before Start: loads the evaluator plugins of `plugins_dir` (a missing or unreadable
  // directory is logged and leaves no evaluator) and serves RuleSetService and
  // RatingService; from then on every write that changes a rating's input re-rates
  // (services/domain/rating_triggers.h).
  // `plugin_call_limit` bounds every plugin call (DEADLINE_EXCEEDED past it).
  absl::Status EnableRatings(absl::string_view plugins_dir,
                             absl::Duration plugin_call_limit = absl::Seconds(10));
  // The same with every option of the plugin host (isolation, worker limits). `job_lease`: how
  // long a re-rating job this server claims stays its without a renewal; past it, another
  // server on the database takes the job over (services/domain/rating_jobs.h).
  // `evaluate_batch`: initiatives per evaluator call of a whole-plan evaluation.
  absl::Status EnableRatings(evaluators::EvaluatorHost::Options host_options,
                             absl::Duration job_lease = absl::Seconds(30),
                             int evaluate_batch = domain::kEvaluateBatchSubjects);
  // After EnableRatings: see services/domain/default_rule_set.h.
  absl::Status EnsureDefaultRuleSet(absl::string_view path, absl::string_view organization_id);
  // After EnableRatings: reloads the plugins directory (SIGHUP) and re-rates in the background.
  absl::StatusOr<v1::ReloadEvaluatorsResponse> ReloadEvaluators();
  // The ratings side, or nullptr before EnableRatings (tests wait on its jobs).
  RatingServices* ratings() { return ratings_.get(); }

  // After Start: a channel to this server that stays inside the process (no socket, no TLS),
  // for the HTTP gateway: its calls pass the same handlers, limits and logging as any other.
  std::shared_ptr<grpc::Channel> InProcessChannel();
  // Before Start: serves ChangeService (WatchChanges) and SubscriptionService, delivers
  // webhooks and prunes the change feed past options.retention (change_services.h).
  absl::Status EnableChangeFeed(const ChangeFeedOptions& options = {});

  // Before Start, after EnableRatings if at all: every `every`, drops the computed ratings a
  // newer one superseded more than `retention` ago, request ids older than that, and jobs
  // that ended before then (Store::PruneHistory, RatingJobs::PruneEnded).
  absl::Status EnableHistoryPruning(absl::Duration retention,
                                    absl::Duration every = absl::Minutes(10));

  // After Start: the port actually bound, and listen_address with that port.
  int port() const { return port_; }
  // After Start with metrics_listen: the port /metrics is served on, else 0.
  int metrics_port() const;
  // After Start with health_listen: the port of the health-only server, else 0.
  int health_port() const { return health_port_; }
  const std::string& address() const { return address_; }

  // Reports NOT_SERVING to health watchers, stops accepting calls, lets in-flight calls
  // finish until `grace` has passed (then cancels them), and closes the database.
  // Safe to call more than once; the destructor calls it with no grace.
  void Shutdown(absl::Duration grace);
  // Plugin calls abandoned past their time limit that were still running at Shutdown.
  // They run plugin code that may never return, so the process should then end without
  // running exit-time destructors (a plugin's static objects may be what they wait on).
  int plugin_calls_left_running() const { return plugin_calls_left_running_; }

 private:
  struct Services;  // domain objects and their handlers
  Server(std::unique_ptr<store::Store> store, std::string db_path, const WorkLimits& limits);
  // Health reporting and /metrics, after the gRPC server has started.
  absl::Status StartMonitoring(const ListenOptions& options);
  absl::Status StartHealthServer(absl::string_view listen_address);
  // Tells the domain objects whom to tell of writes that change a rating (nullptr: nobody).
  void SetRatingTriggers(domain::RatingTriggers* triggers);

  std::unique_ptr<store::Store> store_;
  // Runs the blocking work of the handlers; drained (in Shutdown) before what it uses goes.
  std::unique_ptr<BoundedExecutor> executor_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<RatingServices> ratings_;
  std::unique_ptr<ChangeServices> changes_;
  std::unique_ptr<Pruner> history_pruner_;
  std::unique_ptr<grpc::Server> server_;
  // The health-only server of ListenOptions::health_listen, or nullptr.
  std::unique_ptr<grpc::Server> health_server_;
  int health_port_ = 0;
  std::unique_ptr<StoreHealth> store_health_;
  std::unique_ptr<MetricsHttpServer> metrics_http_;
  const std::string db_path_;
  int port_ = 0;
  std::string address_;
  int plugin_calls_left_running_ = 0;
};

}  // namespace torikumi::server
