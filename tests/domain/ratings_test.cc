// Computed ratings in the domain layer, end to end below gRPC: the seed table imported into
// a real SQLite store, the shipped abc-implementation rule set created through RuleSets
// (validated by the real rules.so), the plan evaluated and recorded, compared with the
// human ratings; rule sets with mistakes refused naming the rule; every write that changes
// a rating's input (an outcome, a schedule, an import, the plan's rule set, a new rule-set
// version) re-rates through AutoRerate; background jobs re-rate plans.
#include "services/domain/ratings.h"

#include "tests/domain/ratings_fixture.h"

namespace torikumi::domain::testing {
namespace {

TEST_F(DomainRatingsTest, SeedWithAbcImplementationAgreesWithTheHumanRatings) {
  const std::string plan = ImportSeed();
  ASSERT_FALSE(plan.empty());
  auto created = CreateAbcImplementation(plan);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->rule_set().name(), "organizations/city/ruleSets/abc-implementation");
  EXPECT_EQ(created->rule_set().version(), 1);

  v1::RatingServiceEvaluateRequest evaluate;
  evaluate.set_plan(plan);
  EXPECT_EQ(ratings_->Evaluate(evaluate).status().code(), absl::StatusCode::kFailedPrecondition);
  UseRuleSet(plan, created->rule_set().name());

  // A dry run records nothing.
  evaluate.set_dry_run(true);
  auto dry = ratings_->Evaluate(evaluate);
  ASSERT_TRUE(dry.ok()) << dry.status();
  v1::ListRatingsRequest list;
  list.set_page_size(1000);
  list.set_plan(plan);
  EXPECT_EQ(ratings_->List(list)->ratings_size(), 0);

  evaluate.set_dry_run(false);
  auto recorded = ratings_->Evaluate(evaluate);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->ratings_size(), dry->ratings_size());
  for (const v1::ComputedRating& rating : recorded->ratings()) {
    EXPECT_FALSE(rating.reason().empty()) << rating.initiative();
    EXPECT_EQ(rating.fired_rules_size(), 1) << rating.initiative();
    EXPECT_EQ(rating.evaluator(), "rules");
    EXPECT_FALSE(rating.evaluator_version().empty());
    EXPECT_EQ(rating.rule_set_version(), 1);
    EXPECT_EQ(rating.input_sha256().size(), 64u);
    EXPECT_EQ(rating.trigger(), "evaluate");
  }
  EXPECT_EQ(ratings_->List(list)->ratings_size(), recorded->ratings_size());

  v1::CompareRatingsRequest compare;
  compare.set_plan(plan);
  auto compared = ratings_->Compare(compare);
  ASSERT_TRUE(compared.ok()) << compared.status();
  EXPECT_EQ(compared->compared(), 64);
  EXPECT_GE(compared->agreed(), 58);
  EXPECT_EQ(compared->agreed(), 60);               // the figure this rule set reaches today
  ASSERT_GE(compared->inconsistencies_size(), 1);  // consistency_test.cc checks which
  EXPECT_EQ(compared->disagreements_size(), compared->compared() - compared->agreed());
  int cells = 0;
  for (const auto& cell : compared->confusion()) cells += cell.count();
  EXPECT_EQ(cells, 64);
  EXPECT_EQ(compared->confusion_size(), 3 * 4);
  for (const auto& d : compared->disagreements()) {
    EXPECT_NE(d.human_grade(), d.computed_grade());
    EXPECT_FALSE(d.computed_reason().empty());
  }
  for (const auto& finding : compared->inconsistencies()) {
    EXPECT_GE(finding.initiatives_size(), 2);
    EXPECT_EQ(finding.initiatives_size(), finding.human_grades_size());
  }
  std::cout << "compare: " << compared->agreed() << "/" << compared->compared() << " agree, "
            << compared->inconsistencies_size() << " inconsistency groups\n";

  // Explain: the latest computed rating beside the human one.
  v1::ExplainRatingRequest explain;
  explain.set_initiative(recorded->ratings(0).initiative());
  auto explained = ratings_->Explain(explain);
  ASSERT_TRUE(explained.ok()) << explained.status();
  EXPECT_EQ(explained->computed().reason(), recorded->ratings(0).reason());
  EXPECT_FALSE(explained->human().grade().empty());
}

