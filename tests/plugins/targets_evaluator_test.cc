// The `targets` evaluator's core, called directly: attainment against targets in both
// directions, thresholds, aggregation, and insufficient data without targets.
#include "targets_evaluator.h"

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "plugin_test_util.h"

namespace torikumi::targets {
namespace {

using plugin_test::AddMetric;
using plugin_test::AddOutcome;
using plugin_test::Request;
using plugin_test::Subject;

constexpr char kConfig[] = R"pb(
  metrics { label: "受講者数" target: 100 }
  metrics { label: "時間外勤務" target: 300 direction: DIRECTION_LOWER_IS_BETTER }
  thresholds { grade: "A" min_attainment: 1.0 }
  thresholds { grade: "B" min_attainment: 0.8 reason: "{grade}: 達成率 {attainment}" }
  thresholds { grade: "C" min_attainment: 0 }
)pb";

// The config is the plugin's own message (targets_config.proto), named as describe() says.
TEST(PluginTargetsEvaluatorTest, ConfigTypeIsThePluginsOwnMessage) {
  EXPECT_EQ(kTargetsConfigType, TargetsConfig().GetTypeName());
  EXPECT_EQ(TargetsEvaluator::Describe().config_type(),
            "torikumi.plugins.targets.v1.TargetsEvaluatorConfig");
}

v1::InitiativeEvaluation EvaluateOne(const std::string& config,
                                     const v1::EvaluationSubject& subject) {
  auto evaluator = TargetsEvaluator::Create(config);
  EXPECT_TRUE(evaluator.ok()) << evaluator.status();
  if (!evaluator.ok()) return {};
  v1::EvaluateResponse response;
  absl::Status status = (*evaluator)->Evaluate(Request({subject}), &response);
  EXPECT_TRUE(status.ok()) << status;
  return response.evaluations_size() == 1 ? response.evaluations(0) : v1::InitiativeEvaluation();
}

TEST(PluginTargetsEvaluatorTest, HigherIsBetterMeetsTheTarget) {
  v1::EvaluationSubject s = Subject("i");
  AddMetric(AddOutcome(&s, 2019, ""), "受講者数", 120);
  v1::InitiativeEvaluation e = EvaluateOne(kConfig, s);
  EXPECT_EQ(e.grade(), "A");
  EXPECT_EQ(e.fired_rules(0), "threshold-A");
  EXPECT_EQ(plugin_test::FactOf(e, "attainment"), "120%");
  EXPECT_TRUE(absl::StrContains(e.reason(), "worst attainment 120%")) << e.reason();
}

TEST(PluginTargetsEvaluatorTest, LowerIsBetterAndTheWorstMetricDecides) {
  v1::EvaluationSubject s = Subject("i");
  v1::Outcome* o = AddOutcome(&s, 2019, "");
  AddMetric(o, "受講者数", 150);
  AddMetric(o, "時間外勤務", 360);  // 300/360 = 83%
  v1::InitiativeEvaluation e = EvaluateOne(kConfig, s);
  EXPECT_EQ(e.grade(), "B");
  EXPECT_EQ(e.reason(), "B: 達成率 83%");
  EXPECT_TRUE(
      absl::StrContains(plugin_test::FactOf(e, "metric.時間外勤務.fy2019"), "lower is better"));
}

TEST(PluginTargetsEvaluatorTest, MeanAggregationAndTargetsCarriedByTheMetric) {
  std::string config = std::string(kConfig) + "aggregation: AGGREGATION_MEAN";
  v1::EvaluationSubject s = Subject("i");
  v1::Outcome* o = AddOutcome(&s, 2019, "");
  AddMetric(o, "受講者数", 50);                  // 50%
  AddMetric(o, "相談件数", 20)->set_target(10);  // 200%, target from the outcome itself
  v1::InitiativeEvaluation e = EvaluateOne(config, s);
  EXPECT_EQ(e.grade(), "A");  // mean 125%
  EXPECT_EQ(plugin_test::FactOf(e, "attainment"), "125%");
}

TEST(PluginTargetsEvaluatorTest, NoMetricWithATargetIsInsufficientData) {
  v1::EvaluationSubject s = Subject("i");
  AddMetric(AddOutcome(&s, 2019, ""), "参加者", 10);
  v1::InitiativeEvaluation e = EvaluateOne(kConfig, s);
  EXPECT_TRUE(e.insufficient_data());
  EXPECT_EQ(e.fired_rules(0), "no-target");
  EXPECT_FALSE(e.reason().empty());
}

TEST(PluginTargetsEvaluatorTest, ClosedYearsOnlySkipsTheOpenYear) {
  std::string config = std::string(kConfig) + "closed_years_only: true";
  v1::EvaluationSubject s = Subject("i");
  AddMetric(AddOutcome(&s, 2021, ""), "受講者数", 100);
  AddMetric(AddOutcome(&s, 2022, ""), "受講者数", 10);  // FY2022 is still open
  auto evaluator = TargetsEvaluator::Create(config);
  ASSERT_TRUE(evaluator.ok()) << evaluator.status();
  v1::EvaluateRequest request = Request({s});
  request.mutable_as_of()->set_year(2022);
  request.mutable_as_of()->set_month(8);
  request.mutable_as_of()->set_day(31);
  v1::EvaluateResponse response;
  ASSERT_TRUE((*evaluator)->Evaluate(request, &response).ok());
  EXPECT_EQ(response.evaluations(0).grade(), "A");
}

}  // namespace
}  // namespace torikumi::targets
