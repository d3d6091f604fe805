// The load driver: starts torikumi-server on a fresh database seeded with --plans plans of
// --initiatives initiatives (each with five outcomes), drives it with a closed-loop client over
// gRPC's generic API, and prints each figure beside its floor measured in the same run (a
// bare echo server, a bare SQLite loop, the plugin boundary alone) and their ratio.
//
//   load_bench [--plans=20] [--initiatives=5000] [--seconds=5] [--threads=2]
//              [--server_flags="--plugin_isolation=none …"]
//   load_bench --target=HOST:PORT --method=/pkg.Service/Method --request='text format'
//              [--in_flight=1] [--threads=1] [--seconds=5]
//
// The second form drives one method of a server already running and prints calls/s, p50
// and p99 only.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/load/closed_loop.h"
#include "bench/load/echo_server.h"
#include "bench/load/generic_request.h"
#include "bench/load/plugin_floor.h"
#include "bench/load/rated_size.h"
#include "bench/load/seed.h"
#include "bench/load/sqlite_floor.h"
#include "services/common/read_file.h"
#include "services/store/postgres/postgres_store.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/initiative_service.pb.h"
#include "torikumi/v1/outcome_service.pb.h"
#include "torikumi/v1/rating_service.pb.h"

namespace torikumi::bench {
namespace {

struct Flags {
  int plans = 20;
  int initiatives = 5000;
  int seconds = 5;
  int threads = 2;
  int in_flight = 1;
  int evaluate_rounds = 3;
  // Empty: a fresh SQLite file. A PostgreSQL URI: an empty database the run seeds and serves.
  std::string db;
  std::string target;
  std::string method;
  std::string request;
  std::string server_binary = TORIKUMI_SERVER_BINARY;
  std::string plugins_dir = TORIKUMI_BUILT_PLUGINS_DIR;
  std::string rule_set_file = TORIKUMI_RULESETS_DIR "/abc-implementation.textproto";
  // More torikumi-server flags, separated by spaces (e.g. "--plugin_isolation=none").
  std::string server_flags;
};

// --name=value flags; exits with a message for anything else.
Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  std::map<std::string, int*> numbers = {
      {"plans", &flags.plans},         {"initiatives", &flags.initiatives},
      {"seconds", &flags.seconds},     {"threads", &flags.threads},
      {"in_flight", &flags.in_flight}, {"evaluate_rounds", &flags.evaluate_rounds}};
  std::map<std::string, std::string*> texts = {{"db", &flags.db},
                                               {"target", &flags.target},
                                               {"method", &flags.method},
                                               {"request", &flags.request},
                                               {"server_binary", &flags.server_binary},
                                               {"plugins_dir", &flags.plugins_dir},
                                               {"rule_set_file", &flags.rule_set_file},
                                               {"server_flags", &flags.server_flags}};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string name = absl::StartsWith(arg, "--") ? arg.substr(2, eq - 2) : "";
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (auto n = numbers.find(name);
        n != numbers.end() && absl::SimpleAtoi(value, n->second) && *n->second > 0) {
      continue;
    }
    if (auto t = texts.find(name); t != texts.end() && eq != std::string::npos) {
      *t->second = value;
      continue;
    }
    std::fprintf(stderr,
                 "load_bench: bad flag '%s' (see the comment at the top of load_bench.cc)\n",
                 arg.c_str());
    std::exit(2);
  }
  return flags;
}

[[noreturn]] void Fail(absl::string_view what, const absl::Status& status) {
  std::fprintf(stderr, "load_bench: %s: %s\n", std::string(what).c_str(),
               status.ToString().c_str());
  std::exit(1);
}

std::string Ms(absl::Duration d) {
  return absl::StrFormat("%.2f ms", absl::ToDoubleMilliseconds(d));
}