// A rule set's name and version can come back with another body (its organization deleted
// and made anew): the input hash covers the body it has now, as a Ratings that never saw the
// first one computes it.
TEST_F(DomainRatingsTest, TheInputHashFollowsABodyGivenAgainUnderTheSameNameAndVersion) {
  const std::string body =
      ReadTestFile(std::string(TORIKUMI_RULESETS_DIR) + "/abc-implementation.textproto");
  v1::RatingServiceEvaluateRequest request;
  request.set_dry_run(true);
  for (const std::string& text : {body, body + "\n# the same rules, another body\n"}) {
    const std::string plan = ImportSeed();
    ASSERT_TRUE(CreateRuleSet("abc-implementation", text, plan).ok());
    UseRuleSet(plan, "organizations/city/ruleSets/abc-implementation");
    request.set_plan(plan);
    auto seen = ratings_->Evaluate(request);
    ASSERT_TRUE(seen.ok()) << seen.status();
    Ratings fresh(*store_, host_);
    auto expected = fresh.Evaluate(request);
    ASSERT_TRUE(expected.ok()) << expected.status();
    ASSERT_FALSE(seen->ratings().empty());
    EXPECT_EQ(seen->ratings(0).input_sha256(), expected->ratings(0).input_sha256());
    EXPECT_EQ(seen->ratings(0).rule_set_version(), 1);
    ASSERT_TRUE(store_->DeleteOrganization("organizations/city", /*force=*/true, "").ok());
  }
}

TEST_F(DomainRatingsTest, RuleSetMistakesAreRefusedNamingTheRule) {
  const std::string plan = ImportSeed();
  struct Case {
    std::string body;
    std::string rule;
  };
  const std::vector<Case> cases = {
      {R"pb(rules {
              id: "typo"
              grade: "B"
              when {
                fact {
                  name: "phse.fy2019"
                  any_of { values: "implement" }
                }
              }
            }
            rules { id: "a" grade: "A" })pb",
       "typo"},
      {R"pb(rules {
              id: "excellent"
              grade: "S"
              when { fact { name: "outcomes" at_least: 3 } }
            }
            rules { id: "a" grade: "A" })pb",
       "excellent"},
      {R"pb(rules { id: "a" grade: "A" }
            rules {
              id: "late"
              grade: "C"
              when { fact { name: "outcomes" equals: 0 } }
            })pb",
       "late"},
      {R"pb(rules {
              id: "only-c"
              grade: "C"
              when { fact { name: "outcomes" equals: 0 } }
            })pb",
       "only-c"},
  };
  for (const Case& c : cases) {
    auto created = CreateRuleSet("bad", c.body, plan);
    ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument)
        << c.rule << ": " << created.status();
    bool named = false;
    for (const auto& v : FieldViolationsOf(created.status())) {
      if (absl::StrContains(v.description(), absl::StrCat("\"", c.rule, "\""))) named = true;
    }
    EXPECT_TRUE(named) << c.rule << ": " << created.status();
  }
  v1::ListRuleSetsRequest list;
  list.set_parent("organizations/city");
  EXPECT_EQ(rule_sets_->List(list)->rule_sets_size(), 0);
  // An unknown evaluator is the request's mistake too.
  v1::CreateRuleSetRequest request;
  request.set_parent("organizations/city");
  request.set_rule_set_id("x");
  request.mutable_rule_set()->set_evaluator("nope");
  request.mutable_rule_set()->set_body("rules { id: \"a\" grade: \"A\" }");
  request.set_plan(plan);
  EXPECT_TRUE(IsViolation(rule_sets_->Create(request).status(), "rule_set.evaluator", "nope"));
}

TEST_F(DomainRatingsTest, VersionsAndGetByVersion) {
  const std::string plan = ImportSeed();
  const std::string body = "rules { id: \"all-a\" grade: \"A\" reason: \"always A\" }";
  ASSERT_TRUE(CreateRuleSet("simple", body, plan).ok());
  auto second = CreateRuleSet("simple", "rules { id: \"all-b\" grade: \"B\" }", plan);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->rule_set().version(), 2);
  v1::GetRuleSetRequest get;
  get.set_name("organizations/city/ruleSets/simple@1");
  EXPECT_EQ(rule_sets_->Get(get)->rule_set().body(), body);
  get.set_name("organizations/city/ruleSets/simple");
  EXPECT_EQ(rule_sets_->Get(get)->rule_set().version(), 2);
  get.set_name("organizations/city/ruleSets/simple@x");
  EXPECT_TRUE(IsViolation(rule_sets_->Get(get).status(), "name", "simple@x"));
}

