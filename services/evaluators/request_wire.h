// The bytes of an EvaluateRequest, written without protobuf's UTF-8 check of every string.
//
// Why: protobuf 3.21's generated code for proto3 checks each string for valid UTF-8 as
// it serializes. Everything in a request to an evaluator was checked already when it
// entered torikumi (gRPC requests, imported tables, rule sets are all parsed by protobuf,
// which checks), and an initiative crosses as about 400 bytes that are mostly Japanese
// text, the slow case for protobuf's byte-at-a-time checker: the check alone was a large
// part of a boundary call's overhead (figures in the README's boundary benchmark section).
//
// The bytes are exactly those of request.SerializeAsString() (tests/evaluators/
// request_wire_test.cc fills every field of every message and compares). A request this
// writer does not fully know — unknown fields it carries, or a field added to the
// .proto and not yet here — is noticed by its size and serialized by protobuf instead,
// so the result is always right; only the speed depends on this file being complete.
#pragma once

#include <string>

#include "torikumi/v1/evaluation.pb.h"

namespace torikumi::evaluators {

// Serializes `request`; `*fast_path` (optional) says whether this writer did it (true)
// or it fell back to protobuf's serializer (false).
std::string SerializeRequestSkippingUtf8Check(const v1::EvaluateRequest& request,
                                              bool* fast_path = nullptr);

}  // namespace torikumi::evaluators