// One row of the table: the figure, its floor and figure/floor (or floor/figure for
// latencies and sizes, so that 1.0 is always "at the floor" and less is worse).
void Row(const std::string& operation, const std::string& figure, const std::string& floor,
         double ratio) {
  std::printf("| %s | %s | %s | %.2f |\n", operation.c_str(), figure.c_str(), floor.c_str(), ratio);
  std::fflush(stdout);
}

std::string Rate(const LoadResult& r) {
  return absl::StrFormat("%.0f/s (p50 %s, p99 %s%s)", r.calls_per_second, Ms(r.p50), Ms(r.p99),
                         r.errors > 0 ? absl::StrCat(", ", r.errors, " errors") : "");
}

// Text-format requests → serialized ones for `method`, or exit.
std::vector<std::string> Serialize(const std::string& method,
                                   const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  for (const std::string& text : texts) {
    absl::StatusOr<std::string> bytes = SerializeRequest(method, text);
    if (!bytes.ok()) Fail(method, bytes.status());
    out.push_back(*std::move(bytes));
  }
  return out;
}

LoadResult Drive(const std::string& target, const std::string& method,
                 const std::vector<std::string>& texts, int in_flight, const Flags& flags) {
  LoadOptions options{.method = method,
                      .requests = Serialize(method, texts),
                      .in_flight = in_flight,
                      .threads = flags.threads,
                      .duration = absl::Seconds(flags.seconds)};
  LoadResult result = RunClosedLoop(target, options);
  if (result.calls == 0) {
    Fail(method, absl::UnavailableError(absl::StrCat("no call succeeded: ", result.first_error)));
  }
  return result;
}

int RunOneMethod(const Flags& flags) {
  LoadResult r = Drive(flags.target, flags.method, {flags.request}, flags.in_flight, flags);
  std::printf("%s, %d in flight: %s\n", flags.method.c_str(), flags.in_flight, Rate(r).c_str());
  if (r.errors > 0) std::printf("first error: %s\n", r.first_error.c_str());
  return 0;
}

std::string Quote(const std::string& text) { return absl::StrCat("\"", text, "\""); }

constexpr char kGet[] = "/torikumi.v1.InitiativeService/GetInitiative";
constexpr char kList[] = "/torikumi.v1.InitiativeService/ListInitiatives";
constexpr char kUpsert[] = "/torikumi.v1.OutcomeService/UpsertOutcome";
constexpr char kEvaluate[] = "/torikumi.v1.RatingService/Evaluate";

void ReadRows(const std::string& target, const Seeded& seeded, const Flags& flags,
              LoadResult* lookup) {
  std::vector<std::string> texts;
  for (size_t i = 0; i < seeded.first_plan_initiatives.size(); i += 7)
    texts.push_back(absl::StrCat("name: ", Quote(seeded.first_plan_initiatives[i])));
  for (int in_flight : {1, 16}) {
    LoadResult torikumi = Drive(target, kGet, texts, in_flight, flags);
    EchoServer echo(torikumi.response_bytes);
    LoadResult floor = Drive(echo.address(), kGet, {""}, in_flight, flags);
    Row(absl::StrCat("GetInitiative, ", in_flight, " in flight"), Rate(torikumi),
        absl::StrCat("echo of ", torikumi.response_bytes, " bytes: ", Rate(floor)),
        torikumi.calls_per_second / floor.calls_per_second);
    if (in_flight == 1) *lookup = torikumi;
  }
}

