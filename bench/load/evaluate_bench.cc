// Whole-plan evaluation in this process, without gRPC: seeds one plan, then runs a recorded
// Ratings::Evaluate of it `--rounds` times beside the plugin boundary alone (the same
// request through EvaluatorHost::Evaluate), printing initiatives/s of each and their ratio.
// The load driver measures the same through the server; this one is small enough to run
// under valgrind --tool=callgrind (see README, "Performance").
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "bench/load/plugin_floor.h"
#include "bench/load/seed.h"
#include "google/protobuf/text_format.h"
#include "services/common/read_file.h"
#include "services/domain/ratings.h"
#include "services/evaluators/evaluator_host.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/server/test_support.h"

namespace torikumi::bench {
namespace {

struct Flags {
  int initiatives = 5000;
  int rounds = 3;
  bool process = false;  // --isolation=process: the worker process, as the server's default
  bool boundary = true;  // --boundary=false: only the whole path (for a profile of it)
  std::string dump;      // --dump=FILE: the first round's ratings, without their times
  std::string plugins_dir = TORIKUMI_BUILT_PLUGINS_DIR;
  std::string rule_set_file = std::string(TORIKUMI_RULESETS_DIR) + "/abc-implementation.textproto";
};

[[noreturn]] void Fail(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "evaluate_bench: %s: %s\n", what.c_str(), status.ToString().c_str());
  std::exit(1);
}

Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    bool ok = true;
    if (name == "--initiatives")
      ok = absl::SimpleAtoi(value, &flags.initiatives);
    else if (name == "--rounds")
      ok = absl::SimpleAtoi(value, &flags.rounds);
    else if (name == "--isolation") {
      flags.process = value == "process";
      ok = flags.process || value == "none";
    } else if (name == "--boundary")
      flags.boundary = value != "false";
    else if (name == "--dump")
      flags.dump = value;
    else if (name == "--plugins_dir")
      flags.plugins_dir = value;
    else if (name == "--rule_set_file")
      flags.rule_set_file = value;
    else
      ok = false;
    if (!ok) Fail(arg, absl::InvalidArgumentError("unknown flag or bad value"));
  }
  return flags;
}

// What the ratings say, in text format, so that two builds can be compared byte for byte.
void Dump(v1::RatingServiceEvaluateResponse response, const std::string& path) {
  for (v1::ComputedRating& rating : *response.mutable_ratings()) rating.clear_compute_time();
  std::string text;
  google::protobuf::TextFormat::PrintToString(response, &text);
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) Fail("--dump", absl::InvalidArgumentError(path));
  std::fwrite(text.data(), 1, text.size(), out);
  std::fclose(out);
}

int Run(const Flags& flags) {
  server_test::TempDir scratch;
  const std::string db = scratch.File("torikumi.db");
  absl::StatusOr<std::string> body = ReadSmallFile(flags.rule_set_file);
  if (!body.ok()) Fail("--rule_set_file", body.status());
  absl::StatusOr<Seeded> seeded = SeedDatabase({.db_path = db,
                                                .rule_set_body = *body,
                                                .plans = 1,
                                                .initiatives_per_plan = flags.initiatives});
  if (!seeded.ok()) Fail("seeding", seeded.status());
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::OpenSqliteStore(db);
  if (!store.ok()) Fail("opening the store", store.status());
  evaluators::EvaluatorHost host({.plugins_dir = flags.plugins_dir,
                                  .call_limit = absl::Minutes(10),
                                  .isolation = flags.process ? evaluators::Isolation::kProcess
                                                             : evaluators::Isolation::kInProcess});
  if (auto report = host.Reload(); !report.ok()) Fail("loading plugins", report.status());
  domain::Ratings ratings(**store, host);
  v1::RatingServiceEvaluateRequest request;
  request.set_plan(seeded->plans.front());
  const double n = flags.initiatives;
  for (int round = 0; round < flags.rounds; ++round) {
    const absl::Time start = absl::Now();
    absl::StatusOr<v1::RatingServiceEvaluateResponse> done = ratings.Evaluate(request);
    if (!done.ok()) Fail("Evaluate", done.status());
    const double whole = n / absl::ToDoubleSeconds(absl::Now() - start);
    if (round == 0 && !flags.dump.empty()) Dump(*done, flags.dump);
    if (!flags.boundary) {
      std::printf("round %d: Evaluate %.0f/s\n", round, whole);
      continue;
    }
    absl::StatusOr<double> floor =
        PluginBoundaryRate(flags.plugins_dir, seeded->first_plan_request, 1);
    if (!floor.ok()) Fail("plugin boundary", floor.status());
    std::printf("round %d: Evaluate %.0f/s, boundary alone %.0f/s, ratio %.2f\n", round, whole,
                *floor, whole / *floor);
  }
  return 0;
}

}  // namespace
}  // namespace torikumi::bench

int main(int argc, char** argv) {
  return torikumi::bench::Run(torikumi::bench::ParseFlags(argc, argv));
}
