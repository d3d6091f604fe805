// torikumi-server: serves the torikumi.v1 API over gRPC from one SQLite file.
//
//   torikumi-server --listen 127.0.0.1:50051 --db var/torikumi.db --log_level info
//   torikumi-server ... --demo_table testdata/seed/hr-plan-progress-h30-r4.tsv --demo_org demo
//
//   torikumi-server --listen 0.0.0.0:50051 --tls_cert server.pem --tls_key server.key
//                   --client_ca clients-ca.pem   (mutual TLS: clients need a certificate)
//
// Exit codes: 0 after a graceful shutdown on SIGTERM/SIGINT, 1 when the database cannot be
// opened, the demo table cannot be imported or the address cannot be bound, 2 for bad flags
// (unreadable certificate files, or a non-loopback address without TLS or --insecure).
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/time/time.h"
#include "services/common/log.h"
#include "services/server/auth/auth_flags.h"
#include "services/server/credentials.h"
#include "services/server/http/gateway.h"
#include "services/server/migrate_command.h"
#include "services/server/plugin_host_flags.h"
#include "services/server/server.h"
#include "services/server/web/pages.h"
#include "services/store/postgres/postgres_store.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "host:port to serve gRPC on (port 0 picks a free one)");
ABSL_FLAG(std::string, db, "var/torikumi.db",
          "the database: a SQLite file (it and its folder are created when missing), or a "
          "PostgreSQL connection URI, postgresql://user@host:port/dbname (the database must "
          "exist; the schema is created and migrated)");
ABSL_FLAG(std::string, migrate_from, "",
          "copy the SQLite database FILE into the empty PostgreSQL database --db, then exit "
          "(README.md, Moving a city's SQLite file into PostgreSQL)");
ABSL_FLAG(int32_t, db_pool_size, 8,
          "connections a server keeps to a PostgreSQL database (each call holds one for its "
          "transaction); several servers may share one database");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warning or error");
ABSL_FLAG(std::string, log_format, "text",
          "text (one readable line per event) or json (one JSON object per line, for log "
          "collectors)");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port to serve Prometheus metrics on (GET /metrics), e.g. 127.0.0.1:9090; "
          "empty: no metrics endpoint");
ABSL_FLAG(std::string, health_listen, "",
          "host:port serving only the gRPC health service in plain text, for probes that "
          "cannot speak TLS (Kubernetes' grpc probes), e.g. 0.0.0.0:50052; empty: none");
ABSL_FLAG(absl::Duration, store_check_interval, absl::Seconds(5),
          "how often the health service checks that the database can be used; while it "
          "cannot, every service reports NOT_SERVING");
ABSL_FLAG(int32_t, work_threads, 4,
          "threads for calls that can block (evaluations, plugin reloads, imports, exports, "
          "outcome writes)");
ABSL_FLAG(int32_t, work_queue, 64,
          "such calls that may wait for a thread; more are refused with RESOURCE_EXHAUSTED");
ABSL_FLAG(int32_t, max_table_streams, 8,
          "table imports and exports open at once; more are refused with RESOURCE_EXHAUSTED");
ABSL_FLAG(std::string, demo_table, "",
          "a 取組状況 table (TSV, CSV or JSON) to import at start when the database has no plan "
          "(a missing file is logged and skipped)");
ABSL_FLAG(std::string, demo_org, "demo",
          "the organization id the --demo_table plan goes to; created when missing");

ABSL_FLAG(std::string, plugins_dir, "",
          "directory of evaluator plugins (*.so) loaded at start and on SIGHUP; default: the "
          "build's plugins directory when it exists, else where `cmake --install` puts them "
          "(" TORIKUMI_INSTALLED_PLUGINS_DIR ")");
ABSL_FLAG(absl::Duration, plugin_call_limit, absl::Seconds(10),
          "longest an evaluator plugin call (create, validate, evaluate) may run, e.g. 10s or "
          "500ms; past it the call fails with DEADLINE_EXCEEDED and the server goes on");
