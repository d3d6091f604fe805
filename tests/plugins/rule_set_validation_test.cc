// Rule sets with each kind of mistake, refused through the real rules.so with the rule
// named; and the built-in targets evaluator's own checks.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "plugin_test_util.h"
#include "services/common/errors.h"
#include "services/evaluators/evaluator_host.h"
#include "tests/server/hostile_inputs.h"

namespace torikumi::evaluators {
namespace {

using plugin_test::BuiltPlugin;
using plugin_test::TempDir;

class PluginRuleSetValidationTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_.Add(BuiltPlugin("rules"), "rules.so");
    dir_.Add(BuiltPlugin("targets"), "targets.so");
    ASSERT_TRUE(host_.Reload().ok());
    ASSERT_EQ(host_.List().size(), 2u);
  }

  // The field violations of validating `body`, expecting INVALID_ARGUMENT.
  // Unless `scale_only` (a mistake only the plan's scale reveals), creating an instance
  // from the body fails too.
  std::vector<google::rpc::BadRequest::FieldViolation> Refusal(
      const std::string& body, const std::string& evaluator = "rules", bool scale_only = false) {
    absl::Status status =
        host_.ValidateRuleSet(evaluator, body, plugin_test::AbcScale(), "rule_set.body.");
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    auto compiled = host_.Compile(evaluator, body);
    EXPECT_EQ(compiled.ok(), scale_only) << compiled.status();
    if (!compiled.ok()) {
      EXPECT_EQ(compiled.status().code(), absl::StatusCode::kInvalidArgument);
    }
    return FieldViolationsOf(status);
  }

  // True if one violation has exactly `field` and a description containing `text`.
  static bool Has(const std::vector<google::rpc::BadRequest::FieldViolation>& violations,
                  const std::string& field, const std::string& text) {
    for (const auto& v : violations) {
      if (v.field() == field && absl::StrContains(v.description(), text)) return true;
    }
    for (const auto& v : violations)
      ADD_FAILURE() << "got " << v.field() << ": " << v.description();
    return false;
  }

  TempDir dir_;
  EvaluatorHost host_{{.plugins_dir = dir_.path()}};
};

TEST_F(PluginRuleSetValidationTest, TheShippedRuleSetIsValid) {
  const std::string body = plugin_test::ReadFile(plugin_test::RuleSetPath("abc-implementation"));
  EXPECT_TRUE(host_.ValidateRuleSet("rules", body, plugin_test::AbcScale()).ok());
  EXPECT_TRUE(host_.Compile("rules", body).ok());
}

// The config message moved from torikumi.v1 to the plugin's own package. A stored rule set
// keeps only its text, which names the message in a comment at most (the shipped file's
// header, as databases made before the move hold it): such a body is still valid, and the
// plugin names the message where it lives now.
TEST_F(PluginRuleSetValidationTest, ARuleSetStoredBeforeTheConfigMovedStillCompiles) {
  const std::string body = plugin_test::ReadFile(plugin_test::RuleSetPath("abc-implementation"));
  const std::string header =
      "# proto-file: plugins/rules/rules_config.proto\n"
      "# proto-message: torikumi.plugins.rules.v1.RulesEvaluatorConfig\n";
  ASSERT_TRUE(absl::StartsWith(body, header));
  const std::string stored =
      "# proto-file: torikumi/v1/evaluation.proto\n"
      "# proto-message: torikumi.v1.RulesEvaluatorConfig\n" +
      body.substr(header.size());
  EXPECT_TRUE(host_.ValidateRuleSet("rules", stored, plugin_test::AbcScale()).ok());
  EXPECT_TRUE(host_.Compile("rules", stored).ok());
  std::vector<v1::EvaluatorInfo> evaluators = host_.List();
  ASSERT_EQ(evaluators.size(), 2u);
  EXPECT_EQ(evaluators[0].config_type(), "torikumi.plugins.rules.v1.RulesEvaluatorConfig");
}

