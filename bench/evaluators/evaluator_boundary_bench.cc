// Evaluations per second of the `rules` evaluator with the abc-implementation rule set:
//   direct    RulesEvaluator::Evaluate on in-memory messages (torikumi_rules_core)
//   boundary  EvaluatorHost::Evaluate through rules.so: serialize the request, run the
//             plugin on a worker thread under the time limit, parse and check the result
//   inline    the same through rules.so, on the calling thread (no time limit)
//   process   the same through rules.so in a worker process (--plugin_isolation=process):
//             the request and the result cross a socket pair; its CPU time counts the
//             worker process's too
// over synthetic initiatives shaped like the seed's, in batches. Prints one line per
// path and the ratio boundary/direct of CPU time (the README gives the target and the
// measured figures); wall-clock figures are printed beside them. In each round the paths take
// turns batch by batch, so that the machine's changing speed moves them alike; the ratio
// is the median of the rounds' ratios.
//
// Each batch is copied into a fresh request just before it is evaluated, untimed, as
// Ratings::Evaluate builds a plan's request from the store right before it evaluates it;
// only the evaluation is timed. The same ratio over the prebuilt batches in place (long
// out of cache, so every extra pass of the boundary over a request misses) is printed as
// "cold" beside it.
//
// Every thread runs on one CPU, the one the bench starts on (--any_cpu lets them float):
// on a small shared virtual machine the CPUs do not run equally fast from moment to
// moment, so a CPU second of the worker thread on one and of the calling thread on the
// other are not the same unit: floating, the plugin's half of the same boundary call
// varies severalfold from one run to the next (the README has the figures). On one CPU,
// the worker thread's switches and cache misses are still counted.
//
//   evaluator_boundary_bench [--initiatives=100000] [--batch=1000] [--rounds=5] [--any_cpu]
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/message_differencer.h"
#include "rules_evaluator.h"
#include "services/evaluators/evaluator_host.h"
#include "services/evaluators/process_plugin.h"
#include "services/evaluators/request_wire.h"
#include "services/evaluators/response_check.h"

