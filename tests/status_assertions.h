// Assertions on absl::Status and absl::StatusOr shared by the tests: a StatusOr is checked
// before its value is used, so a failure reports the status instead of crashing the test.
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

#define TORIKUMI_TEST_CONCAT_INNER(a, b) a##b
#define TORIKUMI_TEST_CONCAT(a, b) TORIKUMI_TEST_CONCAT_INNER(a, b)

// Fails the test (and returns) unless `expr` is OK.
#define ASSERT_OK(expr)                                     \
  do {                                                      \
    const absl::Status _torikumi_status = (expr);           \
    ASSERT_TRUE(_torikumi_status.ok()) << _torikumi_status; \
  } while (0)

// `lhs = *expr` when the StatusOr is OK, else fails the test and returns.
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL(TORIKUMI_TEST_CONCAT(_torikumi_status_or_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  ASSERT_TRUE(tmp.ok()) << tmp.status();          \
  lhs = *std::move(tmp)
