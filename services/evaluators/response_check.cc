#include "services/evaluators/response_check.h"

#include <algorithm>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"

namespace torikumi::evaluators {

absl::Status CheckEvaluateRequest(const v1::EvaluateRequest& request) {
  FieldViolations violations;
  absl::flat_hash_set<absl::string_view> names;
  names.reserve(request.subjects_size());
  for (int i = 0; i < request.subjects_size(); ++i) {
    const std::string& name = request.subjects(i).initiative().name();
    // The field path is built only for a violation: this runs once per subject of every batch.
    if (name.empty()) {
      violations.Add(absl::StrCat("subjects[", i, "].initiative.name"),
                     "every subject needs its initiative's name: it identifies the result");
    } else if (!names.insert(name).second) {
      violations.Add(absl::StrCat("subjects[", i, "].initiative.name"),
                     absl::StrCat("\"", name, "\" appears twice in the batch"));
    }
  }
  return violations.ToStatus();
}

namespace {

// The grade or insufficient data, and a reason, for one evaluation.
absl::Status CheckResult(const v1::InitiativeEvaluation& e, const std::vector<std::string>& codes) {
  switch (e.result_case()) {
    case v1::InitiativeEvaluation::kGrade:
      if (!codes.empty() && std::find(codes.begin(), codes.end(), e.grade()) == codes.end()) {
        return absl::InternalError(absl::StrCat("grade \"", e.grade(), "\" for \"", e.initiative(),
                                                "\" is not on the plan's rating scale (",
                                                absl::StrJoin(codes, ", "), ")"));
      }
      break;
    case v1::InitiativeEvaluation::kInsufficientData:
      if (!e.insufficient_data()) {
        return absl::InternalError(absl::StrCat("the evaluation of \"", e.initiative(),
                                                "\" sets insufficient_data to false"));
      }
      break;
    case v1::InitiativeEvaluation::RESULT_NOT_SET:
      return absl::InternalError(absl::StrCat("the evaluation of \"", e.initiative(),
                                              "\" has neither a grade nor insufficient_data"));
  }
  if (e.reason().empty()) {
    return absl::InternalError(
        absl::StrCat("the evaluation of \"", e.initiative(), "\" gives no reason"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckEvaluateResponse(const v1::EvaluateRequest& request,
                                   const v1::EvaluateResponse& response) {
  std::vector<std::string> codes;
  for (const auto& g : request.rating_scale().grades()) codes.push_back(g.code());
  // Fast path: one evaluation per subject, in request order (what well-behaved plugins
  // return; the request's names are unique, see CheckEvaluateRequest).
  if (response.evaluations_size() == request.subjects_size()) {
    bool in_order = true;
    for (int i = 0; i < request.subjects_size() && in_order; ++i) {
      in_order = response.evaluations(i).initiative() == request.subjects(i).initiative().name();
    }
    if (in_order) {
      for (const auto& e : response.evaluations()) {
        if (absl::Status s = CheckResult(e, codes); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
  }
  absl::flat_hash_map<absl::string_view, int> expected;  // name → times seen in the response
  expected.reserve(request.subjects_size());
  for (const auto& s : request.subjects()) expected[s.initiative().name()] = 0;
  for (const auto& e : response.evaluations()) {
    auto it = expected.find(e.initiative());
    if (it == expected.end()) {
      return absl::InternalError(
          absl::StrCat("an evaluation for \"", e.initiative(), "\", which is not in the request"));
    }
    if (++it->second > 1)
      return absl::InternalError(absl::StrCat("two evaluations for \"", e.initiative(), "\""));
    if (absl::Status s = CheckResult(e, codes); !s.ok()) return s;
  }
  for (const auto& s : request.subjects()) {  // in request order, so the message is stable
    if (expected[s.initiative().name()] == 0) {
      return absl::InternalError(absl::StrCat("no evaluation for \"", s.initiative().name(), "\""));
    }
  }
  return absl::OkStatus();
}

}  // namespace torikumi::evaluators