TEST_F(PluginRuleSetValidationTest, UnknownFact) {
  auto v = Refusal(R"pb(
    rules {
      id: "b-partly"
      grade: "B"
      when {
        fact {
          name: "phse.fy2019"
          any_of { values: "implement" }
        }
      }
    }
    rules { id: "a" grade: "A" }
  )pb");
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"b-partly\"].when.fact[0].name",
                  "rule \"b-partly\": unknown fact \"phse.fy2019\""));
}

TEST_F(PluginRuleSetValidationTest, FactWithoutItsYearOrTestOfTheWrongType) {
  auto v = Refusal(R"pb(
    rules {
      id: "r1"
      grade: "B"
      when {
        fact {
          name: "phase"
          any_of { values: "implement" }
        }
      }
    }
    rules {
      id: "r2"
      grade: "B"
      when { fact { name: "text" at_least: 1 } }
    }
    rules {
      id: "r3"
      grade: "B"
      when { fact { name: "kind" } }
    }
    rules { id: "a" grade: "A" reason: "{nonsense}" }
  )pb");
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"r1\"].when.fact[0].name",
                  "rule \"r1\": fact \"phase\" needs a year"));
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"r2\"].when.fact[0]",
                  "rule \"r2\": fact \"text\" is text and cannot be tested with at_least"));
  EXPECT_TRUE(
      Has(v, "rule_set.body.rules[\"r3\"].when.fact[0]", "rule \"r3\": fact \"kind\" has no test"));
  EXPECT_TRUE(
      Has(v, "rule_set.body.rules[\"a\"].reason", "rule \"a\": reason: unknown fact \"nonsense\""));
}

TEST_F(PluginRuleSetValidationTest, GradeNotOnThePlansScale) {
  auto v = Refusal(R"pb(
                     rules {
                       id: "excellent"
                       grade: "S"
                       when { fact { name: "outcomes" at_least: 3 } }
                     }
                     rules { id: "a" grade: "A" }
                   )pb",
                   "rules", /*scale_only=*/true);
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"excellent\"].grade",
                  "rule \"excellent\": grade \"S\" is not on the plan's rating scale (A, B, C)"));
}

TEST_F(PluginRuleSetValidationTest, RuleAfterAnUnconditionalRuleCanNeverFire) {
  auto v = Refusal(R"pb(
    rules { id: "a" grade: "A" }
    rules {
      id: "c"
      grade: "C"
      when { fact { name: "outcomes" equals: 0 } }
    }
  )pb");
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"c\"]",
                  "rule \"c\": can never fire: rule \"a\" before it has no condition"));
}

TEST_F(PluginRuleSetValidationTest, RuleWithTheConditionOfAnEarlierRuleCanNeverFire) {
  auto v = Refusal(R"pb(
    rules {
      id: "b1"
      grade: "B"
      when { fact { name: "zero_metrics" at_least: 1 } }
    }
    rules {
      id: "c1"
      grade: "C"
      when { fact { name: "zero_metrics" at_least: 1 } }
    }
    rules { id: "a" grade: "A" }
  )pb");
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"c1\"].when",
                  "rule \"c1\": can never fire: rule \"b1\" before it has the same condition"));
}

TEST_F(PluginRuleSetValidationTest, RuleWhoseTestsContradictCanNeverFire) {
  auto v = Refusal(R"pb(
    rules {
      id: "odd"
      grade: "B"
      when {
        fact { name: "outcomes" at_least: 3 }
        fact { name: "outcomes" less_than: 2 }
      }
    }
    rules { id: "a" grade: "A" }
  )pb");
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"odd\"].when",
                  "rule \"odd\": can never fire: its tests of \"outcomes\" contradict each other"));
}