void WriteRows(const std::string& target, const Seeded& seeded, const Flags& flags,
               const std::string& scratch) {
  // Outcomes of the last plan (the first is evaluated and searched), new ones and replaced.
  const std::string plan = seeded.plans.back();
  std::vector<std::string> texts;
  for (int i = 0; i < 2000; ++i) {
    const std::string initiative = absl::StrCat(plan, "/initiatives/i", i * 2 % flags.initiatives);
    texts.push_back(absl::StrCat(
        "parent: ", Quote(initiative), " outcome { fiscal_year: ", kFirstYear + i % 5,
        " text: ", Quote(MakeOutcome("", 0, i).text()), " status: OUTCOME_STATUS_IMPLEMENTED }"));
  }
  // The floor before and after the torikumi runs, averaged: an fsync's cost on a shared
  // machine drifts from minute to minute.
  const int64_t row_bytes = MakeOutcome(plan + "/initiatives/i0", kFirstYear, 0).ByteSizeLong();
  auto floor_run = [&](const std::string& name) {
    absl::StatusOr<SqliteFloor> floor =
        RunSqliteFloor(scratch + "/" + name, row_bytes, absl::Seconds(flags.seconds));
    if (!floor.ok()) Fail("bare SQLite loop", floor.status());
    return floor->transactions_per_second;
  };
  const double before = floor_run("floor-before.db");
  LoadResult one = Drive(target, kUpsert, texts, 1, flags);
  LoadResult sixteen = Drive(target, kUpsert, texts, 16, flags);
  const double floor = (before + floor_run("floor-after.db")) / 2;
  const std::string floor_text = absl::StrFormat("bare SQLite one-row transactions: %.0f/s", floor);
  Row("UpsertOutcome, 1 in flight", Rate(one), floor_text, one.calls_per_second / floor);
  Row("UpsertOutcome, 16 in flight", Rate(sixteen), floor_text, sixteen.calls_per_second / floor);
  Row("UpsertOutcome, 16 in flight vs 1 in flight", Rate(sixteen), Rate(one),
      sixteen.calls_per_second / one.calls_per_second);
}

void EvaluateRow(const std::string& target, const Seeded& seeded, const Flags& flags) {
  absl::StatusOr<double> floor =
      PluginBoundaryRate(flags.plugins_dir, seeded.first_plan_request, flags.evaluate_rounds);
  if (!floor.ok()) Fail("plugin boundary", floor.status());
  const std::string text = absl::StrCat("plan: ", Quote(seeded.plans.front()));
  LoadOptions options{.method = kEvaluate,
                      .requests = Serialize(kEvaluate, {text}),
                      .in_flight = 1,
                      .threads = 1,
                      .duration = absl::Seconds(flags.seconds),
                      .warmup = absl::ZeroDuration()};
  LoadResult r = RunClosedLoop(target, options);
  if (r.calls == 0) Fail("Evaluate", absl::UnavailableError(r.first_error));
  const double per_second = seeded.first_plan_initiatives.size() / absl::ToDoubleSeconds(r.p50);
  Row(absl::StrCat("recorded Evaluate of ", seeded.first_plan_initiatives.size(), " initiatives"),
      absl::StrFormat("%s each (%.0f initiatives/s, %d calls)", Ms(r.p50), per_second, r.calls),
      absl::StrFormat("plugin boundary alone: %.0f initiatives/s", *floor), per_second / *floor);
}

// Two kinds of term: one that a title of every plan holds once ("(123)", each initiative's
// number), and words that one initiative in five to twelve of every plan holds.
void SearchRows(const std::string& target, const Seeded& seeded, const Flags& flags,
                const LoadResult& lookup) {
  std::vector<std::string> rare;
  std::vector<std::string> common;
  auto request = [&](const std::string& term) {
    return absl::StrCat("parent: ", Quote(seeded.plans.front()),
                        " filter { text_contains: ", Quote(term), " } page_size: 50");
  };
  for (int i = 0; i < 50; ++i)
    rare.push_back(request(absl::StrCat("(", i * 37 % flags.initiatives, ")")));
  for (const std::string& term : SearchTerms()) common.push_back(request(term));
  const std::string plan = absl::StrCat(seeded.first_plan_initiatives.size(),
                                        "-initiative plan of ", seeded.initiatives);
  const std::string floor = absl::StrCat("an indexed lookup (GetInitiative): p99 ", Ms(lookup.p99));
  LoadResult r = Drive(target, kList, rare, 1, flags);
  Row(absl::StrCat("ListInitiatives text_contains, a rare term, ", plan), Rate(r), floor,
      absl::ToDoubleSeconds(lookup.p99) / absl::ToDoubleSeconds(r.p99));
  r = Drive(target, kList, common, 1, flags);
  Row(absl::StrCat("ListInitiatives text_contains, a common term, ", plan), Rate(r), floor,
      absl::ToDoubleSeconds(lookup.p99) / absl::ToDoubleSeconds(r.p99));
}

