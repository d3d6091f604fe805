// The `rules` evaluator's core, called directly, on hand-built initiatives: one test per
// kind of condition, plus first-match order, reasons, facts used and request checks.
#include "rules_evaluator.h"

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "plugin_test_util.h"

namespace torikumi::rules {
namespace {

using plugin_test::AddMetric;
using plugin_test::AddOutcome;
using plugin_test::Request;
using plugin_test::Subject;

std::unique_ptr<RulesEvaluator> Compile(const std::string& body) {
  auto evaluator = RulesEvaluator::Create(body);
  EXPECT_TRUE(evaluator.ok()) << evaluator.status();
  return evaluator.ok() ? *std::move(evaluator) : nullptr;
}

// Evaluates one subject with a rule set of one conditional rule `when` giving "B" (id
// "hit") before a default "A" (id "default"); returns the evaluation.
v1::InitiativeEvaluation EvaluateWhen(const std::string& when, const v1::EvaluationSubject& subject,
                                      const v1::Date* as_of = nullptr) {
  auto evaluator = Compile("rules { id: \"hit\" grade: \"B\" when { " + when +
                           " } }\n rules { id: \"default\" grade: \"A\" }");
  if (evaluator == nullptr) return {};
  v1::EvaluateRequest request = Request({subject});
  if (as_of != nullptr) *request.mutable_as_of() = *as_of;
  v1::EvaluateResponse response;
  absl::Status status = evaluator->Evaluate(request, &response);
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.evaluations_size(), 1);
  return response.evaluations_size() == 1 ? response.evaluations(0) : v1::InitiativeEvaluation();
}

bool Fires(const std::string& when, const v1::EvaluationSubject& subject,
           const v1::Date* as_of = nullptr) {
  v1::InitiativeEvaluation e = EvaluateWhen(when, subject, as_of);
  EXPECT_EQ(e.fired_rules_size(), 1);
  return e.fired_rules_size() == 1 && e.fired_rules(0) == "hit" && e.grade() == "B";
}

TEST(PluginRulesEvaluatorTest, PhasePerYearAndYearsScheduledToImplement) {
  v1::EvaluationSubject s =
      Subject("i", /*implement_from=*/2020);  // 検討 2018–2019, 実施 2020–2022
  EXPECT_TRUE(Fires(R"(fact { name: "phase.fy2019" any_of { values: "consider" } })", s));
  EXPECT_FALSE(Fires(R"(fact { name: "phase.fy2019" any_of { values: "implement" } })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "phase.last" any_of { values: "implement" } })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "phase.fy2030" any_of { values: "none" } })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "implement_years" equals: 3 })", s));
  EXPECT_FALSE(Fires(R"(fact { name: "implement_years" at_least: 4 })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "first_implement_year" equals: 2020 })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "final_phase" any_of { values: "implement" } })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "phases" any_of { values: "consider" } })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "scheduled_years" equals: 5 })", s));
  // Years due: with the as-of date in FY2020, only 2020 is due of the implement years.
  v1::Date as_of;
  as_of.set_year(2020);
  as_of.set_month(8);
  as_of.set_day(31);
  EXPECT_TRUE(Fires(R"(fact { name: "implement_years_due" equals: 1 })", s, &as_of));
}

TEST(PluginRulesEvaluatorTest, OutcomeStatusPerYear) {
  v1::EvaluationSubject s = Subject("i");
  AddOutcome(&s, 2019, "")->set_status(v1::OUTCOME_STATUS_NOT_IMPLEMENTED);
  AddOutcome(&s, 2020, "")->set_status(v1::OUTCOME_STATUS_IMPLEMENTED);
  EXPECT_TRUE(Fires(R"(fact { name: "status.fy2019" any_of { values: "not_implemented" } })", s));
  EXPECT_FALSE(Fires(R"(fact { name: "status.fy2020" any_of { values: "not_implemented" } })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "status.fy2021" any_of { values: "none" } })", s));
  EXPECT_TRUE(Fires(
      R"(fact { name: "statuses" any_of { values: ["partly_implemented", "implemented"] } })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "outcomes" equals: 2 })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "years_reported" equals: 2 })", s));
}

// The config is the plugin's own message (rules_config.proto), named as describe() says.
TEST(PluginRulesEvaluatorTest, ConfigTypeIsThePluginsOwnMessage) {
  EXPECT_EQ(kRulesConfigType, RulesConfig().GetTypeName());
  EXPECT_EQ(RulesEvaluator::Describe().config_type(),
            "torikumi.plugins.rules.v1.RulesEvaluatorConfig");
}

// The words of the status and kind facts are the rule language, which stored rule sets are
// written in: each value of resources.proto has exactly the word the fact catalog lists.
TEST(PluginRulesEvaluatorTest, StatusAndKindWordsAreTheFactCatalogs) {
  const std::pair<v1::OutcomeStatus, const char*> kStatuses[] = {
      {v1::OUTCOME_STATUS_IMPLEMENTED, "implemented"},
      {v1::OUTCOME_STATUS_PARTLY_IMPLEMENTED, "partly_implemented"},
      {v1::OUTCOME_STATUS_NOT_IMPLEMENTED, "not_implemented"},
      {v1::OUTCOME_STATUS_IN_PROGRESS, "in_progress"},
      {v1::OUTCOME_STATUS_SCHEDULED, "scheduled"},
      {v1::OUTCOME_STATUS_UNKNOWN, "unknown"},
      {v1::OUTCOME_STATUS_UNSPECIFIED, "unspecified"},
      // A value this build does not know is not a word of its own.
      {static_cast<v1::OutcomeStatus>(99), "unspecified"},
  };
  for (const auto& [status, word] : kStatuses) {
    v1::EvaluationSubject s = Subject("i");
    AddOutcome(&s, 2019, "x")->set_status(status);
    EXPECT_TRUE(Fires(
        absl::StrCat(R"(fact { name: "status.fy2019" any_of { values: ")", word, R"(" } })"), s))
        << word;
  }
  const std::pair<v1::InitiativeKind, const char*> kKinds[] = {
      {v1::INITIATIVE_KIND_NEW, "new"},
      {v1::INITIATIVE_KIND_CONTINUING, "continuing"},
      {v1::INITIATIVE_KIND_UNSPECIFIED, "unspecified"},
  };
  for (const auto& [kind, word] : kKinds) {
    v1::EvaluationSubject s = Subject("i");
    s.mutable_initiative()->set_kind(kind);
    EXPECT_TRUE(
        Fires(absl::StrCat(R"(fact { name: "kind" any_of { values: ")", word, R"(" } })"), s))
        << word;
  }
}

TEST(PluginRulesEvaluatorTest, ZeroMetrics) {
  v1::EvaluationSubject s = Subject("i");
  v1::Outcome* o = AddOutcome(&s, 2019, "");
  AddMetric(o, "研修A", 10);
  AddMetric(o, "研修B", 0);
  EXPECT_TRUE(Fires(R"(fact { name: "zero_metrics" equals: 1 })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "nonzero_metrics" equals: 1 })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "years_partly_zero" equals: 1 })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "years_all_zero" equals: 0 })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "metrics.fy2019" equals: 2 })", s));
}

TEST(PluginRulesEvaluatorTest, MetricsMissingInAYearScheduledToImplement) {
  v1::EvaluationSubject s = Subject("i", /*implement_from=*/2019);
  AddMetric(AddOutcome(&s, 2019, ""), "受講者", 10);
  AddOutcome(&s, 2020, "中止した");  // due, reported, but no figure
  AddMetric(AddOutcome(&s, 2021, ""), "受講者", 12);
  AddMetric(AddOutcome(&s, 2022, ""), "受講者", 9);
  // 2018 was only 検討 (not due), 2020 lacks a figure; as of FY2022 the year 2022 is open.
  v1::Date as_of;
  as_of.set_year(2022);
  as_of.set_month(8);
  as_of.set_day(31);
  v1::InitiativeEvaluation e =
      EvaluateWhen(R"(fact { name: "years_missing_metrics" equals: 1 })", s, &as_of);
  EXPECT_EQ(e.grade(), "B");
  EXPECT_EQ(plugin_test::FactOf(e, "years_missing_metrics"), "1");
  EXPECT_TRUE(Fires(R"(fact { name: "closed_years" equals: 4 })", s, &as_of));
}

TEST(PluginRulesEvaluatorTest, FewerLabelsThanTheYearBeforeCountsClosedYearsOnly) {
  v1::EvaluationSubject s = Subject("i");
  v1::Outcome* y2019 = AddOutcome(&s, 2019, "");
  AddMetric(y2019, "講習A", 3);
  AddMetric(y2019, "講習B", 4);
  AddMetric(AddOutcome(&s, 2020, ""), "講習A", 5);  // one label fewer
  v1::Outcome* y2021 = AddOutcome(&s, 2021, "");
  AddMetric(y2021, "講習A", 2);
  AddMetric(y2021, "講習B", 2);
  AddOutcome(&s, 2022, "※実施中")->set_status(v1::OUTCOME_STATUS_IN_PROGRESS);  // open: not counted
  v1::Date as_of;
  as_of.set_year(2022);
  as_of.set_month(8);
  as_of.set_day(31);
  EXPECT_TRUE(Fires(R"(fact { name: "years_fewer_labels" equals: 1 })", s, &as_of));
  // Without an as-of date every year is closed, but 2022's report is marked in progress,
  // so it still does not count; once it is not, its missing labels count.
  EXPECT_TRUE(Fires(R"(fact { name: "years_fewer_labels" equals: 1 })", s));
  s.mutable_outcomes(3)->set_status(v1::OUTCOME_STATUS_UNSPECIFIED);
  EXPECT_TRUE(Fires(R"(fact { name: "years_fewer_labels" equals: 2 })", s));
}

TEST(PluginRulesEvaluatorTest, MetricsBelowTarget) {
  v1::EvaluationSubject s = Subject("i");
  v1::Outcome* o = AddOutcome(&s, 2019, "");
  AddMetric(o, "受講者", 40)->set_target(50);
  AddMetric(o, "修了者", 60)->set_target(50);
  EXPECT_TRUE(Fires(R"(fact { name: "below_target" equals: 1 })", s));
}

TEST(PluginRulesEvaluatorTest, PhrasesInTheOutcomeTextAreRe2Patterns) {
  v1::EvaluationSubject s = Subject("i");
  AddOutcome(&s, 0, "導入に向けて検討を進めた。");
  v1::InitiativeEvaluation e =
      EvaluateWhen(R"pb(fact {
                          name: "text"
                          matches_any { values: [ "実施できなかった", "検討を(進め|行っ)" ] }
                        })pb",
                   s);
  EXPECT_EQ(e.grade(), "B");
  EXPECT_EQ(plugin_test::FactOf(e, "text"), "検討を進め");
  EXPECT_TRUE(absl::StrContains(e.reason(), "text (period) contains \"検討を進め\"")) << e.reason();
  EXPECT_FALSE(Fires(R"(fact { name: "text" matches_any { values: ["^検討"] } })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "text.period" matches_any { values: ["^導入"] } })", s));
  EXPECT_FALSE(Fires(R"(fact { name: "text.fy2019" matches_any { values: ["導入"] } })", s));
}

