// The database an in-process test server opens. The API tests run twice under CTest: on a
// SQLite file, and (their "postgres/" copies, tests/server/CMakeLists.txt) on a fresh schema
// of the run's test PostgreSQL, which CTest names in TORIKUMI_TEST_POSTGRES_DIR.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tests/server/test_support.h"

namespace torikumi::server_test {

// A SQLite file `name` in `dir`, or a PostgreSQL URI as said above.
absl::StatusOr<std::string> TestDatabase(const TempDir& dir,
                                         absl::string_view name = "torikumi.db");

}  // namespace torikumi::server_test