ABSL_FLAG(int, evaluate_batch, torikumi::domain::kEvaluateBatchSubjects,
          "initiatives per evaluator call of a whole-plan evaluation (1 to 10000); two batches are "
          "in flight at once, so a cancelled caller waits for at most two");
ABSL_FLAG(absl::Duration, job_lease, absl::Seconds(30),
          "how long a re-rating job this server claims stays its without a renewal (renewed "
          "every third of it); past it, another server on the database takes the job over");
ABSL_FLAG(std::string, default_rule_set, "",
          "a `rules` rule set (text format) created in the --demo_org organization when missing "
          "and set on its plans that name none, e.g. "
          "plugins/rules/rulesets/abc-implementation.textproto");

ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain of the server; with --tls_key, the server speaks only TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, client_ca, "",
          "PEM CA certificate(s); when given, every client must present a certificate one of "
          "them signed (mutual TLS). Needs --tls_cert");
ABSL_FLAG(bool, insecure, false,
          "serve without TLS on an address that is not loopback (127.0.0.0/8, ::1, localhost); "
          "without it such a --listen needs --tls_cert");
ABSL_FLAG(std::string, http_listen, "",
          "host:port to serve the same API as HTTP/JSON on (google.api.http paths such as "
          "GET /v1/organizations/demo/plans); empty: no HTTP. HTTPS with --tls_cert/--tls_key "
          "(and --client_ca), else plain HTTP, which an address that is not loopback allows "
          "only with --insecure");
ABSL_FLAG(std::string, auth, "",
          "none: callers need no credentials (one without is the server admin \"local\"); "
          "tokens: every call needs `authorization: Bearer {token}` or a client certificate "
          "named in --cert_principals. Default: none on a loopback --listen, tokens otherwise "
          "(none there needs --insecure)");
ABSL_FLAG(std::string, bootstrap_token_file, "",
          "where the first start with --auth=tokens writes a server admin token (mode 0600) "
          "when the database has none; default: the --db path with \".admin-token\" added");
ABSL_FLAG(std::string, cert_principals, "",
          "verified client certificates (--client_ca) that act as a principal, by common name: "
          "comma-separated CN:organizations/{o}:ROLE (viewer, recorder, rater, editor, admin) "
          "or CN:server-admin");
