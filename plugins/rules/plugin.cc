// The `rules` evaluator as a plugin: the C entry point around RulesEvaluator.
#include "cpp/evaluator_plugin.h"
#include "rules_evaluator.h"

TORIKUMI_EVALUATOR_PLUGIN(torikumi::rules::RulesEvaluator)
