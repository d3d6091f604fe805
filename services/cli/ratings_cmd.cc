// torikumi evaluators / rulesets / evaluate / ratings: evaluator plugins, rule sets and
// computed ratings beside the human ones (RatingService, RuleSetService).
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/cli/command.h"
#include "services/cli/names.h"
#include "services/cli/table_printer.h"
#include "services/common/read_file.h"
#include "services/common/text.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/rating_service.grpc.pb.h"
#include "torikumi/v1/rule_set_service.grpc.pb.h"

namespace torikumi::cli {
namespace {

// The line that tells where a background re-rating can be followed; nothing without a job.
void PrintRatingJob(CliContext& ctx, const std::string& job) {
  if (!job.empty())
    ctx.out() << "re-rating in the background as " << job << " (torikumi jobs list)\n";
}

std::string Computed(const v1::ComputedRating& rating) {
  return rating.has_insufficient_data() ? "insufficient data" : rating.grade();
}

// How a person finds the initiative in the table: its area and number (職員研修 6).
std::string AreaAndNumber(const v1::ComputedRating& rating) {
  if (rating.area().empty()) return "";
  return absl::StrCat(rating.area(), " ", rating.number());
}

// The whole file at `path` into *body; false (and a usage error printed) when unreadable.
bool ReadBody(const std::string& flag, const std::string& path, CliContext& ctx,
              std::string* body) {
  absl::StatusOr<std::string> read = ReadSmallFile(path);
  if (!read.ok()) {
    ctx.UsageError(absl::StrCat("--", flag, ": ", read.status().message()));
    return false;
  }
  *body = *std::move(read);
  return true;
}

// A rule set as given on the command line: a full name is taken as written, "org/id[@N]"
// becomes organizations/org/ruleSets/id[@N]; anything else goes to the server, whose error
// names what is wrong with it.
std::string RuleSetNameArg(const std::string& text) {
  if (absl::StartsWith(text, "organizations/")) return text;
  const size_t slash = text.find('/');
  if (slash == std::string::npos || text.find('/', slash + 1) != std::string::npos) return text;
  return absl::StrCat("organizations/", text.substr(0, slash), "/ruleSets/",
                      text.substr(slash + 1));
}

void PrintRuleSets(CliContext& ctx,
                   const google::protobuf::RepeatedPtrField<v1::RuleSet>& rule_sets) {
  TablePrinter table({{"name"}, {"version"}, {"evaluator"}, {"description", 40}});
  for (const v1::RuleSet& r : rule_sets) {
    table.AddRow({r.name(), absl::StrCat(r.version()), r.evaluator(), r.description()});
  }
  table.Print(ctx.out());
}

int EvaluatorsList(const ParsedArgs&, CliContext& ctx) {
  return CallAndPrint(ctx, &v1::RatingService::Stub::ListEvaluators, v1::ListEvaluatorsRequest(),
                      [&](const v1::ListEvaluatorsResponse& response) {
                        TablePrinter table({{"name"}, {"version"}, {"abi"}, {"path", 60}});
                        for (const v1::EvaluatorInfo& e : response.evaluators()) {
                          table.AddRow({e.name(), e.version(),
                                        absl::StrCat(e.abi_major(), ".", e.abi_minor()), e.path()});
                        }
                        table.Print(ctx.out());
                        for (const v1::EvaluatorInfo& e : response.evaluators()) {
                          if (e.unhealthy())
                            ctx.out() << "unhealthy " << e.name() << ": " << e.last_error() << "\n";
                        }
                        for (const v1::RefusedPluginInfo& r : response.refused())
                          ctx.out() << "refused " << r.path() << ": " << r.reason() << "\n";
                      });
}

std::string JobState(v1::Job::State state) {
  switch (state) {
    case v1::Job::STATE_PENDING:
      return "pending";
    case v1::Job::STATE_RUNNING:
      return "running";
    case v1::Job::STATE_SUCCEEDED:
      return "succeeded";
    case v1::Job::STATE_FAILED:
      return "failed";
    default:
      return "unknown";
  }
}

int JobsList(const ParsedArgs&, CliContext& ctx) {
  return ListAndPrint(
      ctx, &v1::RatingService::Stub::ListJobs, v1::ListJobsRequest(),
      [](v1::ListJobsResponse& r) { return r.mutable_jobs(); },
      [&](const v1::ListJobsResponse& response) {
        TablePrinter table({{"name"}, {"state"}, {"plans"}, {"description", 60}});
        for (const v1::Job& job : response.jobs()) {
          table.AddRow({job.name(), JobState(job.state()),
                        absl::StrCat(job.done(), "/", job.total()), job.description()});
        }
        table.Print(ctx.out());
        for (const v1::Job& job : response.jobs()) {
          for (const std::string& error : job.errors())
            ctx.out() << job.name() << ": " << error << "\n";
        }
      });
}

int RuleSetsCreate(const ParsedArgs& args, CliContext& ctx) {
  std::string body;
  if (!ReadBody("file", *args.Get("file"), ctx, &body)) return kExitUsage;
  v1::CreateRuleSetRequest request;
  request.set_parent(OrganizationNameArg(*args.Get("org")));
  request.set_rule_set_id(*args.Get("id"));
  request.mutable_rule_set()->set_evaluator(args.GetOr("evaluator", "rules"));
  request.mutable_rule_set()->set_body(std::move(body));
  request.mutable_rule_set()->set_description(args.GetOr("description", ""));
  if (auto plan = args.Get("plan")) request.set_plan(PlanNameArg(*plan));
  return CallAndPrint(ctx, &v1::RuleSetService::Stub::CreateRuleSet, request,
                      [&](const v1::CreateRuleSetResponse& response) {
                        ctx.out() << "created " << response.rule_set().name() << " version "
                                  << response.rule_set().version() << "\n";
                        PrintRatingJob(ctx, response.rating_job());
                      });
}

int RuleSetsGet(const ParsedArgs& args, CliContext& ctx) {
  v1::GetRuleSetRequest request;
  request.set_name(RuleSetNameArg(args.positionals()[0]));
  return CallAndPrint(ctx, &v1::RuleSetService::Stub::GetRuleSet, request,
                      [&](const v1::GetRuleSetResponse& response) {
                        ctx.out() << "# " << response.rule_set().name() << "@"
                                  << response.rule_set().version() << " (evaluator "
                                  << response.rule_set().evaluator() << ")\n"
                                  << response.rule_set().body();
                      });
}

int RuleSetsList(const ParsedArgs& args, CliContext& ctx) {
  v1::ListRuleSetsRequest request;
  request.set_parent(OrganizationNameArg(*args.Get("org")));
  request.set_all_versions(args.Has("all-versions"));
  request.set_page_size(1000);
  return CallAndPrint(
      ctx, &v1::RuleSetService::Stub::ListRuleSets, request,
      [&](const v1::ListRuleSetsResponse& response) { PrintRuleSets(ctx, response.rule_sets()); });
}

int RuleSetsApply(const ParsedArgs& args, CliContext& ctx) {
  v1::UpdatePlanRequest request;
  request.mutable_plan()->set_name(PlanNameArg(*args.Get("plan")));
  request.mutable_plan()->set_rule_set(RuleSetNameArg(args.positionals()[0]));
  request.mutable_update_mask()->add_paths("rule_set");
  return CallAndPrint(ctx, &v1::PlanService::Stub::UpdatePlan, request,
                      [&](const v1::UpdatePlanResponse& response) {
                        ctx.out() << response.plan().name() << " now rates with "
                                  << response.plan().rule_set() << "\n";
                        PrintRatingJob(ctx, response.rating_job());
                      });
}

void PrintRatings(CliContext& ctx,
                  const google::protobuf::RepeatedPtrField<v1::ComputedRating>& ratings) {
  TablePrinter table({{"initiative"}, {"computed"}, {"rule"}, {"reason", 60}, {"resource name"}});
  for (const v1::ComputedRating& r : ratings) {
    table.AddRow({AreaAndNumber(r), Computed(r), absl::StrJoin(r.fired_rules(), ","), r.reason(),
                  r.initiative()});
  }
  table.Print(ctx.out());
}

std::string Percent(int part, int whole) {
  return whole == 0 ? "-" : absl::StrFormat("%.1f%%", 100.0 * part / whole);
}

// What back-testing shows: the initiatives whose grade changes, and agreement with the
// human ratings before (the recorded ratings) and after (the ones computed now).
void PrintDiff(CliContext& ctx, const v1::RatingDiff& diff, bool dry_run) {
  std::ostream& out = ctx.out();
  out << "diff of " << diff.rule_set() << " against the recorded ratings"
      << (dry_run ? " (dry run, nothing recorded)" : "") << "\n";
  out << diff.changes_size() << " of " << diff.evaluated() << " initiatives change grade, "
      << diff.unchanged() << " unchanged\n";
  if (diff.changes_size() > 0) {
    TablePrinter table(
        {{"initiative", 40}, {"human"}, {"current"}, {"candidate"}, {"candidate reason", 50}});
    for (const v1::RatingChange& c : diff.changes()) {
      table.AddRow({c.title(), c.human_grade().empty() ? "-" : c.human_grade(),
                    c.current_grade().empty() ? "-" : c.current_grade(), c.candidate_grade(),
                    c.candidate_reason()});
    }
    table.Print(out);
  }
  out << "agreement with the human ratings: before " << diff.agreed_before() << " of "
      << diff.human_rated() << " (" << Percent(diff.agreed_before(), diff.human_rated())
      << "), after " << diff.agreed_after() << " of " << diff.human_rated() << " ("
      << Percent(diff.agreed_after(), diff.human_rated()) << ")\n";
}

// The request of `torikumi evaluate`; false (a usage error printed) on a bad flag.
bool EvaluateRequestFromArgs(const ParsedArgs& args, CliContext& ctx,
                             v1::RatingServiceEvaluateRequest* request) {
  request->set_plan(PlanNameArg(*args.Get("plan")));
  request->set_dry_run(args.Has("dry-run"));
  request->set_area(args.GetOr("area", ""));
  request->set_diff(args.Has("diff"));
  if (auto rule_set = args.Get("rule-set")) request->set_rule_set(RuleSetNameArg(*rule_set));
  if (auto path = args.Get("rule-set-file")) {
    if (args.Has("rule-set")) {
      ctx.UsageError("give --rule-set or --rule-set-file, not both");
      return false;
    }
    v1::RuleSet* candidate = request->mutable_inline_rule_set();
    if (!ReadBody("rule-set-file", *path, ctx, candidate->mutable_body())) return false;
    candidate->set_evaluator(args.GetOr("evaluator", "rules"));
  }
  return true;
}

int Evaluate(const ParsedArgs& args, CliContext& ctx) {
  v1::RatingServiceEvaluateRequest request;
  if (!EvaluateRequestFromArgs(args, ctx, &request)) return kExitUsage;
  return CallAndPrint(ctx, &v1::RatingService::Stub::Evaluate, request,
                      [&](const v1::RatingServiceEvaluateResponse& response) {
                        if (request.diff()) {
                          PrintDiff(ctx, response.diff(), request.dry_run());
                          return;
                        }
                        PrintRatings(ctx, response.ratings());
                        ctx.out() << response.ratings_size() << " initiatives "
                                  << (request.dry_run() ? "evaluated (dry run)" : "rated") << "\n";
                      });
}

int RatingsList(const ParsedArgs& args, CliContext& ctx) {
  v1::ListRatingsRequest request;
  request.set_plan(PlanNameArg(*args.Get("plan")));
  if (auto initiative = args.Get("initiative"))
    request.set_initiative(InitiativeNameArg(*initiative));
  request.set_history(args.Has("history"));
  return ListAndPrint(
      ctx, &v1::RatingService::Stub::ListRatings, request,
      [](v1::ListRatingsResponse& r) { return r.mutable_ratings(); },
      [&](const v1::ListRatingsResponse& response) { PrintRatings(ctx, response.ratings()); });
}

// Both ratings of one initiative, and the rules, facts and input behind the computed one.
void PrintExplanation(CliContext& ctx, const v1::ExplainRatingResponse& response) {
  const v1::ComputedRating& c = response.computed();
  std::ostream& out = ctx.out();
  out << response.initiative().area() << " " << response.initiative().number() << " "
      << response.initiative().title() << "\n";
  out << "human:    " << (response.human().grade().empty() ? "(none)" : response.human().grade())
      << "\n";
  out << "computed: " << Computed(c) << "  (" << c.evaluator() << " " << c.evaluator_version()
      << ", " << c.rule_set() << "@" << c.rule_set_version() << ", rule "
      << absl::StrJoin(c.fired_rules(), ",") << ")\n";
  out << "reason:   " << c.reason() << "\n";
  for (const v1::UsedFact& fact : c.facts())
    out << "  fact " << fact.name() << " = " << fact.value() << "\n";
  out << "input sha256: " << c.input_sha256() << "  trigger: " << c.trigger() << "\n";
}

int RatingsExplain(const ParsedArgs& args, CliContext& ctx) {
  v1::ExplainRatingRequest request;
  request.set_initiative(InitiativeNameArg(args.positionals()[0]));
  return CallAndPrint(ctx, &v1::RatingService::Stub::ExplainRating, request,
                      [&](const v1::ExplainRatingResponse& r) { PrintExplanation(ctx, r); });
}

// The consistency check: one block per finding, the shared text first.
void PrintInconsistencies(
    CliContext& ctx, const google::protobuf::RepeatedPtrField<v1::ConsistencyFinding>& findings) {
  std::ostream& out = ctx.out();
  out << "\nsame or nearly the same outcome text, different human grades: " << findings.size()
      << "\n";
  for (const v1::ConsistencyFinding& f : findings) {
    out << "  "
        << (f.similarity() >= 1 ? "identical"
                                : absl::StrFormat("%.0f%% similar", 100 * f.similarity()))
        << ": " << PadToWidth(f.evidence(), 70) << "\n";
    for (int i = 0; i < f.initiatives_size(); ++i) {
      out << "    " << f.human_grades(i) << "  " << (i < f.titles_size() ? f.titles(i) : "")
          << "  (" << f.initiatives(i) << ")\n";
    }
  }
}

// Agreement, the confusion matrix, each disagreement and the consistency check.
void PrintComparison(CliContext& ctx, const v1::CompareRatingsResponse& response) {
  std::ostream& out = ctx.out();
  out << absl::StrFormat("agreement: %d of %d (%.1f%%)", response.agreed(), response.compared(),
                         100 * response.agreement())
      << "; not computed: " << response.not_computed() << "\n\nconfusion (human → computed):\n";
  TablePrinter confusion({{"human"}, {"computed"}, {"count"}});
  for (const v1::ConfusionCell& cell : response.confusion()) {
    confusion.AddRow({cell.human(), cell.computed(), absl::StrCat(cell.count())});
  }
  confusion.Print(out);
  out << "\ndisagreements:\n";
  TablePrinter d({{"initiative", 40}, {"human"}, {"computed"}, {"computed reason", 60}});
  for (const v1::RatingDisagreement& x : response.disagreements()) {
    d.AddRow({x.title(), x.human_grade(), x.computed_grade(), x.computed_reason()});
  }
  d.Print(out);
  PrintInconsistencies(ctx, response.inconsistencies());
}

int RatingsCompare(const ParsedArgs& args, CliContext& ctx) {
  v1::CompareRatingsRequest request;
  request.set_plan(PlanNameArg(*args.Get("plan")));
  return CallAndPrint(ctx, &v1::RatingService::Stub::CompareRatings, request,
                      [&](const v1::CompareRatingsResponse& r) { PrintComparison(ctx, r); });
}

}  // namespace

std::vector<Command> RatingCommands() {
  return {
      {{.path = "evaluators list",
        .summary = "List the loaded evaluator plugins (and refused files)."},
       EvaluatorsList},
      {{.path = "rulesets create",
        .summary = "Create a rule set, or its next version, validated against a plan's scale.",
        .flags = {{"org", "ORG", "the organization", true},
                  {"id", "ID", "the rule set id, e.g. abc-implementation", true},
                  {"file", "PATH", "the rule set body (for rules: text format)", true},
                  {"plan", "PLAN", "the plan whose rating scale the grades must be on", true},
                  {"evaluator", "NAME", "the evaluator that runs it (default rules)"},
                  {"description", "TEXT", "what it is for"}},
        .details = "example:\n  torikumi rulesets create --org demo --id abc-implementation "
                   "--evaluator rules "
                   "--file plugins/rules/rulesets/abc-implementation.textproto --plan demo/hr"},
       RuleSetsCreate},
      {{.path = "rulesets get",
        .summary = "Print a rule set (NAME: org/id or a full name; the latest version, or NAME@N).",
        .positionals = {"NAME"}},
       RuleSetsGet},
      {{.path = "rulesets list",
        .summary = "List the rule sets of an organization.",
        .flags = {{"org", "ORG", "the organization", true},
                  {"all-versions", "", "every version, not only the latest"}}},
       RuleSetsList},
      {{.path = "rulesets apply",
        .summary =
            "Make a plan rate with a rule set (NAME follows the latest version; NAME@N pins one).",
        .positionals = {"NAME"},
        .flags = {{"plan", "PLAN", "the plan", true}}},
       RuleSetsApply},
      {{.path = "evaluate",
        .summary = "Rate a plan's initiatives with its rule set (recorded unless --dry-run), "
                   "or back-test a candidate rule set.",
        .flags = {{"plan", "PLAN", "the plan", true},
                  {"dry-run", "", "compute and print, record nothing"},
                  {"area", "AREA", "only initiatives of this area"},
                  {"rule-set", "NAME",
                   "back-test this rule set (org/id, a full name, or NAME@N) instead of the "
                   "plan's; needs --dry-run"},
                  {"rule-set-file", "PATH",
                   "back-test the rule set body in this file instead; needs --dry-run"},
                  {"evaluator", "NAME", "the evaluator of --rule-set-file (default rules)"},
                  {"diff", "", "print what changes against the recorded and human ratings"}},
        .details = "back-testing example:\n  torikumi evaluate --plan city/hr --rule-set "
                   "city/candidate --dry-run --diff"},
       Evaluate},
      {{.path = "ratings list",
        .summary = "List computed ratings of a plan.",
        .flags = {{"plan", "PLAN", "the plan", true},
                  {"initiative", "INITIATIVE", "only this initiative"},
                  {"history", "", "every recorded rating, newest first"}}},
       RatingsList},
      {{.path = "ratings explain",
        .summary = "Why an initiative got its computed rating, beside the human one.",
        .positionals = {"INITIATIVE"}},
       RatingsExplain},
      {{.path = "ratings compare",
        .summary = "Human vs computed ratings: agreement, confusion matrix, disagreements, and "
                   "initiatives with the same outcome text but different human grades.",
        .flags = {{"plan", "PLAN", "the plan", true}}},
       RatingsCompare},
      {{.path = "jobs list",
        .summary = "Background re-rating jobs (after an import, a new rule set or version, a "
                   "reload), newest first."},
       JobsList},
  };
}

}  // namespace torikumi::cli
