// The `targets` evaluator as a plugin: the C entry point around TargetsEvaluator.
#include "cpp/evaluator_plugin.h"
#include "targets_evaluator.h"

TORIKUMI_EVALUATOR_PLUGIN(torikumi::targets::TargetsEvaluator)