TEST_F(PluginRuleSetValidationTest, MissingDefaultRule) {
  auto v = Refusal(R"pb(
    rules {
      id: "c"
      grade: "C"
      when { fact { name: "outcomes" equals: 0 } }
    }
    rules {
      id: "b"
      grade: "B"
      when { fact { name: "zero_metrics" at_least: 1 } }
    }
  )pb");
  EXPECT_TRUE(
      Has(v, "rule_set.body.rules", "no default rule: the last rule (\"b\") has a condition"));
}

TEST_F(PluginRuleSetValidationTest, BadPatternDuplicateIdMissingResultAndParseErrors) {
  auto v = Refusal(R"pb(
    rules {
      id: "p"
      grade: "B"
      when {
        fact {
          name: "text"
          matches_any { values: [ "ok", "(unclosed" ] }
        }
      }
    }
    rules {
      id: "p"
      when { fact { name: "outcomes" equals: 0 } }
    }
    rules { id: "a" grade: "A" }
  )pb");
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"p\"].when.fact[0].matches_any.values[1]",
                  "rule \"p\": pattern \"(unclosed\" is not a valid RE2 pattern"));
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"p\"].id", "another rule before it has the same id"));
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"p\"]", "the rule has no result"));

  auto parse = Refusal("rules { id: \"a\" grade: \"A\" }\nrules { id: \"b\" colour: \"red\" }\n");
  EXPECT_TRUE(Has(parse, "rule_set.body", "line 2 column"));
  EXPECT_TRUE(Has(parse, "rule_set.body", "colour"));
}

TEST_F(PluginRuleSetValidationTest, TargetsThresholdsMustDescendToZeroOnTheScale) {
  auto v = Refusal(R"pb(
                     metrics { label: "受講者数" target: 0 }
                     thresholds { grade: "A" min_attainment: 1.0 }
                     thresholds { grade: "B" min_attainment: 1.2 }
                     thresholds { grade: "D" min_attainment: 0.5 }
                   )pb",
                   "targets");
  EXPECT_TRUE(Has(v, "rule_set.body.metrics[0].target",
                  "rule \"metric 受講者数\": target 0 must be positive"));
  EXPECT_TRUE(Has(v, "rule_set.body.thresholds[1].min_attainment",
                  "rule \"threshold B\": can never apply: threshold \"A\" before it"));
  EXPECT_TRUE(Has(v, "rule_set.body.thresholds[2].grade",
                  "rule \"threshold D\": grade \"D\" is not on the plan's rating scale"));
  EXPECT_TRUE(
      Has(v, "rule_set.body.thresholds", "no default: the last threshold (\"D\") starts at 50%"));
}

}  // namespace
}  // namespace torikumi::evaluators

namespace torikumi::evaluators {
namespace {

// A lexicon that is valid on its own, to be spoiled one list at a time.
constexpr const char* kMinimalLexicon = R"pb(
  lexicon {
    implement: "実施"
    negators: "ない"
    eras { name: "令和" first_year: 2019 }
  }
)pb";

constexpr const char* kEvidenceRules = R"pb(
  rules {
    id: "c"
    grade: "C"
    when { fact { name: "nothing_done" is: true } }
  }
  rules { id: "a" grade: "A" reason: "{evidence}" }
)pb";

TEST_F(PluginRuleSetValidationTest, EvidenceFactsNeedALexicon) {
  auto v = Refusal(kEvidenceRules);
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"c\"].when.fact[0].name",
                  "fact \"nothing_done\" is read from outcome texts with the rule set's lexicon"));
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"a\"].reason", "add a lexicon section"));
  EXPECT_TRUE(host_.Compile("rules", std::string(kMinimalLexicon) + kEvidenceRules).ok());
}