TEST(PluginRulesEvaluatorTest, KindAndMarkers) {
  v1::EvaluationSubject s = Subject("i");
  s.mutable_initiative()->set_kind(v1::INITIATIVE_KIND_NEW);
  s.add_markers("再掲");
  EXPECT_TRUE(Fires(R"(fact { name: "kind" any_of { values: "new" } })", s));
  EXPECT_FALSE(Fires(R"(fact { name: "kind" any_of { values: "continuing" } })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "markers" any_of { values: ["実施中", "再掲"] } })", s));
  EXPECT_TRUE(Fires(R"(fact { name: "markers" matches_any { values: "再" } })", s));
  EXPECT_FALSE(Fires(R"(fact { name: "relisted" is: true })", s));
  s.mutable_initiative()->set_relists("organizations/o/plans/p/initiatives/x");
  EXPECT_TRUE(Fires(R"(fact { name: "relisted" is: true })", s));
}

TEST(PluginRulesEvaluatorTest, AllAnyAndNotCombine) {
  v1::EvaluationSubject s = Subject("i");
  s.mutable_initiative()->set_kind(v1::INITIATIVE_KIND_NEW);
  AddOutcome(&s, 0, "試行した");
  EXPECT_TRUE(Fires(R"(all { fact { name: "kind" any_of { values: "new" } } }
                       all { fact { name: "text" matches_any { values: "試行" } } })",
                    s));
  EXPECT_TRUE(Fires(R"(any { fact { name: "kind" any_of { values: "continuing" } } }
                       any { fact { name: "text" matches_any { values: "試行" } } })",
                    s));
  EXPECT_FALSE(Fires(R"(any { fact { name: "kind" any_of { values: "continuing" } } }
                        any { fact { name: "outcomes" equals: 0 } })",
                     s));
  EXPECT_TRUE(Fires(R"(not { fact { name: "text" matches_any { values: "実施した" } } })", s));
  EXPECT_FALSE(Fires(R"(fact { name: "kind" any_of { values: "new" } }
                        not { fact { name: "text" matches_any { values: "試行" } } })",
                     s));
  // Only the branch of `any` that held is reported among the facts used.
  v1::InitiativeEvaluation e = EvaluateWhen(R"(any { fact { name: "outcomes" equals: 0 } }
                                               any { fact { name: "kind" any_of { values: "new" } } })",
                                            s);
  EXPECT_EQ(plugin_test::FactOf(e, "outcomes"), "(absent)");
  EXPECT_EQ(plugin_test::FactOf(e, "kind"), "new");
}