void SizeRow(int64_t bytes, const Seeded& seeded) {
  const double per_initiative = static_cast<double>(bytes) / seeded.initiatives;
  const double data = static_cast<double>(seeded.data_bytes) / seeded.initiatives;
  Row("database bytes per initiative (5 outcomes, one computed rating)",
      absl::StrFormat("%.0f B", per_initiative),
      absl::StrFormat("the serialized initiatives and outcomes: %.0f B", data),
      data / per_initiative);
}

int RunTable(const Flags& flags) {
  server_test::TempDir scratch;
  const std::string db = flags.db.empty() ? scratch.File("torikumi.db") : flags.db;
  absl::StatusOr<std::string> body = ReadSmallFile(flags.rule_set_file);
  if (!body.ok()) Fail("--rule_set_file", body.status());
  std::printf("seeding %d plans × %d initiatives …\n", flags.plans, flags.initiatives);
  std::fflush(stdout);
  absl::StatusOr<Seeded> seeded = SeedDatabase({.db_path = db,
                                                .rule_set_body = *body,
                                                .plans = flags.plans,
                                                .initiatives_per_plan = flags.initiatives});
  if (!seeded.ok()) Fail("seeding", seeded.status());
  // The size of a PostgreSQL database is its server's business (pg_database_size).
  std::optional<int64_t> rated_bytes;
  if (!store::IsPostgresUri(db)) {
    absl::StatusOr<int64_t> bytes = RatedDatabaseBytes(db, *seeded, flags.plugins_dir);
    if (!bytes.ok()) Fail("rating every plan once", bytes.status());
    rated_bytes = *bytes;
  }
  std::vector<std::string> server_args = {"--listen=127.0.0.1:0", "--db=" + db, "--log_level=info",
                                          "--plugins_dir=" + flags.plugins_dir};
  for (absl::string_view more : absl::StrSplit(flags.server_flags, ' ', absl::SkipEmpty()))
    server_args.emplace_back(more);
  server_test::ServerProcess server(scratch, flags.server_binary, server_args);
  if (std::string error = server.Launch(); !error.empty()) {
    Fail("starting torikumi-server", absl::UnavailableError(error));
  }
  std::printf("| operation | torikumi | floor | ratio |\n|---|---|---|---|\n");
  LoadResult lookup;
  ReadRows(server.address(), *seeded, flags, &lookup);
  WriteRows(server.address(), *seeded, flags, scratch.path());
  EvaluateRow(server.address(), *seeded, flags);
  SearchRows(server.address(), *seeded, flags, lookup);
  if (!server.Stop()) Fail("stopping torikumi-server", absl::InternalError(server.Log()));
  if (rated_bytes.has_value()) SizeRow(*rated_bytes, *seeded);
  return 0;
}

}  // namespace
}  // namespace torikumi::bench

int main(int argc, char** argv) {
  // The requests are built from the descriptors of the generated code linked in (the client
  // itself names no message type); naming one message of each file makes the linker keep it.
  torikumi::v1::GetInitiativeRequest::descriptor();
  torikumi::v1::UpsertOutcomeRequest::descriptor();
  torikumi::v1::RatingServiceEvaluateRequest::descriptor();
  const torikumi::bench::Flags flags = torikumi::bench::ParseFlags(argc, argv);
  if (!flags.target.empty()) return torikumi::bench::RunOneMethod(flags);
  return torikumi::bench::RunTable(flags);
}