namespace {

using namespace torikumi;

// Outcome texts like the seed's: mostly "done" sentences, some with the cue phrases of
// a partial or missing implementation.
const char* const kTexts[] = {
    "各研修の終了後にアンケートを実施し、職員の研修ニーズの把握に努めた。",
    "受講対象者の所属長あての対内文（開催通知）において、研修受講に配慮してもらうよう依頼した。",
    "市民から寄せられた意見、苦情等については、都度各職場へフィードバックを行った。",
    "相談を希望する職員に対し健康相談を実施した。",
    "全職員に対しストレスチェックを実施し、高ストレスと判断された職員に対し、健康管理医による面談を"
    "実施した。",
    "安全衛生委員会による職場巡視を実施し、改善点について対応を行った。",
    "グループ制の運用において、事務分担表の作成・業務平準化について、各所属へ依頼した。",
    "修学部分休業制度を令和5年4月より導入すべく、検討を進めた。",
    "令和2年度より時差勤務を試行しており、その課題等について検討を進めた。",
    "新規採用職員同士及びメンター同士の意見交換は実施できていないが、アンケートを実施した。",
    "受入れ手法の拡大について検討を行っているが、拡大には至っていない。",
    "民間企業等への長期の派遣は難しい状況だった。",
};
const char* const kLabels[] = {"庁内",         "自治研",       "新任管理職研修",
                               "新任係長研修", "日本経営協会", "その他"};

v1::EvaluationSubject MakeSubject(int index, std::mt19937& rng) {
  v1::EvaluationSubject s;
  v1::Initiative* in = s.mutable_initiative();
  in->set_name(absl::StrCat("organizations/bench/plans/p/initiatives/i", index));
  in->set_area("職員研修");
  in->set_number(index % 30 + 1);
  in->set_title("ベンチマーク用の取組");
  in->set_kind(rng() % 3 == 0 ? v1::INITIATIVE_KIND_NEW : v1::INITIATIVE_KIND_CONTINUING);
  const int implement_from = 2018 + static_cast<int>(rng() % 2);
  for (int year = 2018; year <= 2022; ++year) {
    auto* e = in->add_schedule();
    e->set_fiscal_year(year);
    e->set_phase(year >= implement_from ? v1::PHASE_IMPLEMENT : v1::PHASE_CONSIDER);
  }
  if (rng() % 100 < 78) {  // one text for the whole period, as in 52 of the seed's 66 rows
    v1::Outcome* o = s.add_outcomes();
    o->set_text(kTexts[rng() % std::size(kTexts)]);
    o->mutable_as_of()->set_year(2022);
    o->mutable_as_of()->set_month(8);
    o->mutable_as_of()->set_day(31);
  } else {  // figures per year, as in the other 14
    const int labels = 1 + static_cast<int>(rng() % 5);
    for (int year = 2018; year <= 2022; ++year) {
      v1::Outcome* o = s.add_outcomes();
      o->set_fiscal_year(year);
      std::string text;
      for (int l = 0; l < labels; ++l) {
        if (year == 2021 && l > 0 && rng() % 4 == 0) continue;  // an item dropped now and then
        const double value = rng() % 12 == 0 ? 0 : 5 + rng() % 400;
        v1::Metric* m = o->add_metrics();
        m->set_label(kLabels[l]);
        m->set_value(value);
        m->set_unit("人");
        absl::StrAppend(&text, "・", kLabels[l], " ", value, "人 ");
      }
      o->set_text(text);
      if (year == 2022) {
        o->set_status(v1::OUTCOME_STATUS_IN_PROGRESS);
        o->mutable_as_of()->set_year(2022);
        o->mutable_as_of()->set_month(8);
        o->mutable_as_of()->set_day(31);
      }
    }
  }
  return s;
}

std::vector<v1::EvaluateRequest> MakeBatches(int initiatives, int batch) {
  std::mt19937 rng(20180401);
  std::vector<v1::EvaluateRequest> out;
  for (int i = 0; i < initiatives; ++i) {
    if (i % batch == 0) {
      v1::EvaluateRequest& r = out.emplace_back();
      for (const char* code : {"A", "B", "C"})
        r.mutable_rating_scale()->add_grades()->set_code(code);
      r.mutable_period()->set_first_fiscal_year(2018);
      r.mutable_period()->set_last_fiscal_year(2022);
      r.mutable_as_of()->set_year(2022);
      r.mutable_as_of()->set_month(8);
      r.mutable_as_of()->set_day(31);
    }
    *out.back().add_subjects() = MakeSubject(i, rng);
  }
  return out;
}

int IntFlag(int argc, char** argv, const char* name, int fallback) {
  const std::string prefix = absl::StrCat("--", name, "=");
  for (int i = 1; i < argc; ++i) {
    int value = 0;
    if (absl::StartsWith(argv[i], prefix) && absl::SimpleAtoi(argv[i] + prefix.size(), &value) &&
        value > 0) {
      return value;
    }
  }
  return fallback;
}

double Seconds(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

// Keeps this thread, and the threads it starts from now on, on the CPU it runs on; that
// CPU, or -1 if the system refused (the bench then runs as --any_cpu).
int PinToCurrentCpu() {
  const int cpu = sched_getcpu();
  if (cpu < 0) return -1;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  return sched_setaffinity(0, sizeof one, &one) == 0 ? cpu : -1;
}

using EvaluateFn = std::function<bool(const v1::EvaluateRequest&, v1::EvaluateResponse*)>;

// One way of evaluating a batch, and what it cost in each round.
struct Path {
  const char* name;
  EvaluateFn evaluate;
  std::vector<double> cpu;         // CPU time of every thread of the process, per round
  std::vector<double> caller_cpu;  // of the calling thread alone (the rest ran on a worker)
  std::vector<double> wall;
  bool ok = true;
  // The CPU clock of the worker process the path calls, if any: its time counts too.
  std::optional<clockid_t> worker_clock = std::nullopt;

  double Best(const std::vector<double>& per_round) const {
    return *std::min_element(per_round.begin(), per_round.end());
  }
};

// The median over the rounds of path a's time over path b's. In a round both took turns
// on the same batches, so a round's ratio is little moved by how fast the machine was
// then; the median drops the rounds a neighbour disturbed most.
double MedianRatio(const Path& a, const Path& b, const std::vector<double> Path::*times) {
  std::vector<double> ratios;
  for (size_t r = 0; r < (a.*times).size() && r < (b.*times).size(); ++r)
    ratios.push_back((a.*times)[r] / (b.*times)[r]);
  std::sort(ratios.begin(), ratios.end());
  if (ratios.empty()) return 0;
  const size_t n = ratios.size();
  return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
}

// One round: every batch is evaluated by every path, the paths taking turns batch by
// batch (in an order that rotates), so that a change in the machine's speed, common on a
// shared 2-core machine, hits them all alike. Each answer goes into a message on a fresh
// arena, as a server recording a batch would. `fresh`: each path gets the batch copied
// (untimed) into a new request just before; otherwise the prebuilt one, in place.
void TimeRound(const std::vector<v1::EvaluateRequest>& batches, bool fresh,
               const std::vector<Path*>& paths) {
  std::vector<double> cpu(paths.size()), caller_cpu(paths.size()), wall(paths.size());
  for (size_t b = 0; b < batches.size(); ++b) {
    for (size_t turn = 0; turn < paths.size(); ++turn) {
      const size_t p = (b + turn) % paths.size();
      // The copy lives on an arena of its own: built and dropped in a few large blocks, so
      // the allocator's state (which would otherwise differ from path to path) times nothing.
      google::protobuf::Arena request_arena;
      v1::EvaluateRequest* copy = nullptr;
      if (fresh) {
        copy = google::protobuf::Arena::CreateMessage<v1::EvaluateRequest>(&request_arena);
        *copy = batches[b];
      }
      const v1::EvaluateRequest& request = fresh ? *copy : batches[b];
      google::protobuf::Arena arena;
      auto* response = google::protobuf::Arena::CreateMessage<v1::EvaluateResponse>(&arena);
      const auto wall_start = std::chrono::steady_clock::now();
      const double cpu_start = Seconds(CLOCK_PROCESS_CPUTIME_ID);
      const double caller_start = Seconds(CLOCK_THREAD_CPUTIME_ID);
      const std::optional<clockid_t> worker = paths[p]->worker_clock;
      const double worker_start = worker ? Seconds(*worker) : 0;
      paths[p]->ok = paths[p]->evaluate(request, response) && paths[p]->ok;
      caller_cpu[p] += Seconds(CLOCK_THREAD_CPUTIME_ID) - caller_start;
      cpu[p] += Seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
      if (worker) cpu[p] += Seconds(*worker) - worker_start;
      wall[p] +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    }
  }
  for (size_t p = 0; p < paths.size(); ++p) {
    paths[p]->cpu.push_back(cpu[p]);
    paths[p]->caller_cpu.push_back(caller_cpu[p]);
    paths[p]->wall.push_back(wall[p]);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int initiatives = IntFlag(argc, argv, "initiatives", 100000);
  const int batch = IntFlag(argc, argv, "batch", 1000);
  const int rounds = IntFlag(argc, argv, "rounds", 5);
  // --only=direct|boundary|inline|parts|cold runs those paths alone, to profile them, and
  // prints no figures.
  std::string only;
  for (int i = 1; i < argc; ++i) {
    if (absl::StartsWith(argv[i], "--only=")) only = argv[i] + 7;
  }
  auto runs = [&](const char* path) { return only.empty() || only == path; };
  bool any_cpu = false;
  for (int i = 1; i < argc; ++i) any_cpu = any_cpu || std::string(argv[i]) == "--any_cpu";
  // Before the host starts its worker threads, which inherit it.
  const int cpu = any_cpu ? -1 : PinToCurrentCpu();

  std::ifstream in(std::string(TORIKUMI_RULESETS_DIR) + "/abc-implementation.textproto");
  std::stringstream body;
  body << in.rdbuf();

  // A private plugins directory holding only rules.so.
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / absl::StrCat("torikumi-bench-", getpid());
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(std::string(TORIKUMI_BUILT_PLUGINS_DIR) + "/rules.so",
                             dir / "rules.so", std::filesystem::copy_options::overwrite_existing);
  evaluators::EvaluatorHost host({.plugins_dir = dir.string()});
  auto report = host.Reload();
  auto plugin = host.Compile("rules", body.str());
  auto direct = rules::RulesEvaluator::Create(body.str());
  // The worker inherits the bench's CPU.
  evaluators::EvaluatorHost process_host(
      {.plugins_dir = dir.string(), .isolation = evaluators::Isolation::kProcess});
  auto process_report = process_host.Reload();
  auto in_worker = process_host.Compile("rules", body.str());
  if (!report.ok() || !plugin.ok() || !direct.ok() || !process_report.ok() || !in_worker.ok()) {
    std::fprintf(stderr, "setup failed: %s %s %s %s\n", report.status().ToString().c_str(),
                 plugin.status().ToString().c_str(), direct.status().ToString().c_str(),
                 in_worker.status().ToString().c_str());
    return 1;
  }
  clockid_t worker_clock;
  const pid_t worker_pid =
      dynamic_cast<const evaluators::ProcessPlugin&>(*process_host.Find("rules")).worker_pid();
  if (clock_getcpuclockid(worker_pid, &worker_clock) != 0) {
    std::fprintf(stderr, "no CPU clock for the worker process %d\n", worker_pid);
    return 1;
  }
  const std::vector<v1::EvaluateRequest> batches = MakeBatches(initiatives, batch);

  // Every path must give the same answers before their speed means anything.
  {
    v1::EvaluateResponse a;
    auto b = host.Evaluate(*plugin, batches[0]);
    auto c = process_host.Evaluate(*in_worker, batches[0]);
    if (!(*direct)->Evaluate(batches[0], &a).ok() || !b.ok() || !c.ok() ||
        !google::protobuf::util::MessageDifferencer::Equals(a, *b) ||
        !google::protobuf::util::MessageDifferencer::Equals(a, *c)) {
      std::fprintf(stderr, "direct and boundary results differ\n");
      return 1;
    }
  }

  const EvaluateFn direct_fn = [&](const v1::EvaluateRequest& request,
                                   v1::EvaluateResponse* response) {
    return (*direct)->Evaluate(request, response).ok();
  };
  const EvaluateFn boundary_fn = [&](const v1::EvaluateRequest& request,
                                     v1::EvaluateResponse* response) {
    return host.Evaluate(*plugin, request, absl::Seconds(10), response).ok();
  };
  const EvaluateFn inline_fn = [&](const v1::EvaluateRequest& request,
                                   v1::EvaluateResponse* response) {
    return host.Evaluate(*plugin, request, absl::InfiniteDuration(), response).ok();
  };
  const EvaluateFn process_fn = [&](const v1::EvaluateRequest& request,
                                    v1::EvaluateResponse* response) {
    return process_host.Evaluate(*in_worker, request, absl::Seconds(10), response).ok();
  };
  // The host's own steps of a boundary call, alone, so that the ratio can be read.
  std::vector<std::string> response_bytes;
  for (const auto& request : batches) {
    v1::EvaluateResponse response;
    if (!(*direct)->Evaluate(request, &response).ok()) return 1;
    response_bytes.push_back(response.SerializeAsString());
  }
  // The parse step takes each batch's answer in turn: every round hands it the batches in
  // order, once each.
  size_t next_response = 0;
  const EvaluateFn serialize_fn = [](const v1::EvaluateRequest& request, v1::EvaluateResponse*) {
    return !evaluators::SerializeRequestSkippingUtf8Check(request).empty();
  };
  const EvaluateFn parse_fn = [&](const v1::EvaluateRequest& request,
                                  v1::EvaluateResponse* response) {
    const std::string& bytes = response_bytes[next_response++ % response_bytes.size()];
    return response->ParseFromString(bytes) && evaluators::CheckEvaluateRequest(request).ok() &&
           evaluators::CheckEvaluateResponse(request, *response).ok();
  };

  Path direct_p{"direct", direct_fn}, boundary_p{"boundary", boundary_fn},
      inline_p{"inline", inline_fn}, process_p{"process", process_fn},
      serialize_p{"serialize", serialize_fn}, parse_p{"parse", parse_fn},
      cold_direct_p{"direct", direct_fn}, cold_boundary_p{"boundary", boundary_fn};
  process_p.worker_clock = worker_clock;
  std::vector<Path*> fresh_paths;
  for (Path* p : {&direct_p, &boundary_p, &inline_p, &process_p}) {
    if (runs(p->name)) fresh_paths.push_back(p);
  }
  if (runs("parts")) fresh_paths.insert(fresh_paths.end(), {&serialize_p, &parse_p});
  std::vector<Path*> cold_paths;
  if (runs("cold")) cold_paths = {&cold_direct_p, &cold_boundary_p};
  for (int round = 0; round < rounds; ++round) {
    if (!fresh_paths.empty()) TimeRound(batches, true, fresh_paths);
    // In place, apart: a fresh copy reads its batch and would warm it for these.
    if (!cold_paths.empty()) TimeRound(batches, false, cold_paths);
  }
  std::filesystem::remove_all(dir);
  for (const std::vector<Path*>* group : {&fresh_paths, &cold_paths}) {
    for (const Path* p : *group) {
      if (!p->ok) {
        std::fprintf(stderr, "an evaluation failed (%s)\n", p->name);
        return 1;
      }
    }
  }
  if (!only.empty()) return 0;  // a profiling run: the figures need every path

  size_t request_bytes = 0, result_bytes = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    request_bytes += batches[i].ByteSizeLong();
    result_bytes += response_bytes[i].size();
  }
  std::printf(
      "%d initiatives in batches of %d, %d rounds, the paths taking turns batch by batch; per "
      "initiative %zu request bytes, %zu response bytes; %s\n",
      initiatives, batch, rounds, request_bytes / initiatives, result_bytes / initiatives,
      cpu >= 0 ? absl::StrCat("every thread on CPU ", cpu).c_str() : "threads on any CPU");
  std::printf(
      "  best round, evaluations per CPU second (all threads) and per wall-clock second:\n");
  auto line = [&](const Path& p, const char* note) {
    std::printf("  %-9s %9.0f/s cpu  %9.0f/s wall  %s\n", p.name, initiatives / p.Best(p.cpu),
                initiatives / p.Best(p.wall), note);
  };
  line(direct_p, "RulesEvaluator::Evaluate, no boundary");
  line(boundary_p, "rules.so via the host, worker thread + time limit");
  line(inline_p, "rules.so via the host, calling thread");
  line(process_p, "rules.so in a worker process (CPU: both processes)");
  std::printf("  median over the rounds of each round's ratio of CPU time (wall clock):\n");
  std::printf(
      "  ratio boundary/direct %.2f (wall %.2f), inline/direct %.2f (wall %.2f)\n",
      MedianRatio(boundary_p, direct_p, &Path::cpu), MedianRatio(boundary_p, direct_p, &Path::wall),
      MedianRatio(inline_p, direct_p, &Path::cpu), MedianRatio(inline_p, direct_p, &Path::wall));
  std::printf("  ratio process/direct %.2f (wall %.2f); the worker process's part %.2f\n",
              MedianRatio(process_p, direct_p, &Path::cpu),
              MedianRatio(process_p, direct_p, &Path::wall), [&] {
                std::vector<double> worker;
                for (size_t r = 0; r < process_p.cpu.size(); ++r)
                  worker.push_back(process_p.cpu[r] - process_p.caller_cpu[r]);
                Path worker_part{"worker", nullptr, worker};
                return MedianRatio(worker_part, direct_p, &Path::cpu);
              }());
  std::printf("  cold (prebuilt batches in place): ratio boundary/direct %.2f (wall %.2f)\n",
              MedianRatio(cold_boundary_p, cold_direct_p, &Path::cpu),
              MedianRatio(cold_boundary_p, cold_direct_p, &Path::wall));
  // Where a boundary call's time goes, in direct calls: the host's steps, timed alone,
  // and the part of the call spent on the worker thread (the plugin).
  std::vector<double> worker_cpu;
  for (size_t r = 0; r < boundary_p.cpu.size(); ++r)
    worker_cpu.push_back(boundary_p.cpu[r] - boundary_p.caller_cpu[r]);
  Path worker_p{"worker", nullptr, worker_cpu};
  std::printf(
      "  per direct call: host serializes the request %.2f, parses and checks the response "
      "%.2f; the worker (the plugin's side) %.2f\n",
      MedianRatio(serialize_p, direct_p, &Path::cpu), MedianRatio(parse_p, direct_p, &Path::cpu),
      MedianRatio(worker_p, direct_p, &Path::cpu));
  return 0;
}
