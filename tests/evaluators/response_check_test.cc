// What the host accepts from a plugin: every subject answered once (in any order), each
// with a grade of the plan's scale or insufficient data, and a reason.
#include "services/evaluators/response_check.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "plugin_test_util.h"

namespace torikumi::evaluators {
namespace {

v1::EvaluateRequest TwoSubjects() {
  return plugin_test::Request({plugin_test::Subject("a"), plugin_test::Subject("b")});
}

v1::InitiativeEvaluation* Answer(v1::EvaluateResponse* response, const std::string& id,
                                 const std::string& grade) {
  v1::InitiativeEvaluation* e = response->add_evaluations();
  e->set_initiative("organizations/o/plans/p/initiatives/" + id);
  if (!grade.empty()) e->set_grade(grade);
  e->set_reason("because");
  return e;
}

// The INTERNAL message of checking `response` against TwoSubjects(), or "" when it passes.
std::string Fault(const v1::EvaluateResponse& response) {
  absl::Status s = CheckEvaluateResponse(TwoSubjects(), response);
  if (s.ok()) return "";
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  return std::string(s.message());
}

TEST(PluginResponseCheckTest, AcceptsEveryOrderAndInsufficientData) {
  v1::EvaluateResponse in_order;
  Answer(&in_order, "a", "A");
  Answer(&in_order, "b", "C");
  EXPECT_EQ(Fault(in_order), "");
  v1::EvaluateResponse reversed;
  Answer(&reversed, "b", "")->set_insufficient_data(true);
  Answer(&reversed, "a", "B");
  EXPECT_EQ(Fault(reversed), "");
}

TEST(PluginResponseCheckTest, RefusesMissingExtraAndRepeatedAnswers) {
  v1::EvaluateResponse missing;
  Answer(&missing, "a", "A");
  EXPECT_EQ(Fault(missing), "no evaluation for \"organizations/o/plans/p/initiatives/b\"");
  v1::EvaluateResponse extra;
  Answer(&extra, "a", "A");
  Answer(&extra, "b", "A");
  Answer(&extra, "z", "A");
  EXPECT_TRUE(absl::StrContains(Fault(extra), "initiatives/z\", which is not in the request"));
  v1::EvaluateResponse twice;
  Answer(&twice, "a", "A");
  Answer(&twice, "a", "B");
  EXPECT_EQ(Fault(twice), "two evaluations for \"organizations/o/plans/p/initiatives/a\"");
}

TEST(PluginResponseCheckTest, RefusesAGradeOffTheScaleNoResultOrNoReason) {
  v1::EvaluateResponse off_scale;
  Answer(&off_scale, "a", "S");
  Answer(&off_scale, "b", "A");
  EXPECT_TRUE(absl::StrContains(
      Fault(off_scale), "grade \"S\" for \"organizations/o/plans/p/initiatives/a\" is not on"));
  v1::EvaluateResponse no_result;
  Answer(&no_result, "a", "A");
  Answer(&no_result, "b", "");
  EXPECT_TRUE(absl::StrContains(Fault(no_result), "neither a grade nor insufficient_data"));
  v1::EvaluateResponse no_reason;
  Answer(&no_reason, "a", "A");
  Answer(&no_reason, "b", "A")->clear_reason();
  EXPECT_TRUE(absl::StrContains(Fault(no_reason), "gives no reason"));
}

}  // namespace
}  // namespace torikumi::evaluators