// The evaluator sees neither the human rating nor bookkeeping: re-rating an initiative by
// hand (which bumps its etag and update time) leaves the input hash of its computed
// rating as it was, and the reason never quotes the human one.
TEST_F(DomainRatingsTest, TheHumanRatingIsNoInputOfTheComputedOne) {
  const std::string plan = ImportSeed();
  ASSERT_TRUE(CreateAbcImplementation(plan).ok());
  UseRuleSet(plan, "organizations/city/ruleSets/abc-implementation");
  v1::RatingServiceEvaluateRequest evaluate;
  evaluate.set_plan(plan);
  evaluate.set_dry_run(true);
  auto before = ratings_->Evaluate(evaluate);
  ASSERT_TRUE(before.ok()) << before.status();
  const v1::ComputedRating& first = before->ratings(0);

  v1::RateInitiativeRequest rate;
  rate.set_name(first.initiative());
  rate.set_grade(first.grade() == "C" ? "A" : "C");
  rate.set_rater("人事課");
  rate.set_reason("見直し");
  ASSERT_TRUE(initiatives_->Rate(rate).ok());

  auto after = ratings_->Evaluate(evaluate);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->ratings(0).initiative(), first.initiative());
  EXPECT_EQ(after->ratings(0).input_sha256(), first.input_sha256());
  EXPECT_EQ(after->ratings(0).grade(), first.grade());
  EXPECT_FALSE(absl::StrContains(after->ratings(0).reason(), "見直し"));
}

TEST_F(DomainRatingsTest, RecordingAnOutcomeReRatesItsInitiative) {
  const std::string plan = ImportSeed();
  ASSERT_TRUE(CreateAbcImplementation(plan).ok());
  UseRuleSet(plan, "organizations/city/ruleSets/abc-implementation");
  EnableAutoRerate();
  v1::RatingServiceEvaluateRequest evaluate;
  evaluate.set_plan(plan);
  auto first = ratings_->Evaluate(evaluate);
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string initiative = first->ratings(0).initiative();

  v1::UpsertOutcomeRequest upsert;
  upsert.set_parent(initiative);
  upsert.mutable_outcome()->set_fiscal_year(2021);
  upsert.mutable_outcome()->set_text("実施できなかった");
  upsert.mutable_outcome()->set_status(v1::OUTCOME_STATUS_NOT_IMPLEMENTED);
  ASSERT_TRUE(outcomes_->Upsert(upsert).ok());

  v1::ListRatingsRequest list;

  list.set_page_size(1000);
  list.set_plan(plan);
  list.set_initiative(initiative);
  list.set_history(true);
  auto history = ratings_->List(list);
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->ratings_size(), 2);
  EXPECT_EQ(history->ratings(0).trigger(), "outcome");
  EXPECT_EQ(history->ratings(1).trigger(), "evaluate");
  // The input changed, so its hash did.
  EXPECT_NE(history->ratings(0).input_sha256(), history->ratings(1).input_sha256());
}

