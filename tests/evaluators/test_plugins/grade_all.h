// What the well-behaved test plugins answer: every subject graded with the first grade of
// the plan's scale ("A" without one), fired rule `rule`, the given reason.
#pragma once

#include <string>

#include "cpp/evaluator_plugin.h"

namespace torikumi::test_plugins {

inline void GradeEverySubject(const torikumi::v1::EvaluateRequest& request, const char* rule,
                              const std::string& reason, torikumi::v1::EvaluateResponse* response) {
  const std::string grade =
      request.rating_scale().grades().empty() ? "A" : request.rating_scale().grades(0).code();
  for (const auto& subject : request.subjects()) {
    auto* e = response->add_evaluations();
    e->set_initiative(subject.initiative().name());
    e->set_grade(grade);
    e->add_fired_rules(rule);
    e->set_reason(reason);
  }
}

}  // namespace torikumi::test_plugins
