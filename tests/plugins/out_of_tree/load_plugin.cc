// The last step of the out-of-tree test: loads the plugin directory the third-party
// project built, through the torikumi host, and checks that `echo` lists, validates and
// evaluates. Exit status 0 when all holds; each failure is printed.
#include <iostream>
#include <string>

#include "services/evaluators/evaluator_host.h"
#include "torikumi_evaluator.h"

namespace {

int failures = 0;

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << "\n";
    ++failures;
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace torikumi;
  if (argc != 2) {
    std::cerr << "usage: load_plugin PLUGINS_DIR\n";
    return 2;
  }
  evaluators::EvaluatorHost host({.plugins_dir = argv[1]});
  auto report = host.Reload();
  if (!report.ok()) {
    std::cerr << "FAILED: reload: " << report.status() << "\n";
    return 1;
  }
  Check(report->refused.empty(), "no plugin refused");
  Check(report->loaded.size() == 1 && report->loaded[0].name() == "echo" &&
            report->loaded[0].version() == "0.1.0" &&
            report->loaded[0].abi_major() == TORIKUMI_EVALUATOR_ABI_MAJOR,
        "echo 0.1.0 is listed with the host's ABI major");

  v1::RatingScale scale;
  for (const char* code : {"A", "B", "C"}) scale.add_grades()->set_code(code);
  absl::Status invalid = host.ValidateRuleSet("echo", "grade: \"S\"", scale);
  Check(invalid.code() == absl::StatusCode::kInvalidArgument &&
            invalid.message().find("rule \"grade\"") != absl::string_view::npos,
        "a grade off the scale is refused naming the rule: " + invalid.ToString());
  Check(host.ValidateRuleSet("echo", "grade: \"B\"", scale).ok(), "grade B validates");
  // The plugin's own config message, parsed by the SDK's helper with the plugin's
  // descriptors: a mistake is reported at its line and column.
  absl::Status malformed = host.ValidateRuleSet("echo", "# the grade\ngrade: B", scale);
  Check(
      malformed.code() == absl::StatusCode::kInvalidArgument &&
          malformed.ToString().find("echo.v1.EchoConfig: line 2 column 8") != std::string::npos,
      "a body that is no EchoConfig is refused with its line and column: " + malformed.ToString());
  auto unknown_field = host.Compile("echo", "colour: \"B\"");
  Check(unknown_field.status().code() == absl::StatusCode::kInvalidArgument &&
            unknown_field.status().message().find("colour") != absl::string_view::npos,
        "an unknown config field is refused naming it: " + unknown_field.status().ToString());

  auto echo = host.Compile("echo", "grade: \"B\"\n");
  Check(echo.ok(), "compiles: " + echo.status().ToString());
  if (echo.ok()) {
    v1::EvaluateRequest request;
    *request.mutable_rating_scale() = scale;
    for (const char* name :
         {"organizations/o/plans/p/initiatives/a", "organizations/o/plans/p/initiatives/b"}) {
      request.add_subjects()->mutable_initiative()->set_name(name);
    }
    auto response = host.Evaluate(*echo, request);
    Check(response.ok(), "evaluates: " + response.status().ToString());
    if (response.ok()) {
      Check(response->evaluations_size() == 2, "two evaluations");
      for (const auto& e : response->evaluations()) {
        Check(e.grade() == "B" && e.reason() == "echo: the rule set names grade B",
              "grade B with its reason");
      }
    }
  }
  if (failures == 0) std::cout << "out-of-tree plugin echo 0.1.0 loaded and evaluated\n";
  return failures == 0 ? 0 : 1;
}