TEST_F(DomainRatingsTest, JobsReRatePlansInTheBackground) {
  const std::string plan = ImportSeed();
  ASSERT_TRUE(
      CreateRuleSet("simple", "rules { id: \"all-a\" grade: \"A\" reason: \"always A\" }", plan)
          .ok());
  UseRuleSet(plan, "organizations/city/ruleSets/simple");
  auto plans = ratings_->PlansFollowingRuleSet("organizations/city/ruleSets/simple");
  ASSERT_TRUE(plans.ok());
  ASSERT_EQ(*plans, std::vector<std::string>{plan});
  EXPECT_TRUE(ratings_->PlansFollowingRuleSet("organizations/city/ruleSets/other")->empty());
  EXPECT_EQ(*ratings_->PlansWithRuleSet(), std::vector<std::string>{plan});
  // A plan pinned to a version does not follow the latest one.
  UseRuleSet(plan, "organizations/city/ruleSets/simple@1");
  EXPECT_TRUE(ratings_->PlansFollowingRuleSet("organizations/city/ruleSets/simple")->empty());
  UseRuleSet(plan, "organizations/city/ruleSets/simple");

  RatingJobs jobs(*ratings_, *store_);
  const std::string name = *jobs.Start("reload", *plans, kTriggerReload);
  EXPECT_EQ(name, "jobs/1");
  ASSERT_TRUE(jobs.WaitIdle(absl::Minutes(1)));
  auto listed = *jobs.List();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].state(), v1::Job::STATE_SUCCEEDED);
  EXPECT_EQ(listed[0].done(), 1);
  EXPECT_EQ(listed[0].total(), 1);
  v1::ListRatingsRequest list;
  list.set_page_size(1000);
  list.set_plan(plan);
  list.set_page_size(1000);
  auto ratings = ratings_->List(list);
  ASSERT_TRUE(ratings.ok());
  EXPECT_GT(ratings->ratings_size(), 60);
  for (const auto& rating : ratings->ratings()) EXPECT_EQ(rating.trigger(), "reload");

  // A plan that cannot be rated fails its job with the plan named, and the worker goes on.
  ASSERT_TRUE(jobs.Start("broken", {"organizations/city/plans/none"}, kTriggerReload).ok());
  ASSERT_TRUE(jobs.WaitIdle(absl::Minutes(1)));
  listed = *jobs.List();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].state(), v1::Job::STATE_FAILED);
  ASSERT_EQ(listed[0].errors_size(), 1);
  EXPECT_TRUE(absl::StrContains(listed[0].errors(0), "plans/none"));

  // Paged newest first, as the other lists are.
  v1::ListJobsRequest page_request;
  page_request.set_page_size(1);
  absl::StatusOr<v1::ListJobsResponse> first = jobs.List(page_request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->jobs_size(), 1);
  EXPECT_EQ(first->jobs(0).name(), "jobs/2");
  EXPECT_EQ(first->total_size(), 2);
  page_request.set_page_token(first->next_page_token());
  absl::StatusOr<v1::ListJobsResponse> second = jobs.List(page_request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->jobs_size(), 1);
  EXPECT_EQ(second->jobs(0).name(), "jobs/1");
  EXPECT_TRUE(second->next_page_token().empty());

  // Ended jobs leave once they ended before the retention's start; numbers go on.
  EXPECT_EQ(*store_->PruneEndedJobs(absl::Now() - absl::Hours(1)), 0);
  EXPECT_EQ(*store_->PruneEndedJobs(absl::Now() + absl::Seconds(1)), 2);
  EXPECT_TRUE(jobs.List()->empty());
  EXPECT_EQ(*jobs.Start("again", *plans, kTriggerReload), "jobs/3");
  ASSERT_TRUE(jobs.WaitIdle(absl::Minutes(1)));
  listed = *jobs.List();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].name(), "jobs/3");
  EXPECT_EQ(listed[0].state(), v1::Job::STATE_SUCCEEDED);
}

