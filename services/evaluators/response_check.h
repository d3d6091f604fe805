// What the host accepts from a plugin's evaluate(): one evaluation per subject of the
// request, each with a grade of the plan's scale or insufficient data, and a reason.
// Anything else is an error of that call, never a crash.
#pragma once

#include "absl/status/status.h"
#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::evaluators {

// INVALID_ARGUMENT naming the field if a subject lacks a name or repeats one; the
// response is matched to the request by those names.
absl::Status CheckEvaluateRequest(const v1::EvaluateRequest& request);

// INTERNAL describing the first fault of a response to `request`.
absl::Status CheckEvaluateResponse(const v1::EvaluateRequest& request,
                                   const v1::EvaluateResponse& response);

}  // namespace torikumi::evaluators
