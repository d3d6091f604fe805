// The fixture of the domain rating tests: the real plugins loaded into an evaluator host,
// RuleSets and Ratings over the test's SQLite store, the seed table imported on request,
// and helpers to create rule sets and name one on a plan.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "services/domain/auto_rerate.h"
#include "services/domain/rating_jobs.h"
#include "services/domain/ratings.h"
#include "services/domain/rule_sets.h"
#include "services/domain/table_import.h"
#include "services/evaluators/evaluator_host.h"
#include "tests/domain/domain_fixture.h"

namespace torikumi::domain::testing {

class DomainRatingsTest : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    auto loaded = host_.Reload();
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    ASSERT_GE(loaded->loaded.size(), 2u);
    rule_sets_ = std::make_unique<RuleSets>(*store_, host_);
    ratings_ = std::make_unique<Ratings>(*store_, host_);
    importer_ = std::make_unique<TableImporter>(*store_);
  }
  void TearDown() override {
    triggers_.reset();
    jobs_.reset();
    ratings_.reset();
    importer_.reset();
    rule_sets_.reset();
    DomainTest::TearDown();
  }

  // Imports the seed table into organizations/city as plan "hr"; returns the plan name.
  std::string ImportSeed() {
    MakeOrganization();
    v1::ImportTableOptions options;
    options.set_parent("organizations/city");
    options.set_plan_id("hr");
    auto imported = importer_->Import(options, ReadTestFile(TORIKUMI_SEED_TSV));
    EXPECT_TRUE(imported.ok()) << imported.status();
    return imported.ok() ? imported->plan() : "";
  }

  absl::StatusOr<v1::CreateRuleSetResponse> CreateRuleSet(const std::string& id,
                                                          const std::string& body,
                                                          const std::string& plan) {
    v1::CreateRuleSetRequest request;
    request.set_parent("organizations/city");
    request.set_rule_set_id(id);
    request.mutable_rule_set()->set_evaluator("rules");
    request.mutable_rule_set()->set_body(body);
    request.set_plan(plan);
    return rule_sets_->Create(request);
  }

  // The shipped abc-implementation rule set as organizations/city/ruleSets/abc-implementation.
  absl::StatusOr<v1::CreateRuleSetResponse> CreateAbcImplementation(const std::string& plan) {
    return CreateRuleSet(
        "abc-implementation",
        ReadTestFile(std::string(TORIKUMI_RULESETS_DIR) + "/abc-implementation.textproto"), plan);
  }

  // Installs the server's triggers on every domain object that writes a rating's input.
  void EnableAutoRerate() {
    jobs_ = std::make_unique<RatingJobs>(*ratings_, *store_);
    triggers_ = std::make_unique<AutoRerate>(*ratings_, *jobs_);
    outcomes_->set_rating_triggers(triggers_.get());
    initiatives_->set_rating_triggers(triggers_.get());
    plans_->set_rating_triggers(triggers_.get());
    importer_->set_rating_triggers(triggers_.get());
    rule_sets_->set_rating_triggers(triggers_.get());
  }

  // The triggers of each recorded rating of `initiative`, newest first.
  std::vector<std::string> Triggers(const std::string& plan, const std::string& initiative) {
    v1::ListRatingsRequest list;
    list.set_page_size(1000);
    list.set_plan(plan);
    list.set_initiative(initiative);
    list.set_history(true);
    auto history = ratings_->List(list);
    EXPECT_TRUE(history.ok()) << history.status();
    std::vector<std::string> triggers;
    if (history.ok()) {
      for (const auto& rating : history->ratings()) triggers.push_back(rating.trigger());
    }
    return triggers;
  }

  void UseRuleSet(const std::string& plan, const std::string& rule_set) {
    auto current = store_->GetPlan(plan);
    ASSERT_TRUE(current.ok()) << current.status();
    current->set_rule_set(rule_set);
    ASSERT_TRUE(store_->UpdatePlan(*current, "").ok());
  }

  evaluators::EvaluatorHost host_{{.plugins_dir = TORIKUMI_BUILT_PLUGINS_DIR}};
  std::unique_ptr<RuleSets> rule_sets_;
  std::unique_ptr<Ratings> ratings_;
  std::unique_ptr<TableImporter> importer_;
  std::unique_ptr<RatingJobs> jobs_;
  std::unique_ptr<AutoRerate> triggers_;
};

}  // namespace torikumi::domain::testing