TEST_F(DomainRatingsTest, EveryWriteThatChangesARatingsInputReRates) {
  EnableAutoRerate();
  // A new plan names no rule set: importing it starts no job.
  const std::string plan = ImportSeed();
  EXPECT_TRUE(jobs_->List()->empty());
  ASSERT_TRUE(CreateAbcImplementation(plan).ok());
  EXPECT_TRUE(jobs_->List()->empty()) << "no plan follows the new rule set yet";

  // Naming a rule set on the plan rates every initiative in a background job.
  v1::UpdatePlanRequest update;
  update.mutable_plan()->set_name(plan);
  update.mutable_plan()->set_rule_set("organizations/city/ruleSets/abc-implementation");
  update.mutable_update_mask()->add_paths("rule_set");
  auto updated = plans_->Update(update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->rating_job(), "jobs/1");
  ASSERT_TRUE(jobs_->WaitIdle(absl::Minutes(1)));
  v1::ListRatingsRequest all;
  all.set_page_size(1000);
  all.set_plan(plan);
  auto rated = ratings_->List(all);
  ASSERT_TRUE(rated.ok()) << rated.status();
  ASSERT_EQ(rated->ratings_size(), 66);
  for (const auto& rating : rated->ratings())
    EXPECT_EQ(rating.trigger(), "plan") << rating.initiative();
  const std::string initiative = rated->ratings(0).initiative();

  // An update that leaves the rule set alone rates nothing.
  update.mutable_plan()->set_title("人材育成推進プラン（改）");
  update.mutable_update_mask()->set_paths(0, "title");
  updated = plans_->Update(update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_TRUE(updated->rating_job().empty());

  // A schedule change re-rates that initiative at once.
  v1::UpdateInitiativeRequest reschedule;
  reschedule.mutable_initiative()->set_name(initiative);
  auto* entry = reschedule.mutable_initiative()->add_schedule();
  entry->set_fiscal_year(2022);
  entry->set_phase(v1::PHASE_CONSIDER);
  reschedule.mutable_update_mask()->add_paths("schedule");
  ASSERT_TRUE(initiatives_->Update(reschedule).ok());
  EXPECT_EQ(Triggers(plan, initiative), (std::vector<std::string>{"initiative", "plan"}));

  // Recording and deleting an outcome each re-rate it.
  v1::UpsertOutcomeRequest upsert;
  upsert.set_parent(initiative);
  upsert.mutable_outcome()->set_fiscal_year(2021);
  upsert.mutable_outcome()->set_text("実施できなかった");
  upsert.mutable_outcome()->set_status(v1::OUTCOME_STATUS_NOT_IMPLEMENTED);
  auto upserted = outcomes_->Upsert(upsert);
  ASSERT_TRUE(upserted.ok()) << upserted.status();
  v1::DeleteOutcomeRequest remove;
  remove.set_name(upserted->outcome().name());
  ASSERT_TRUE(outcomes_->Delete(remove).ok());
  EXPECT_EQ(Triggers(plan, initiative),
            (std::vector<std::string>{"outcome", "outcome", "initiative", "plan"}));

  // Importing the table again into the plan re-rates it in a job.
  v1::ImportTableOptions options;
  options.set_plan(plan);
  auto imported = importer_->Import(options, ReadTestFile(TORIKUMI_SEED_TSV));
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->rating_job(), "jobs/2");
  options.set_dry_run(true);
  auto dry = importer_->Import(options, ReadTestFile(TORIKUMI_SEED_TSV));
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_TRUE(dry->rating_job().empty()) << "a dry run stores nothing, so rates nothing";
  ASSERT_TRUE(jobs_->WaitIdle(absl::Minutes(1)));
  EXPECT_EQ(Triggers(plan, initiative).front(), "import");

  // A new version of the rule set the plan follows re-rates it with that version.
  auto second = CreateRuleSet("abc-implementation", "rules { id: \"all-a\" grade: \"A\" }", plan);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->rating_job(), "jobs/3");
  ASSERT_TRUE(jobs_->WaitIdle(absl::Minutes(1)));
  rated = ratings_->List(all);
  ASSERT_TRUE(rated.ok()) << rated.status();
  ASSERT_EQ(rated->ratings_size(), 66);
  for (const auto& rating : rated->ratings()) {
    EXPECT_EQ(rating.trigger(), "rule-set");
    EXPECT_EQ(rating.rule_set_version(), 2);
    EXPECT_EQ(rating.grade(), "A");
  }
  auto jobs = jobs_->List();
  ASSERT_TRUE(jobs.ok()) << jobs.status();
  for (const auto& job : *jobs) EXPECT_EQ(job.state(), v1::Job::STATE_SUCCEEDED) << job.name();
}

TEST_F(DomainRatingsTest, AnEvaluationStopsBetweenBatchesWhenItsCallerHasGone) {
  const std::string plan = ImportSeed();
  auto created = CreateAbcImplementation(plan);
  ASSERT_TRUE(created.ok()) << created.status();
  UseRuleSet(plan, created->rule_set().name());
  v1::RatingServiceEvaluateRequest evaluate;
  evaluate.set_plan(plan);

  // In batches of 50 the seed's 66 initiatives go in two; the caller goes away after the first.
  Ratings in_fifties(*store_, host_, 50);
  int checks = 0;
  const CancelToken gone_after_one([&checks] { return ++checks > 1; }, absl::InfiniteFuture());
  auto stopped = in_fifties.Evaluate(evaluate, kTriggerEvaluate, gone_after_one);
  EXPECT_EQ(stopped.status().code(), absl::StatusCode::kCancelled) << stopped.status();
  EXPECT_TRUE(absl::StrContains(stopped.status().message(), "the caller cancelled"));
  EXPECT_EQ(checks, 2);
  v1::ListRatingsRequest list;
  list.set_page_size(1000);
  list.set_plan(plan);
  EXPECT_EQ(ratings_->List(list)->ratings_size(), 0) << "a stopped evaluation records nothing";

  const CancelToken late(nullptr, absl::Now() - absl::Seconds(1));
  EXPECT_EQ(in_fifties.Evaluate(evaluate, kTriggerEvaluate, late).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  // A caller that stays gets every batch.
  auto whole = in_fifties.Evaluate(evaluate, kTriggerEvaluate, CancelToken());
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->ratings_size(), 66);
}

}  // namespace
}  // namespace torikumi::domain::testing