TEST(PluginRulesEvaluatorTest, FirstMatchWinsAndTheDefaultCatchesTheRest) {
  auto evaluator = Compile(R"pb(
    rules {
      id: "no-outcome"
      insufficient_data: true
      reason: "取組状況の記載がない"
      when { fact { name: "outcomes" equals: 0 } }
    }
    rules {
      id: "c"
      grade: "C"
      reason: "取組状況に「{text}」とある"
      when {
        fact {
          name: "text"
          matches_any { values: "実施できなかった" }
        }
      }
    }
    rules {
      id: "b"
      grade: "B"
      when {
        fact {
          name: "text"
          matches_any { values: "実施" }
        }
      }
    }
    rules { id: "a" grade: "A" reason: "計画どおり（{implement_years}年度実施）" }
  )pb");
  ASSERT_NE(evaluator, nullptr);
  v1::EvaluationSubject none = Subject("none");
  v1::EvaluationSubject c = Subject("c");
  AddOutcome(&c, 0, "予算の都合で実施できなかった。");  // also matches "実施": C comes first
  v1::EvaluationSubject b = Subject("b");
  AddOutcome(&b, 0, "一部を実施した。");
  v1::EvaluationSubject a = Subject("a");
  AddOutcome(&a, 0, "周知した。");
  v1::EvaluateResponse response;
  ASSERT_TRUE(evaluator->Evaluate(Request({none, c, b, a}), &response).ok());
  ASSERT_EQ(response.evaluations_size(), 4);

  const auto& e0 = response.evaluations(0);
  EXPECT_EQ(e0.initiative(), "organizations/o/plans/p/initiatives/none");
  EXPECT_TRUE(e0.insufficient_data());
  EXPECT_EQ(e0.fired_rules(0), "no-outcome");
  EXPECT_EQ(e0.reason(), "取組状況の記載がない");
  EXPECT_EQ(plugin_test::FactOf(e0, "outcomes"), "0");

  EXPECT_EQ(response.evaluations(1).grade(), "C");
  EXPECT_EQ(response.evaluations(1).reason(), "取組状況に「実施できなかった」とある");
  EXPECT_EQ(response.evaluations(2).grade(), "B");
  EXPECT_EQ(response.evaluations(2).fired_rules(0), "b");
  EXPECT_TRUE(absl::StrContains(response.evaluations(2).reason(), "grade B by rule \"b\""));
  EXPECT_EQ(response.evaluations(3).grade(), "A");
  EXPECT_EQ(response.evaluations(3).fired_rules(0), "a");
  EXPECT_EQ(response.evaluations(3).reason(), "計画どおり（5年度実施）");
}

TEST(PluginRulesEvaluatorTest, RefusesAGradeNotOnTheRequestScale) {
  auto evaluator = Compile(R"pb(rules { id: "s" grade: "S" })pb");
  ASSERT_NE(evaluator, nullptr);
  v1::EvaluateResponse response;
  absl::Status status = evaluator->Evaluate(Request({Subject("i")}), &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "rule \"s\" gives grade \"S\"")) << status;
}

TEST(PluginRulesEvaluatorTest, RefusesARequestForAnotherRuleSetBody) {
  auto evaluator = Compile(R"pb(rules { id: "a" grade: "A" })pb");
  ASSERT_NE(evaluator, nullptr);
  v1::EvaluateRequest request = Request({Subject("i")});
  request.set_rule_set_body(R"pb(rules { id: "b" grade: "B" })pb");
  v1::EvaluateResponse response;
  EXPECT_EQ(evaluator->Evaluate(request, &response).code(), absl::StatusCode::kFailedPrecondition);
  request.set_rule_set_body(evaluator->body());
  EXPECT_TRUE(evaluator->Evaluate(request, &response).ok());
}

}  // namespace
}  // namespace torikumi::rules