TEST_F(PluginRuleSetValidationTest, HostileLexiconsAreRefusedWordByWord) {
  const std::string long_word(65, 'x');
  auto v = Refusal(std::string(R"pb(
                     lexicon { implement: [ "実施", "" ]
                               not_done: [ "実施" ]
                               negators: [ "な い" ]
                               eras { name: "令和" first_year: 2019 }
                               eras { name: "令和" first_year: 2019 }
                               eras { name: "未来" first_year: 99999 }
                               target_short: [ "下 回る" ]
                               carriers: ")pb") +
                   long_word + R"pb(" }
                                    rules { id: "a" grade: "A" }
  )pb");
  EXPECT_TRUE(Has(v, "rule_set.body.lexicon.implement[1]", "empty word"));
  EXPECT_TRUE(
      Has(v, "rule_set.body.lexicon.not_done", "\"実施\" is already an action in implement"));
  EXPECT_TRUE(Has(v, "rule_set.body.lexicon.negators[0]", "holds white space"));
  EXPECT_TRUE(Has(v, "rule_set.body.lexicon.carriers[0]", "word of 65 bytes"));
  EXPECT_TRUE(Has(v, "rule_set.body.lexicon.target_short[0]", "holds white space"));
  EXPECT_TRUE(Has(v, "rule_set.body.lexicon.eras[1].name", "era \"令和\" is listed twice"));
  EXPECT_TRUE(Has(v, "rule_set.body.lexicon.eras[2].first_year", "99999 is not in 1800"));
}

TEST_F(PluginRuleSetValidationTest, AnEmptyLexiconSaysWhatIsMissing) {
  auto v = Refusal(R"pb(
    lexicon {}
    rules { id: "a" grade: "A" }
  )pb");
  EXPECT_TRUE(Has(v, "rule_set.body.lexicon.eras", "no era"));
  EXPECT_TRUE(Has(v, "rule_set.body.lexicon.implement", "no action words"));
  EXPECT_TRUE(Has(v, "rule_set.body.lexicon.negators", "no negating auxiliary"));
}

TEST_F(PluginRuleSetValidationTest, AHugeLexiconIsRefusedNotLoaded) {
  std::string body = "lexicon { eras { name: \"令和\" first_year: 2019 } negators: \"ない\"\n";
  for (int i = 0; i < 5100; ++i) body += "implement: \"w" + std::to_string(i) + "\"\n";
  body += "}\nrules { id: \"a\" grade: \"A\" }\n";
  auto v = Refusal(body);
  EXPECT_TRUE(Has(v, "rule_set.body.lexicon.implement[5000]", "more than 5000 words"));
}

TEST_F(PluginRuleSetValidationTest, AnUnknownLexiconListIsAParseError) {
  absl::Status status = host_.ValidateRuleSet(
      "rules", "lexicon { verbs: \"実施\" }\nrules { id: \"a\" grade: \"A\" }",
      plugin_test::AbcScale(), "rule_set.body.");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "verbs")) << status;
}

}  // namespace
}  // namespace torikumi::evaluators

namespace torikumi::evaluators {
namespace {

TEST_F(PluginRuleSetValidationTest, TooManyPatternsAreRefusedNamingTheLimit) {
  auto v = Refusal(hostile::RuleSetWithPatterns(10000));
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"many\"].when.fact[0].matches_any.values[512]",
                  "more than 512 matches_any patterns"));
  // Reported once, not once per pattern past the limit.
  EXPECT_LT(v.size(), 5u);
}

TEST_F(PluginRuleSetValidationTest, APatternOverItsRe2MemoryBudgetIsRefused) {
  // RE2 unrolls the counted repetition of a class of every letter of Unicode into far more
  // than 128 KiB of program.
  auto v = Refusal(R"pb(
    rules {
      id: "big"
      grade: "B"
      when {
        fact {
          name: "text"
          matches_any { values: [ "\\pL{1000}" ] }
        }
      }
    }
    rules { id: "a" grade: "A" }
  )pb");
  EXPECT_TRUE(Has(v, "rule_set.body.rules[\"big\"].when.fact[0].matches_any.values[0]",
                  "KiB of RE2 memory one pattern may use"));
}

}  // namespace
}  // namespace torikumi::evaluators