ABSL_FLAG(int64_t, max_message_bytes, torikumi::server::kDefaultMaxMessageBytes,
          "the largest gRPC message the server receives or sends; larger requests fail with "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(absl::Duration, change_retention, absl::Hours(24 * 7),
          "how long the change feed keeps a change; a watch or webhook cursor older than this "
          "must list again");
ABSL_FLAG(absl::Duration, history_retention, absl::Hours(24 * 90),
          "how long superseded computed ratings, request ids (for retried creates) and ended "
          "re-rating jobs are kept; the newest rating of each initiative is always kept");
ABSL_FLAG(absl::Duration, webhook_max_retry, absl::Minutes(5),
          "the longest wait between two attempts at a webhook delivery (the wait doubles from "
          "1s after each failure up to this)");
ABSL_FLAG(bool, webhook_allow_private_targets, false,
          "let webhooks reach loopback, link-local (cloud metadata), private and other "
          "non-public addresses; by default a subscription URL whose host is or resolves to "
          "one is refused");
ABSL_FLAG(std::vector<std::string>, webhook_allowed_hosts, {},
          "comma-separated hosts (as written in subscription URLs) that webhooks may reach "
          "whatever address they resolve to, e.g. an HR tool on the internal network");

namespace {

std::string DefaultPluginsDir() {
  std::error_code error;
  if (std::filesystem::is_directory(TORIKUMI_BUILD_PLUGINS_DIR, error))
    return TORIKUMI_BUILD_PLUGINS_DIR;
  return TORIKUMI_INSTALLED_PLUGINS_DIR;
}

// How long in-flight calls may run on after SIGTERM/SIGINT before they are cancelled.
constexpr absl::Duration kShutdownGrace = absl::Seconds(10);

// An import chunk (1 MiB) and its envelope must fit in one message.
constexpr int64_t kMinMessageBytes = 2 << 20;

// How to listen on `listen`, from the TLS and limit flags; nullopt after printing why they
// do not fit (the caller exits 2).
std::optional<torikumi::server::ListenOptions> ListenOptionsFromFlags(const std::string& listen) {
  torikumi::server::ListenOptions options;
  const int64_t max_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  if (max_bytes < kMinMessageBytes || max_bytes > std::numeric_limits<int>::max()) {
    std::fprintf(stderr, "torikumi-server: --max_message_bytes must be from %lld to %d, not %lld\n",
                 static_cast<long long>(kMinMessageBytes), std::numeric_limits<int>::max(),
                 static_cast<long long>(max_bytes));
    return std::nullopt;
  }
  options.max_message_bytes = static_cast<int>(max_bytes);
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  options.health_listen = absl::GetFlag(FLAGS_health_listen);
  options.store_check_interval = absl::GetFlag(FLAGS_store_check_interval);
  if (options.store_check_interval <= absl::ZeroDuration() ||
      options.store_check_interval == absl::InfiniteDuration()) {
    std::fprintf(stderr,
                 "torikumi-server: --store_check_interval must be a positive, finite duration\n");
    return std::nullopt;
  }
  const torikumi::server::TlsFiles files{.cert = absl::GetFlag(FLAGS_tls_cert),
                                         .key = absl::GetFlag(FLAGS_tls_key),
                                         .client_ca = absl::GetFlag(FLAGS_client_ca)};
  auto credentials = torikumi::server::ServerCredentialsFrom(files);
  if (!credentials.ok()) {
    std::fprintf(stderr, "torikumi-server: %s\n",
                 std::string(credentials.status().message()).c_str());
    return std::nullopt;
  }
  options.credentials = *std::move(credentials);
  if (absl::Status exposed =
          torikumi::server::CheckExposure(listen, files.enabled(), absl::GetFlag(FLAGS_insecure));
      !exposed.ok()) {
    std::fprintf(stderr, "torikumi-server: %s\n", std::string(exposed.message()).c_str());
    return std::nullopt;
  }
  if (!files.enabled() && !torikumi::server::IsLoopbackAddress(listen)) {
    torikumi::log::Warning("serving ", listen,
                           " in plain text (--insecure): whoever can reach it can read and "
                           "change everything; give --tls_cert and --tls_key to encrypt");
  }
  return options;
}

// Sets who must authenticate (auth/auth_flags.h) and, when tokens are required and the
// database has no server admin token yet, writes a new one to the bootstrap file. false
// after printing why not (the caller exits 2).
bool ConfigureAuth(torikumi::server::Server& server, const std::string& listen,
                   const std::string& db) {
  namespace auth = torikumi::server::auth;
  absl::StatusOr<auth::AuthOptions> options = auth::AuthOptionsFromFlags(
      {listen, absl::GetFlag(FLAGS_http_listen)}, absl::GetFlag(FLAGS_auth),
      absl::GetFlag(FLAGS_insecure), absl::GetFlag(FLAGS_cert_principals));
  if (!options.ok()) {
    std::fprintf(stderr, "torikumi-server: %s\n", std::string(options.status().message()).c_str());
    return false;
  }
  const bool require = options->require_credentials;
  if (absl::Status s = server.ConfigureAuth(*std::move(options)); !s.ok()) {
    torikumi::log::Error(s.message());
    return false;
  }
  if (!require) {
    torikumi::log::Info(
        "authentication is off (--auth=none): callers without credentials act "
        "as the server admin \"local\"");
    return true;
  }
  std::string path = absl::GetFlag(FLAGS_bootstrap_token_file);
  if (path.empty()) path = auth::DefaultBootstrapTokenFile(db);
  absl::StatusOr<bool> created = server.CreateBootstrapToken(
      [&](absl::string_view secret) { return auth::WriteSecretFile(path, secret); });
  if (!created.ok()) {
    torikumi::log::Error("cannot create the bootstrap token: ", created.status().message());
    return false;
  }
  if (!*created) return true;
  torikumi::log::Info("wrote the bootstrap server admin token (tokens/bootstrap-admin) to ", path,
                      " (mode 0600); use it to create organizations and tokens, e.g. "
                      "TORIKUMI_TOKEN=$(cat ",
                      path, ") torikumi tokens create ...");
  return true;
}

// The work limits from their flags; nullopt after printing which one is out of range.
std::optional<torikumi::server::WorkLimits> WorkLimitsFromFlags() {
  torikumi::server::WorkLimits limits{.work_threads = absl::GetFlag(FLAGS_work_threads),
                                      .work_queue = absl::GetFlag(FLAGS_work_queue),
                                      .max_table_streams = absl::GetFlag(FLAGS_max_table_streams),
                                      .postgres_pool_size = absl::GetFlag(FLAGS_db_pool_size)};
  for (const auto& [name, value, low, high] :
       {std::tuple("--work_threads", limits.work_threads, 1, 256),
        std::tuple("--work_queue", limits.work_queue, 0, 100000),
        std::tuple("--max_table_streams", limits.max_table_streams, 1, 1000),
        std::tuple("--db_pool_size", limits.postgres_pool_size, 1, 1000)}) {
    if (value < low || value > high) {
      std::fprintf(stderr, "torikumi-server: %s must be from %d to %d, not %d\n", name, low, high,
                   value);
      return std::nullopt;
    }
  }
  return limits;
}

// Applies --log_level and --log_format; false after printing which one is wrong.
bool ConfigureLogging() {
  const std::string level_text = absl::GetFlag(FLAGS_log_level);
  const std::optional<torikumi::log::Level> level = torikumi::log::ParseLevel(level_text);
  if (!level.has_value()) {
    std::fprintf(stderr,
                 "torikumi-server: --log_level must be debug, info, warning or error, not \"%s\"\n",
                 level_text.c_str());
    return false;
  }
  const std::string format_text = absl::GetFlag(FLAGS_log_format);
  const std::optional<torikumi::log::Format> format = torikumi::log::ParseFormat(format_text);
  if (!format.has_value()) {
    std::fprintf(stderr, "torikumi-server: --log_format must be text or json, not \"%s\"\n",
                 format_text.c_str());
    return false;
  }
  torikumi::log::SetLevel(*level);
  torikumi::log::SetFormat(*format);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "serves the torikumi.v1 gRPC API (plans, initiatives, outcomes) from a SQLite file");
  absl::FlagsUsageConfig usage;
  usage.version_string = [] { return std::string("torikumi-server " TORIKUMI_VERSION "\n"); };
  absl::SetFlagsUsageConfig(usage);
  std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  if (rest.size() > 1) {
    std::fprintf(stderr, "torikumi-server: unexpected argument \"%s\" (see --help)\n", rest[1]);
    return 2;
  }

  if (!ConfigureLogging()) return 2;
  const std::optional<torikumi::server::WorkLimits> work_limits = WorkLimitsFromFlags();
  if (!work_limits.has_value()) return 2;
  if (const std::string from = absl::GetFlag(FLAGS_migrate_from); !from.empty()) {
    const absl::Status migrated = torikumi::server::MigrateSqliteToPostgres(
        from, absl::GetFlag(FLAGS_db), work_limits->postgres_pool_size);
    if (!migrated.ok()) torikumi::log::Error(migrated.message());
    return migrated.ok() ? 0 : 1;
  }
  const absl::Duration plugin_call_limit = absl::GetFlag(FLAGS_plugin_call_limit);
  if (plugin_call_limit <= absl::ZeroDuration() || plugin_call_limit == absl::InfiniteDuration()) {
    std::fprintf(
        stderr,
        "torikumi-server: --plugin_call_limit must be a positive, finite duration, not %s\n",
        absl::FormatDuration(plugin_call_limit).c_str());
    return 2;
  }

  const absl::Duration job_lease = absl::GetFlag(FLAGS_job_lease);
  if (job_lease < absl::Seconds(1) || job_lease == absl::InfiniteDuration()) {
    std::fprintf(stderr,
                 "torikumi-server: --job_lease must be a finite duration of 1s or more, not %s\n",
                 absl::FormatDuration(job_lease).c_str());
    return 2;
  }

  const int evaluate_batch = absl::GetFlag(FLAGS_evaluate_batch);
  if (evaluate_batch < 1 || evaluate_batch > 10000) {
    std::fprintf(stderr, "torikumi-server: --evaluate_batch must be 1 to 10000, not %d\n",
                 evaluate_batch);
    return 2;
  }

  const std::string listen = absl::GetFlag(FLAGS_listen);
  const std::optional<torikumi::server::ListenOptions> listen_options =
      ListenOptionsFromFlags(listen);
  if (!listen_options.has_value()) return 2;
  const std::string http_listen = absl::GetFlag(FLAGS_http_listen);
  if (!http_listen.empty()) {
    if (absl::Status exposed = torikumi::server::CheckExposure(
            http_listen, !absl::GetFlag(FLAGS_tls_cert).empty(), absl::GetFlag(FLAGS_insecure));
        !exposed.ok()) {
      std::fprintf(stderr, "torikumi-server: --http_listen: %s\n",
                   std::string(exposed.message()).c_str());
      return 2;
    }
  }

  // Block SIGTERM and SIGINT before any thread exists, so every gRPC and SQLite thread
  // inherits the mask and the signals wait for sigwait() below instead of interrupting
  // arbitrary code. No work happens in a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  // SIGHUP reloads the evaluator plugins (handled by the same sigwait loop).
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A client that hangs up while an HTTPS answer is written must cost that request, not the
  // server: OpenSSL writes to the socket without MSG_NOSIGNAL, so SIGPIPE would end us.
  signal(SIGPIPE, SIG_IGN);

  const std::string db = absl::GetFlag(FLAGS_db);
  const std::filesystem::path folder =
      torikumi::store::IsPostgresUri(db) ? "" : std::filesystem::path(db).parent_path();
  if (!folder.empty()) {
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) {
      torikumi::log::Error("cannot create the folder ", folder.string(), " for the database ", db,
                           ": ", error.message());
      return 1;
    }
  }

  absl::StatusOr<std::unique_ptr<torikumi::server::Server>> server =
      torikumi::server::Server::Open(db, *work_limits);
  if (!server.ok()) {
    torikumi::log::Error(server.status().message());
    return 1;
  }
  // Before listening, so no client ever sees the database half-loaded.
  if (const std::string demo = absl::GetFlag(FLAGS_demo_table); !demo.empty()) {
    if (absl::Status loaded = (*server)->LoadDemoTable(demo, absl::GetFlag(FLAGS_demo_org));
        !loaded.ok()) {
      torikumi::log::Error("cannot load the demo table: ", loaded.ToString());
      return 1;
    }
  }
  std::string plugins_dir = absl::GetFlag(FLAGS_plugins_dir);
  if (plugins_dir.empty()) plugins_dir = DefaultPluginsDir();
  absl::StatusOr<torikumi::evaluators::EvaluatorHost::Options> host_options =
      torikumi::server::PluginHostOptionsFromFlags(plugins_dir, plugin_call_limit);
  if (!host_options.ok()) {
    std::fprintf(stderr, "torikumi-server: %s\n",
                 std::string(host_options.status().message()).c_str());
    return 2;
  }
  if (absl::Status enabled =
          (*server)->EnableRatings(*std::move(host_options), job_lease, evaluate_batch);
      !enabled.ok()) {
    torikumi::log::Error("cannot enable ratings: ", enabled.ToString());
    return 1;
  }
  if (const std::string rule_set = absl::GetFlag(FLAGS_default_rule_set); !rule_set.empty()) {
    if (absl::Status ensured =
            (*server)->EnsureDefaultRuleSet(rule_set, absl::GetFlag(FLAGS_demo_org));
        !ensured.ok()) {
      torikumi::log::Error("cannot create the default rule set: ", ensured.ToString());
      return 1;
    }
  }
  if (!ConfigureAuth(**server, listen, db)) return 2;
  torikumi::server::ChangeFeedOptions change_feed;
  change_feed.retention = absl::GetFlag(FLAGS_change_retention);
  change_feed.webhooks.max_retry = absl::GetFlag(FLAGS_webhook_max_retry);
  change_feed.webhooks.targets = {
      .allow_private = absl::GetFlag(FLAGS_webhook_allow_private_targets),
      .allowed_hosts = absl::GetFlag(FLAGS_webhook_allowed_hosts)};
  if (absl::Status enabled = (*server)->EnableChangeFeed(change_feed); !enabled.ok()) {
    torikumi::log::Error("cannot enable the change feed: ", enabled.ToString());
    return 1;
  }
  if (absl::Status enabled =
          (*server)->EnableHistoryPruning(absl::GetFlag(FLAGS_history_retention));
      !enabled.ok()) {
    torikumi::log::Error("cannot enable history pruning: ", enabled.ToString());
    return 1;
  }
  if (absl::Status started = (*server)->Start(listen, *listen_options); !started.ok()) {
    torikumi::log::Error(started.message());
    return 1;
  }

  std::unique_ptr<torikumi::server::http::HttpGateway> http_gateway;
  if (!http_listen.empty()) {
    auto gateway = torikumi::server::http::HttpGateway::Start(
        http_listen, (*server)->InProcessChannel(), listen_options->max_message_bytes,
        torikumi::server::TlsFiles{.cert = absl::GetFlag(FLAGS_tls_cert),
                                   .key = absl::GetFlag(FLAGS_tls_key),
                                   .client_ca = absl::GetFlag(FLAGS_client_ca)},
        torikumi::server::web::InstallPages);
    if (!gateway.ok()) {
      torikumi::log::Error(gateway.status().message());
      return 1;
    }
    http_gateway = *std::move(gateway);
    torikumi::log::Info("serving HTTP/JSON on ", http_gateway->address());
    torikumi::log::Info("web view on ", absl::GetFlag(FLAGS_tls_cert).empty() ? "http" : "https",
                        "://", http_gateway->address(), "/web/");
  }

  std::error_code error;
  std::filesystem::path db_path = std::filesystem::absolute(db, error);
  if (torikumi::store::IsPostgresUri(db)) db_path = torikumi::store::RedactedUri(db);
  torikumi::log::Info("torikumi-server ", TORIKUMI_VERSION, " listening on ", (*server)->address(),
                      " with database ", error ? db : db_path.string(),
                      absl::GetFlag(FLAGS_client_ca).empty()
                          ? (absl::GetFlag(FLAGS_tls_cert).empty() ? " (plain text)" : " (TLS)")
                          : " (mutual TLS)");
  if (const int health_port = (*server)->health_port(); health_port != 0) {
    torikumi::log::Info("health checks (plain text, grpc.health.v1 only) on port ", health_port);
  }
  if (const int metrics_port = (*server)->metrics_port(); metrics_port != 0) {
    const std::string metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
    torikumi::log::Info("metrics on http://", metrics_listen.substr(0, metrics_listen.rfind(':')),
                        ":", metrics_port, "/metrics");
  }

  int signal_number = 0;
  while (sigwait(&stop_signals, &signal_number) == 0 && signal_number == SIGHUP) {
    torikumi::log::Info("received SIGHUP, reloading evaluator plugins from ", plugins_dir);
    if (auto reloaded = (*server)->ReloadEvaluators(); !reloaded.ok()) {
      torikumi::log::Error("reload failed: ", reloaded.status().ToString());
    }
  }
  torikumi::log::Info("received ", strsignal(signal_number), ", shutting down");
  // HTTP first: its requests are gRPC calls that need the server still running.
  if (http_gateway != nullptr) http_gateway->Shutdown();
  (*server)->Shutdown(kShutdownGrace);
  torikumi::log::Info("stopped; database closed");
  if (const int stuck = (*server)->plugin_calls_left_running(); stuck > 0) {
    // Their threads are inside plugin code that may never return; running the exit-time
    // destructors (the plugins' own static objects among them) could wait on them forever.
    // Everything torikumi owns is closed already.
    torikumi::log::Warning(
        stuck,
        " evaluator plugin call(s) abandoned past their time limit still running; "
        "exiting without exit-time destructors");
    std::fflush(nullptr);
    std::_Exit(0);
  }
  return 0;
}
