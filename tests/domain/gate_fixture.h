// The fixture of the domain tests that hold an evaluation at a gate: the gate test plugin
// (tests/evaluators/test_plugins/gate_plugin.cc) as the only plugin of an evaluator host of
// the test's own, with RuleSets and Ratings over the test's store, and a plan whose one
// initiative a rule set of the gate evaluator rates.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "services/domain/ratings.h"
#include "services/domain/rule_sets.h"
#include "services/evaluators/evaluator_host.h"
#include "tests/domain/domain_fixture.h"

namespace torikumi::domain::testing {

class DomainGateTest : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    std::filesystem::create_directory(dir_ / "plugins");
    std::filesystem::copy_file(TORIKUMI_GATE_V1_SO, GatePath());
    host_ = std::make_unique<evaluators::EvaluatorHost>(evaluators::EvaluatorHost::Options{
        .plugins_dir = (dir_ / "plugins").string(), .call_limit = absl::Seconds(120)});
    ASSERT_TRUE(host_->Reload().ok());
    rule_sets_ = std::make_unique<RuleSets>(*store_, *host_);
    ratings_ = std::make_unique<Ratings>(*store_, *host_);
  }
  void TearDown() override {
    ratings_.reset();
    rule_sets_.reset();
    host_.reset();
    DomainTest::TearDown();
  }

  std::string GatePath() const { return (dir_ / "plugins" / "gate.so").string(); }

  // Installs `library` as gate.so by rename, as an installer does (a new file).
  void InstallGate(const std::string& library) const {
    const std::filesystem::path staged = dir_ / "gate.so.new";
    std::filesystem::copy_file(library, staged);
    std::filesystem::rename(staged, GatePath());
  }

  // A plan with one initiative, rated by a rule set of the gate evaluator.
  std::string MakeGatePlan() {
    const std::string plan = MakePlan();
    auto initiative = CreateInitiative(plan, SimpleInitiative("職員研修", 1, "研修"));
    EXPECT_TRUE(initiative.ok()) << initiative.status();
    v1::CreateRuleSetRequest request;
    request.set_parent("organizations/city");
    request.set_rule_set_id("gate");
    request.mutable_rule_set()->set_evaluator("gate");
    request.mutable_rule_set()->set_body("any");
    request.set_plan(plan);
    auto created = rule_sets_->Create(request);
    EXPECT_TRUE(created.ok()) << created.status();
    auto stored = store_->GetPlan(plan);
    EXPECT_TRUE(stored.ok()) << stored.status();
    if (!stored.ok()) return plan;
    stored->set_rule_set("organizations/city/ruleSets/gate");
    EXPECT_TRUE(store_->UpdatePlan(*stored, "").ok());
    return plan;
  }

  std::unique_ptr<evaluators::EvaluatorHost> host_;
  std::unique_ptr<RuleSets> rule_sets_;
  std::unique_ptr<Ratings> ratings_;
};

}  // namespace torikumi::domain::testing
